"""What every Twilio handler works with: the call's row, tenant, context and hooks, in one transaction."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import msgspec
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.calls.models import Call
from core.context import CallContext, CallerProfile, CallEvent
from core.experiments.live import enrol_call
from core.plugins.calling import TenantHooks, call_all
from core.providers import Speech, Voice
from core.state import AppServices
from core.telephony.sms_sender import OutgoingText
from core.tenancy.models import PhoneNumber, Tenant
from core.webhooks.outbox import publish_call_event

log = structlog.get_logger(__name__)

VOICE_TIMEOUT_S = 1.5
DEFAULT_VOICE = "twilio"


def records_calls(tenant: Tenant, number: PhoneNumber | None) -> bool:
    """Whether calls to this number are recorded: the number's own setting, else the tenant's."""
    if number is not None and number.record_calls is not None:
        return number.record_calls
    return bool(tenant.record_calls)


class CallSession:
    def __init__(
        self,
        *,
        db: AsyncSession,
        services: AppServices,
        call: Call,
        tenant: Tenant,
        number: PhoneNumber | None,
        context: CallContext,
        hooks: TenantHooks,
        now: datetime,
    ) -> None:
        self.db = db
        self.services = services
        self.call = call
        self.tenant = tenant
        self.number = number
        self.context = context
        self.hooks = hooks
        self.now = now
        # Texts to send once this request's transaction has committed (see core.telephony.outbound).
        # Texts to send once the turn is answered: to the caller (str) or to another number.
        self.pending_texts: list[str | OutgoingText] = []

    @classmethod
    async def open(
        cls,
        db: AsyncSession,
        services: AppServices,
        call: Call,
        tenant: Tenant,
        number: PhoneNumber | None,
        now: datetime,
        *,
        stir_verstat: str | None = None,
    ) -> CallSession:
        # The caller's profile, the call's experiment variants and whether it is recorded are
        # settled once, at the start of the call, and kept on its row: a later config change
        # does not change a call in progress.
        if "profile" not in call.state:
            call.state = {**call.state, "overlays": await enrol_call(db, call, now)}
        installed, configs = await services.call_configs.get(
            db, services, tenant, number, overlays=call.state.get("overlays")
        )
        if "profile" in call.state:
            profile = msgspec.convert(call.state["profile"], CallerProfile, strict=False)
        else:
            # The first webhook of a call also counts it on the caller's contact row.
            profile = await calls.caller_profile(
                db, tenant.id, call.from_number, now, current_call_id=call.id, count_call=True
            )
            call.state = {
                **call.state,
                "profile": msgspec.to_builtins(profile),
                "record": call.channel == "voice" and records_calls(tenant, number),
            }
        metadata = {"negative_turns": int(call.state.get("negative_turns", 0))}
        context = calls.context_for(
            call,
            tenant,
            configs,
            profile,
            now,
            stir_verstat=stir_verstat,
            recording=bool(call.state.get("record")),
            metadata=metadata,
        )
        hooks = services.hooks.for_tenant(tenant.id, tenant.config_version, installed)
        return cls(
            db=db,
            services=services,
            call=call,
            tenant=tenant,
            number=number,
            context=context,
            hooks=hooks,
            now=now,
        )

    @property
    def hook_timeout(self) -> float:
        return self.services.settings.hook_timeout_s

    def url(self, path: str) -> str:
        """An absolute URL Twilio should call next (signatures are computed over absolute URLs)."""
        return self.services.settings.effective_public_url + path

    async def event(self, event_type: str, data: dict[str, Any] | None = None) -> None:
        """Record an event on the call, publish it to webhooks (when it is one), tell ``log_call_event``."""
        data = data or {}
        calls.record_event(self.db, self.call, event_type, data, self.now)
        await publish_call_event(self.db, self.call, event_type, data, self.now)
        event = CallEvent(type=event_type, data=data, at=self.now)
        await call_all(
            self.hooks.caller("log_call_event"), timeout=self.hook_timeout, call=self.context, event=event
        )

    async def speech(self, text: str, *, voice: str | None = None, language: str | None = None) -> Speech:
        """How to say ``text``: the tenant's voice plugin, or Twilio's own ``<Say>`` if that fails."""
        language = language or self.call.language
        registration = self._voice(voice)
        if registration is not None:
            try:
                async with asyncio.timeout(VOICE_TIMEOUT_S):
                    result = await registration.speak(self.context, text, language)
                if isinstance(result, Speech):
                    return result
            except Exception as exc:  # a voice that fails must not cost the caller the sentence
                log.warning("call.voice_failed", voice=voice, error=repr(exc), call_sid=self.call.call_sid)
        return Speech(kind="say", text=text, voice=None, language=language)

    def _voice(self, name: str | None) -> Voice | None:
        voices = self.services.providers.of_kind("voice")
        installed = set(self.context.plugin_configs)
        candidates = [name] if name else []
        candidates.append(DEFAULT_VOICE)
        for candidate in candidates:
            registration = voices.get(candidate) if candidate else None
            if registration is not None and registration.plugin in installed:
                return registration.provider  # type: ignore[return-value]
        return None

    def store(self, key: str, body: str, media_type: str) -> None:
        calls.store_response(self.db, self.call, key, body, media_type)

    def remember(self, **state: Any) -> None:
        """Update the call's working state (a new dict, so SQLAlchemy sees the change)."""
        self.call.state = {**self.call.state, **msgspec.to_builtins(state)}

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
from core.db.base import new_id
from core.experiments.live import enrol_call
from core.media.speech import played_speech
from core.plugins.calling import TenantHooks, call_all
from core.providers import Registration, Speech, Voice
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


async def settle_call(
    db: AsyncSession, call: Call, tenant: Tenant, number: PhoneNumber | None, now: datetime
) -> None:
    """Settle what a call keeps for its whole length, on its row: its experiment variants, the
    caller's profile (the call is also counted on the caller's contact row) and whether it is
    recorded. A later config change does not change a call in progress.

    The first webhook settles a new call before inserting it, so the row is written once with
    its final state and the write (on SQLite, the database's write lock) comes after the reads.
    """
    if call.id is None:
        call.id = new_id()  # the profile leaves this call out of the caller's history by its id
    overlays = await enrol_call(db, call, now)
    profile = await calls.caller_profile(
        db, tenant.id, call.from_number, now, current_call_id=call.id, count_call=True
    )
    call.state = {
        **(call.state or {}),
        "overlays": overlays,
        "profile": msgspec.to_builtins(profile),
        "record": call.channel == "voice" and records_calls(tenant, number),
    }


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
        if "profile" not in call.state:
            await settle_call(db, call, tenant, number, now)
        installed, configs = await services.call_configs.get(
            db, services, tenant, number, overlays=call.state.get("overlays")
        )
        profile = msgspec.convert(call.state["profile"], CallerProfile, strict=False)
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
        """How to say ``text``: the tenant's voice; if it fails or is late, its Twilio voice (``<Say>``)."""
        language = language or self.call.language
        registration = self._voice(voice)
        if registration is not None:
            spoken = await self._spoken(registration, text, language)
            if spoken is not None:
                return spoken
        fallback = self.services.providers.of_kind("voice").get(DEFAULT_VOICE)
        if fallback is not None and fallback is not registration and self._installed(fallback):
            spoken = await self._spoken(fallback, text, language)
            if spoken is not None:
                return spoken
        return Speech(kind="say", text=text, voice=None, language=language)

    async def _spoken(self, registration: Registration, text: str, language: str) -> Speech | None:
        try:
            if registration.metadata.get("output") == "audio":
                # A synthesising voice: the host caches its audio and serves it for <Play>.
                return await played_speech(
                    self.services.media,
                    self.db,
                    registration,
                    self.context,
                    text,
                    language,
                    secret_fields=self.services.catalog.get(registration.plugin).secret_fields,
                    public_url=self.services.settings.effective_public_url,
                    now=self.now,
                    timeout_s=VOICE_TIMEOUT_S,
                )
            voice: Voice = registration.provider  # type: ignore[assignment]
            async with asyncio.timeout(VOICE_TIMEOUT_S):
                result = await voice.speak(self.context, text, language)
            if isinstance(result, Speech):
                return result
            log.warning("call.voice_ignored", voice=registration.name, result=type(result).__name__)
        except Exception as exc:  # a voice that fails must not cost the caller the sentence
            log.warning(
                "call.voice_failed", voice=registration.name, error=repr(exc), call_sid=self.call.call_sid
            )
        return None

    def _voice(self, name: str | None) -> Registration | None:
        """The voice named (when installed), else the tenant's own installed voice, else Twilio's."""
        voices = self.services.providers.of_kind("voice")
        named = voices.get(name) if name else None
        if named is not None and self._installed(named):
            return named
        installed = [registration for registration in voices.values() if self._installed(registration)]
        # A tenant that installed a voice plugin (ElevenLabs...) wants it rather than the built-in one.
        chosen = [registration for registration in installed if registration.name != DEFAULT_VOICE]
        chosen += [registration for registration in installed if registration.name == DEFAULT_VOICE]
        return chosen[0] if chosen else None

    def _installed(self, registration: Registration) -> bool:
        return registration.plugin in self.context.plugin_configs

    def store(self, key: str, body: str, media_type: str) -> None:
        calls.store_response(self.db, self.call, key, body, media_type)

    def remember(self, **state: Any) -> None:
        """Update the call's working state (a new dict, so SQLAlchemy sees the change)."""
        self.call.state = {**self.call.state, **msgspec.to_builtins(state)}

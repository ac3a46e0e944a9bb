"""A call's state in the database: start it, read it, add to its transcript and events, finish it.

Nothing about a call lives in process memory: any worker can serve any webhook of any call.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import msgspec
import structlog
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls.models import Call, CallEventRecord, CallResponse, CallTurn
from core.contacts.models import Contact
from core.context import CallContext, CallerProfile, TenantIdentity
from core.db.base import as_utc
from core.plugins.catalog import UnknownPluginError
from core.plugins.config import PluginConfigError, validate_config
from core.plugins.models import PlatformPluginDefault, PluginInstall
from core.state import AppServices
from core.tenancy.models import PhoneNumber, Tenant

log = structlog.get_logger(__name__)


async def resolve_number(
    session: AsyncSession, to_number: str, account_sid: str | None
) -> PhoneNumber | None:
    """The platform number a call was placed to; a number bound to another Twilio account does not match."""
    number = await session.scalar(select(PhoneNumber).where(PhoneNumber.number == to_number))
    if number is None:
        return None
    if number.twilio_account_sid and account_sid and number.twilio_account_sid != account_sid:
        return None
    return number


async def resolve_line(
    session: AsyncSession, to_number: str, account_sid: str | None
) -> tuple[PhoneNumber, Tenant] | None:
    """The dialled number with its tenant (one query); None as for :func:`resolve_number`."""
    row = (
        await session.execute(
            select(PhoneNumber, Tenant)
            .join(Tenant, Tenant.id == PhoneNumber.tenant_id)
            .where(PhoneNumber.number == to_number)
        )
    ).first()
    if row is None:
        return None
    number, tenant = row
    if number.twilio_account_sid and account_sid and number.twilio_account_sid != account_sid:
        return None
    return number, tenant


def tenant_identity(tenant: Tenant) -> TenantIdentity:
    business = dict(tenant.business)
    business.setdefault("name", tenant.name)
    return TenantIdentity(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        timezone=tenant.timezone,
        languages=list(tenant.languages),
        business=business,
        branding=dict(tenant.branding),
        industry=tenant.industry,
    )


async def installed_plugins(session: AsyncSession, tenant_id: str) -> dict[str, dict[str, Any]]:
    rows = await session.scalars(select(PluginInstall).where(PluginInstall.tenant_id == tenant_id))
    return {row.name: dict(row.config) for row in rows}


class CallConfigCache:
    """Installed plugins and their effective configs per (tenant, config version, number).

    Every change that can alter them (installs, config, number overlays, platform defaults,
    experiments starting or stopping) bumps the tenant's config version, so an entry never goes
    stale; old versions age out. Each entry keeps every plugin's layers too, so an experiment
    variant's overlay is validated over them exactly as a number's overlay is.
    """

    def __init__(self, max_entries: int = 2048) -> None:
        self._entries: OrderedDict[CacheKey, ConfigEntry] = OrderedDict()
        self._max = max_entries

    async def get(
        self,
        session: AsyncSession,
        services: AppServices,
        tenant: Tenant,
        number: PhoneNumber | None,
        overlays: dict[str, dict[str, Any]] | None = None,
    ) -> tuple[frozenset[str], dict[str, msgspec.Struct]]:
        """``overlays`` (an experiment variant's, per plugin) go over the number's layer."""
        key = (tenant.id, tenant.config_version, number.id if number else None)
        entry = self._entries.get(key)
        if entry is None:
            installed = await installed_plugins(session, tenant.id)
            layers = await plugin_layers(session, installed, number)
            entry = ConfigEntry(frozenset(installed), layers, effective_configs(services, layers))
            self._remember(key, entry)
        else:
            self._entries.move_to_end(key)
        if not overlays:
            return entry.installed, entry.configs
        return entry.installed, entry.with_overlays(services, overlays)

    def _remember(self, key: CacheKey, entry: ConfigEntry) -> None:
        self._entries[key] = entry
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)


CacheKey = tuple[str, int, str | None]


class ConfigEntry:
    def __init__(
        self,
        installed: frozenset[str],
        layers: dict[str, list[dict[str, Any]]],
        configs: dict[str, msgspec.Struct],
    ) -> None:
        self.installed = installed
        self.layers = layers
        self.configs = configs
        # A variant's configs, by its overlays as JSON: a running experiment has few variants.
        self._variants: dict[bytes, dict[str, msgspec.Struct]] = {}

    def with_overlays(
        self, services: AppServices, overlays: dict[str, dict[str, Any]]
    ) -> dict[str, msgspec.Struct]:
        key = msgspec.json.encode(overlays, order="sorted")
        cached = self._variants.get(key)
        if cached is not None:
            return cached
        configs = dict(self.configs)
        for name, overlay in overlays.items():
            if name not in self.layers:
                log.warning("call.experiment_overlay_skipped", plugin=name, reason="not installed")
                continue
            try:
                configs[name] = _config(services, name, [*self.layers[name], overlay])
            except (UnknownPluginError, PluginConfigError) as exc:
                # The variant no longer fits the plugin's config: the caller gets the control's.
                log.warning("call.experiment_overlay_skipped", plugin=name, error=str(exc))
        if len(self._variants) < 64:
            self._variants[key] = configs
        return configs


async def plugin_layers(
    session: AsyncSession, installed: dict[str, dict[str, Any]], number: PhoneNumber | None
) -> dict[str, list[dict[str, Any]]]:
    """Each installed plugin's config layers, lowest first: platform, tenant, number."""
    platform = {row.name: dict(row.config) for row in await session.scalars(select(PlatformPluginDefault))}
    overlays = dict(number.plugin_config) if number is not None else {}
    return {
        name: [platform.get(name, {}), tenant_layer, overlays.get(name) or {}]
        for name, tenant_layer in installed.items()
    }


def effective_configs(
    services: AppServices, layers: dict[str, list[dict[str, Any]]]
) -> dict[str, msgspec.Struct]:
    """Each installed plugin's effective config for this call (number over tenant over platform).

    A plugin whose stored config no longer validates (an env variable removed since) is left out
    and logged: the call goes on without it rather than failing.
    """
    configs: dict[str, msgspec.Struct] = {}
    for name, layered in layers.items():
        try:
            configs[name] = _config(services, name, layered)
        except (UnknownPluginError, PluginConfigError) as exc:
            log.warning("call.plugin_config_unusable", plugin=name, error=str(exc))
    return configs


def _config(services: AppServices, name: str, layers: list[dict[str, Any]]) -> msgspec.Struct:
    return validate_config(services.catalog.get(name), layers, environ=os.environ, box=services.secret_box)


async def caller_profile(
    session: AsyncSession,
    tenant_id: str,
    caller: str,
    now: datetime,
    *,
    current_call_id: str | None = None,
    count_call: bool = False,
) -> CallerProfile:
    """The caller as the tenant knew them before this call (``current_call_id`` is not counted).

    With ``count_call`` the call is also counted on the caller's contact row (created, not marked
    known, on a first call). Contact and call history come back in one query: this runs on every
    call's first webhook.
    """
    recent = case((Call.started_at >= now - timedelta(hours=1), 1), else_=0)
    history = (
        select(
            func.count().label("previous"),
            func.coalesce(func.sum(recent), 0).label("last_hour"),
            func.max(Call.started_at).label("last_call_at"),
        )
        .where(Call.tenant_id == tenant_id, Call.from_number == caller, Call.id != (current_call_id or ""))
        .subquery()
    )
    row = (
        await session.execute(
            select(history.c.previous, history.c.last_hour, history.c.last_call_at, Contact)
            .select_from(history)
            .outerjoin(Contact, and_(Contact.tenant_id == tenant_id, Contact.phone == caller))
        )
    ).one()
    previous_calls, last_hour, last_call_at, contact = row
    profile = CallerProfile(
        known=bool(contact and contact.known),
        vip=bool(contact and contact.vip),
        name=contact.name if contact else None,
        previous_calls=previous_calls,
        calls_last_hour=int(last_hour),
        # An aggregate comes back as the driver's value, not through the UTC column type.
        last_call_at=as_utc(last_call_at),
    )
    if count_call:
        if contact is None:
            session.add(Contact(tenant_id=tenant_id, phone=caller, calls_count=1, last_call_at=now))
        else:
            contact.calls_count += 1
            contact.last_call_at = now
    return profile


async def call_by_sid(session: AsyncSession, call_sid: str) -> Call | None:
    return await session.scalar(select(Call).where(Call.call_sid == call_sid))


class FoundCall(NamedTuple):
    call: Call
    tenant: Tenant
    number: PhoneNumber | None
    # What this request was answered before, when it is a retry or a replay.
    stored: CallResponse | None


async def find_call(session: AsyncSession, call_sid: str, request_key: str) -> FoundCall | None:
    """A call with its tenant, number and any stored answer to ``request_key``, in one round trip.

    Every Twilio callback after the first needs all four; one joined query instead of four keeps
    the webhook's latency close to the database's, especially on a networked PostgreSQL.
    """
    row = (
        await session.execute(
            select(Call, Tenant, PhoneNumber, CallResponse)
            .join(Tenant, Tenant.id == Call.tenant_id)
            .outerjoin(PhoneNumber, PhoneNumber.number == Call.to_number)
            .outerjoin(
                CallResponse, and_(CallResponse.call_id == Call.id, CallResponse.request_key == request_key)
            )
            .where(Call.call_sid == call_sid)
        )
    ).first()
    return FoundCall(*row) if row is not None else None


async def start_call(session: AsyncSession, call: Call) -> Call:
    """Insert the call; when Twilio retried and another worker inserted it first, use that row."""
    session.add(call)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        existing = await call_by_sid(session, call.call_sid)
        if existing is None:
            raise
        return existing
    return call


def store_response(session: AsyncSession, call: Call, key: str, body: str, media_type: str) -> None:
    session.add(
        CallResponse(
            tenant_id=call.tenant_id, call_id=call.id, request_key=key, body=body, media_type=media_type
        )
    )


async def transcript(session: AsyncSession, call_id: str) -> list[CallTurn]:
    stmt = select(CallTurn).where(CallTurn.call_id == call_id).order_by(CallTurn.seq)
    return list(await session.scalars(stmt))


async def append_turn(
    session: AsyncSession,
    call: Call,
    role: str,
    text: str,
    *,
    confidence: float | None = None,
    sentiment: float | None = None,
    at: datetime | None = None,
) -> None:
    # The next line number lives in the call's own row (versioned), not in a MAX() query.
    seq = int(call.state.get("lines", 0)) + 1
    call.state = {**call.state, "lines": seq}
    values: dict[str, Any] = {"confidence": confidence, "sentiment": sentiment}
    if at is not None:
        values["at"] = at
    session.add(CallTurn(tenant_id=call.tenant_id, call_id=call.id, seq=seq, role=role, text=text, **values))


def record_event(
    session: AsyncSession, call: Call, event_type: str, data: dict[str, Any], at: datetime
) -> None:
    session.add(CallEventRecord(tenant_id=call.tenant_id, call_id=call.id, type=event_type, data=data, at=at))


def context_for(
    call: Call,
    tenant: Tenant,
    configs: dict[str, msgspec.Struct],
    profile: CallerProfile,
    now: datetime,
    *,
    stir_verstat: str | None = None,
    recording: bool = False,
    metadata: dict[str, Any] | None = None,
) -> CallContext:
    return CallContext(
        call_sid=call.call_sid,
        tenant=tenant_identity(tenant),
        caller=call.from_number,
        called=call.to_number,
        channel=call.channel,  # type: ignore[arg-type]
        language=call.language,
        stir_verstat=stir_verstat,
        caller_profile=profile,
        recording=recording,
        now=now,
        plugin_configs=configs,
        metadata=metadata or {},
    )

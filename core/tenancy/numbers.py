"""Phone numbers: unique across the platform, each optionally overlaying its tenant's plugin config."""

from __future__ import annotations

from litestar.exceptions import NotFoundException
from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import ConflictError
from core.audit.services import record_change
from core.plugins.services import check_number_overlays
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.tenancy.models import PhoneNumber
from core.tenancy.schemas import PhoneNumberCreate, PhoneNumberRead, PhoneNumberUpdate
from core.tenancy.services import bump_config_version


def to_read(number: PhoneNumber) -> PhoneNumberRead:
    return PhoneNumberRead(
        id=number.id,
        number=number.number,
        twilio_account_sid=number.twilio_account_sid,
        label=number.label,
        plugins=dict(number.plugin_config),
        record_calls=number.record_calls,
        created_at=number.created_at,
    )


async def number_of_tenant(session: AsyncSession, scope: TenantScope, number: str) -> PhoneNumber:
    row = await session.scalar(
        select(PhoneNumber).where(PhoneNumber.tenant_id == scope.tenant_id, PhoneNumber.number == number)
    )
    if row is None:
        raise NotFoundException(f"no number {number!r} on tenant {scope.tenant.slug!r}")
    return row


async def add_number(
    session: AsyncSession, services: AppServices, scope: TenantScope, data: PhoneNumberCreate
) -> PhoneNumber:
    if await session.scalar(select(PhoneNumber.id).where(PhoneNumber.number == data.number)):
        # Which tenant holds it is not ours to tell.
        raise ConflictError(f"number: {data.number} already belongs to a tenant", field="number")
    await check_number_overlays(session, services, scope.tenant_id, data.plugins)
    row = PhoneNumber(
        tenant_id=scope.tenant_id,
        number=data.number,
        twilio_account_sid=data.twilio_account_sid,
        label=data.label,
        plugin_config=data.plugins,
        record_calls=data.record_calls,
    )
    session.add(row)
    bump_config_version(scope.tenant)
    record_change(
        session, scope.principal, "number.add", "phone_number", data.number, tenant_id=scope.tenant_id
    )
    await session.commit()
    return row


async def update_number(
    session: AsyncSession, services: AppServices, scope: TenantScope, number: str, data: PhoneNumberUpdate
) -> PhoneNumber:
    row = await number_of_tenant(session, scope, number)
    changed = []
    if data.plugins is not UNSET:
        await check_number_overlays(session, services, scope.tenant_id, data.plugins)
        row.plugin_config = data.plugins
        changed.append("plugins")
    if data.label is not UNSET:
        row.label = data.label
        changed.append("label")
    if data.twilio_account_sid is not UNSET:
        row.twilio_account_sid = data.twilio_account_sid
        changed.append("twilio_account_sid")
    if data.record_calls is not UNSET:
        row.record_calls = data.record_calls
        changed.append("record_calls")
    if changed:
        bump_config_version(scope.tenant)
        record_change(
            session,
            scope.principal,
            "number.update",
            "phone_number",
            number,
            tenant_id=scope.tenant_id,
            detail={"fields": changed},
        )
        await session.commit()
    return row


async def remove_number(session: AsyncSession, scope: TenantScope, number: str) -> None:
    row = await number_of_tenant(session, scope, number)
    await session.delete(row)
    bump_config_version(scope.tenant)
    record_change(
        session, scope.principal, "number.remove", "phone_number", number, tenant_id=scope.tenant_id
    )
    await session.commit()


async def numbers_of_tenant(session: AsyncSession, scope: TenantScope) -> list[PhoneNumber]:
    stmt = select(PhoneNumber).where(PhoneNumber.tenant_id == scope.tenant_id).order_by(PhoneNumber.number)
    return list(await session.scalars(stmt))

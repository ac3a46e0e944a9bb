"""Appointments: offer, book, find, move and cancel them; the store the tool executor calls.

The calendar plugin decides what is bookable (its ``Config``, ``slot_problem``); this module
owns rows and transactions. A booking claims every grid cell it covers (buffer included) as
``SlotClaim`` rows; the unique constraint on ``(tenant_id, resource, cell_start)`` lets only one
of two overlapping bookings commit, from any worker or connection. A lost race is
``AppointmentResult(ok=False, error="slot_taken")``, never an exception.

The tool functions work in the caller's transaction and leave the commit to it: a call turn
commits a booking with its own state and events. ``tenant`` is a ``TenantIdentity`` or a tenant
row; ``now`` is the moment of the request (timezone-aware).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from litestar.exceptions import NotFoundException
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.services import record_change
from core.conversation.tools import (
    AppointmentInfo,
    AppointmentResult,
    BookAppointment,
    CancelAppointment,
    CheckAvailability,
    CheckAvailabilityResult,
    FindAppointmentsResult,
    RescheduleAppointment,
    SlotOption,
)
from core.db.base import as_utc
from core.db.paging import fetch_page
from core.phones import normalise_number
from core.scheduling.models import Appointment, SlotClaim
from core.tenancy.deps import TenantScope
from plugins.calendar import (
    ClaimsReader,
    Config,
    SchedulingTenant,
    cells,
    offer_slots,
    parse_start,
    slot_problem,
    spoken_time,
    zone_of,
)

MAX_FOUND = 10  # upcoming appointments read back to one caller
_NOT_FOUND = AppointmentResult(ok=False, error="not_found")


def claims_reader(session: AsyncSession) -> ClaimsReader:
    """The calendar plugin's view of the claims, read through ``session``."""

    async def claims_between(tenant_id: str, resource: str, start: datetime, end: datetime) -> set[datetime]:
        rows = await session.scalars(
            select(SlotClaim.cell_start).where(
                SlotClaim.tenant_id == tenant_id,
                SlotClaim.resource == resource,
                SlotClaim.cell_start >= start,
                SlotClaim.cell_start < end,
            )
        )
        return set(rows)

    return claims_between


def normalise_phone(phone: str | None) -> str | None:
    """E.164 when the number can be read as one, else as given (trimmed); None when blank."""
    if phone is None or not phone.strip():
        return None
    return normalise_number(phone) or phone.strip()[:32]


async def check_availability(
    session: AsyncSession,
    tenant: SchedulingTenant,
    config: Config,
    args: CheckAvailability,
    now: datetime,
) -> CheckAvailabilityResult:
    """Up to ``args.limit`` free slots, soonest first, spread over the day and time window.

    A date or time that is not one raises ``CalendarArgumentError`` (a ValueError naming it).
    """
    zone, now = zone_of(tenant), as_utc(now)
    duration = config.duration(args.service)
    slots = await offer_slots(
        tenant,
        config,
        claims_reader(session),
        now,
        duration=duration,
        day=args.date,
        earliest=args.earliest,
        latest=args.latest,
        limit=args.limit,
    )
    today = now.astimezone(zone).date()
    return CheckAvailabilityResult(
        slots=[
            SlotOption(
                start=_iso(slot.start, zone),
                end=_iso(slot.end, zone),
                spoken=spoken_time(slot.start, zone, today),
            )
            for slot in slots
        ]
    )


async def book(
    session: AsyncSession,
    tenant: SchedulingTenant,
    config: Config,
    args: BookAppointment,
    caller: str,
    call_id: str | None,
    now: datetime,
) -> AppointmentResult:
    """Book ``args.start`` for the caller on the first configured resource that is free."""
    zone, now = zone_of(tenant), as_utc(now)
    start = parse_start(args.start, zone)
    if start is None:
        return AppointmentResult(ok=False, error="invalid_time")
    name = args.name.strip()
    if not name:
        return AppointmentResult(ok=False, error="missing_name")
    service = config.service_name(args.service)
    duration = config.duration(service)
    problem = slot_problem(tenant, config, start, duration, now)
    if problem is not None:
        return AppointmentResult(ok=False, error=problem)
    appointment = Appointment(
        tenant_id=tenant.id,
        call_id=call_id,
        resource=config.resources[0],
        service=service[:200] if service else None,
        name=name[:200],
        phone=normalise_phone(args.phone or caller),
        start_at=start,
        end_at=start + duration,
        status="booked",
        notes=args.notes,
    )
    session.add(appointment)
    # The first write opens the transaction the claims' savepoints nest in (SQLite would otherwise
    # commit at the first RELEASE SAVEPOINT).
    await session.flush()
    resource = await _claim_first_free(
        session, tenant.id, appointment.id, config.resources, cells(config, start, duration), held={}
    )
    if resource is None:
        await session.delete(appointment)
        await session.flush()
        return AppointmentResult(ok=False, error="slot_taken")
    appointment.resource = resource
    await session.flush()
    return _result(appointment, zone, now)


async def _claim_first_free(
    session: AsyncSession,
    tenant_id: str,
    appointment_id: str,
    resources: Sequence[str],
    needed: list[datetime],
    held: dict[str, Collection[datetime]],
) -> str | None:
    """Claim ``needed`` on the first free one of ``resources``, bar cells already ``held`` there."""
    for resource in resources:
        missing = [cell for cell in needed if cell not in held.get(resource, ())]
        try:
            async with session.begin_nested():
                # In ascending cell order on every path, so two bookings never wait on each other in a cycle.
                session.add_all(
                    SlotClaim(
                        tenant_id=tenant_id, appointment_id=appointment_id, resource=resource, cell_start=cell
                    )
                    for cell in missing
                )
                await session.flush()
        except IntegrityError:
            continue  # a cell is someone else's: try the next resource
        return resource
    return None


async def find_for_phone(
    session: AsyncSession, tenant: SchedulingTenant, phone: str, now: datetime
) -> FindAppointmentsResult:
    """The upcoming booked appointments of ``phone`` (a caller's number), soonest first."""
    zone, now = zone_of(tenant), as_utc(now)
    number = normalise_phone(phone)
    if number is None:
        return FindAppointmentsResult(appointments=[])
    rows = await session.scalars(
        select(Appointment)
        .where(
            Appointment.tenant_id == tenant.id,
            Appointment.phone == number,
            Appointment.status == "booked",
            Appointment.start_at >= now,
        )
        .order_by(Appointment.start_at, Appointment.id)
        .limit(MAX_FOUND)
    )
    today = now.astimezone(zone).date()
    return FindAppointmentsResult(
        appointments=[
            AppointmentInfo(
                appointment_id=row.id,
                start=_iso(row.start_at, zone),
                spoken=spoken_time(row.start_at, zone, today),
                service=row.service,
            )
            for row in rows
        ]
    )


async def reschedule(
    session: AsyncSession,
    tenant: SchedulingTenant,
    config: Config,
    args: RescheduleAppointment,
    now: datetime,
    *,
    phone: str | None,
) -> AppointmentResult:
    """Move an upcoming appointment to ``args.start``, keeping its length.

    The new cells are claimed before the old ones are released, in one transaction: a failed
    move leaves the appointment where it was. With ``phone``, only that number's appointments
    can be moved (pass the caller's number on a call; None for staff).
    """
    zone, now = zone_of(tenant), as_utc(now)
    start = parse_start(args.start, zone)
    if start is None:
        return AppointmentResult(ok=False, error="invalid_time")
    appointment = await _locked_upcoming(session, tenant.id, args.appointment_id, phone)
    if appointment is None:
        return _NOT_FOUND
    return await _move(session, tenant, config, appointment, start, now)


async def _move(
    session: AsyncSession,
    tenant: SchedulingTenant,
    config: Config,
    appointment: Appointment,
    start: datetime,
    now: datetime,
) -> AppointmentResult:
    if appointment.start_at < now:
        return AppointmentResult(ok=False, error="in_past")
    duration = appointment.end_at - appointment.start_at
    problem = slot_problem(tenant, config, start, duration, now)
    if problem is not None:
        return AppointmentResult(ok=False, error=problem)
    held = list(await session.scalars(select(SlotClaim).where(SlotClaim.appointment_id == appointment.id)))
    needed = cells(config, start, duration)
    current = appointment.resource
    resources = [current, *(name for name in config.resources if name != current)]
    held_cells = {current: {claim.cell_start for claim in held}}
    resource = await _claim_first_free(session, tenant.id, appointment.id, resources, needed, held_cells)
    if resource is None:
        return AppointmentResult(ok=False, error="slot_taken")
    kept = set(needed) if resource == current else set()
    for claim in held:
        if claim.cell_start not in kept:
            await session.delete(claim)
    appointment.resource, appointment.start_at, appointment.end_at = resource, start, start + duration
    await session.flush()
    return _result(appointment, zone_of(tenant), now)


async def cancel(
    session: AsyncSession,
    tenant: SchedulingTenant,
    args: CancelAppointment,
    now: datetime,
    *,
    phone: str | None,
) -> AppointmentResult:
    """Cancel an upcoming appointment and free its time; ``phone`` as for ``reschedule``."""
    now = as_utc(now)
    appointment = await _locked_upcoming(session, tenant.id, args.appointment_id, phone)
    if appointment is None:
        return _NOT_FOUND
    if appointment.start_at < now:
        return AppointmentResult(ok=False, error="in_past")
    await release(session, appointment)
    return _result(appointment, zone_of(tenant), now)


async def release(session: AsyncSession, appointment: Appointment) -> None:
    """Mark ``appointment`` cancelled and delete its claims (in the caller's transaction)."""
    appointment.status = "cancelled"
    await session.execute(delete(SlotClaim).where(SlotClaim.appointment_id == appointment.id))
    await session.flush()


async def lock_appointment(session: AsyncSession, tenant_id: str, appointment_id: str) -> None:
    """Open a write transaction holding the appointment (row lock on PostgreSQL, write lock on
    SQLite): later reads are current and savepoints nest inside it (see ``book``)."""
    await session.execute(
        update(Appointment)
        .where(Appointment.tenant_id == tenant_id, Appointment.id == appointment_id)
        .values(status=Appointment.status, updated_at=Appointment.updated_at)
        .execution_options(synchronize_session=False)
    )


async def _locked_upcoming(
    session: AsyncSession, tenant_id: str, appointment_id: str, phone: str | None
) -> Appointment | None:
    """The tenant's booked appointment ``appointment_id`` (of ``phone``, when given), locked."""
    await lock_appointment(session, tenant_id, appointment_id)
    stmt = (
        select(Appointment)
        .where(
            Appointment.tenant_id == tenant_id,
            Appointment.id == appointment_id,
            Appointment.status == "booked",
        )
        .execution_options(populate_existing=True)
    )
    if phone is not None:
        number = normalise_phone(phone)
        if number is None:
            return None
        stmt = stmt.where(Appointment.phone == number)
    return await session.scalar(stmt)


def _result(appointment: Appointment, zone: ZoneInfo, now: datetime) -> AppointmentResult:
    return AppointmentResult(
        ok=True,
        appointment_id=appointment.id,
        start=_iso(appointment.start_at, zone),
        end=_iso(appointment.end_at, zone),
        spoken=spoken_time(appointment.start_at, zone, now.astimezone(zone).date()),
    )


def _iso(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat()


async def appointment_of_tenant(session: AsyncSession, tenant_id: str, appointment_id: str) -> Appointment:
    stmt = select(Appointment).where(Appointment.tenant_id == tenant_id, Appointment.id == appointment_id)
    appointment = await session.scalar(stmt.execution_options(populate_existing=True))
    if appointment is None:
        raise NotFoundException(f"no appointment {appointment_id!r}")
    return appointment


async def list_appointments(
    session: AsyncSession,
    tenant_id: str,
    *,
    limit: int,
    cursor: str | None,
    since: datetime | None,
    status: str | None,
) -> tuple[list[Appointment], str | None]:
    """The tenant's appointments by start time, from ``since`` on, optionally of one status."""
    stmt = select(Appointment).where(Appointment.tenant_id == tenant_id)
    if since is not None:
        stmt = stmt.where(Appointment.start_at >= as_utc(since))
    if status is not None:
        stmt = stmt.where(Appointment.status == status)
    return await fetch_page(session, stmt, Appointment, limit=limit, cursor=cursor, time_attr="start_at")


async def cancel_for_staff(session: AsyncSession, scope: TenantScope, appointment_id: str) -> Appointment:
    """Cancel any of the tenant's appointments (past ones too); cancelling twice changes nothing."""
    await lock_appointment(session, scope.tenant_id, appointment_id)
    appointment = await appointment_of_tenant(session, scope.tenant_id, appointment_id)
    if appointment.status != "cancelled":
        await release(session, appointment)
        action, tenant_id = "appointment.cancel", scope.tenant_id
        record_change(session, scope.principal, action, "appointment", appointment.id, tenant_id=tenant_id)
    await session.commit()
    return appointment

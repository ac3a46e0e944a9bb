"""Finding, moving and cancelling a caller's appointments."""

from __future__ import annotations

from datetime import UTC, timedelta

from db_support import fetch_all, fetch_one
from scheduling_support import CALLER, NOW, config, local
from sqlalchemy import select

from core.conversation.tools import (
    AppointmentInfo,
    AppointmentResult,
    BookAppointment,
    CancelAppointment,
    RescheduleAppointment,
)
from core.scheduling import services
from core.scheduling.models import Appointment, SlotClaim

TUESDAY_10 = local(2026, 3, 3, 10, 0)


async def book(sessions, tenant, start, *, calendar=None, phone=None, name="Jane Doe") -> str:
    async with sessions() as session:
        args = BookAppointment(start=start.isoformat(), name=name, phone=phone, service="Cleaning")
        result = await services.book(session, tenant, calendar or config(), args, CALLER, None, NOW)
        await session.commit()
    assert result.ok, result
    return result.appointment_id


async def move(sessions, tenant, appointment_id, start, *, calendar=None, phone=CALLER, now=NOW):
    async with sessions() as session:
        args = RescheduleAppointment(appointment_id=appointment_id, start=start.isoformat())
        result = await services.reschedule(session, tenant, calendar or config(), args, now, phone=phone)
        await session.commit()
        return result


async def cancel(sessions, tenant, appointment_id, *, phone=CALLER, now=NOW):
    async with sessions() as session:
        args = CancelAppointment(appointment_id=appointment_id)
        result = await services.cancel(session, tenant, args, now, phone=phone)
        await session.commit()
        return result


async def cells_of(database_url, appointment_id):
    statement = select(SlotClaim.cell_start).where(SlotClaim.appointment_id == appointment_id)
    return sorted(await fetch_all(database_url, statement))


def utc_cells(start, count):
    return [(start + timedelta(minutes=15 * index)).astimezone(UTC) for index in range(count)]


async def test_a_caller_finds_their_upcoming_appointments(sessions, tenant):
    later = await book(sessions, tenant, TUESDAY_10 + timedelta(days=1))
    sooner = await book(sessions, tenant, TUESDAY_10)
    await book(sessions, tenant, TUESDAY_10 + timedelta(hours=1), phone="+15559990000", name="Someone Else")
    async with sessions() as session:
        found = await services.find_for_phone(session, tenant, "+1 555 123 0001", NOW)
    assert found.appointments == [
        AppointmentInfo(
            appointment_id=sooner,
            start="2026-03-03T10:00:00-05:00",
            spoken="tomorrow at 10:00 AM",
            service="Cleaning",
        ),
        AppointmentInfo(
            appointment_id=later,
            start="2026-03-04T10:00:00-05:00",
            spoken="Wednesday, March 4 at 10:00 AM",
            service="Cleaning",
        ),
    ]
    async with sessions() as session:
        assert (await services.find_for_phone(session, tenant, "  ", NOW)).appointments == []
        after_both = NOW + timedelta(days=3)
        assert (await services.find_for_phone(session, tenant, CALLER, after_both)).appointments == []


async def test_a_move_claims_the_new_time_and_frees_the_old(sessions, tenant, database_url):
    appointment_id = await book(sessions, tenant, TUESDAY_10)
    result = await move(sessions, tenant, appointment_id, TUESDAY_10 + timedelta(hours=2))
    assert result == AppointmentResult(
        ok=True,
        appointment_id=appointment_id,
        start="2026-03-03T12:00:00-05:00",
        end="2026-03-03T12:30:00-05:00",
        spoken="tomorrow at 12:00 PM",
    )
    assert await cells_of(database_url, appointment_id) == utc_cells(TUESDAY_10 + timedelta(hours=2), 2)
    # The old time is free again for someone else.
    await book(sessions, tenant, TUESDAY_10, name="Next Caller", phone="+15559990000")


async def test_a_move_may_overlap_the_appointments_own_time(sessions, tenant, database_url):
    hour_long = config(slot_minutes=60)
    appointment_id = await book(sessions, tenant, TUESDAY_10, calendar=hour_long)
    result = await move(
        sessions, tenant, appointment_id, TUESDAY_10 + timedelta(minutes=30), calendar=hour_long
    )
    assert result.ok and result.end == "2026-03-03T11:30:00-05:00"
    assert await cells_of(database_url, appointment_id) == utc_cells(TUESDAY_10 + timedelta(minutes=30), 4)


async def test_a_move_onto_a_taken_time_changes_nothing(sessions, tenant, database_url):
    mine = await book(sessions, tenant, TUESDAY_10)
    await book(sessions, tenant, TUESDAY_10 + timedelta(hours=1), phone="+15559990000", name="Other")
    result = await move(sessions, tenant, mine, TUESDAY_10 + timedelta(minutes=45))
    assert result == AppointmentResult(ok=False, error="slot_taken")
    stored = await fetch_one(database_url, select(Appointment).where(Appointment.id == mine))
    assert stored.start_at == TUESDAY_10 and stored.end_at == TUESDAY_10 + timedelta(minutes=30)
    assert await cells_of(database_url, mine) == utc_cells(TUESDAY_10, 2)


async def test_a_move_to_another_resource_releases_every_old_cell(sessions, tenant, database_url):
    chairs = config(resources=["chair-1", "chair-2"])
    mine = await book(sessions, tenant, TUESDAY_10, calendar=chairs)
    await book(sessions, tenant, TUESDAY_10 + timedelta(minutes=30), calendar=chairs, phone="+15559990000")
    # 10:15 on chair-1 overlaps the other booking's 10:30; chair-2 is free.
    assert (await move(sessions, tenant, mine, TUESDAY_10 + timedelta(minutes=15), calendar=chairs)).ok
    claims = await fetch_all(database_url, select(SlotClaim).where(SlotClaim.appointment_id == mine))
    assert sorted((claim.resource, claim.cell_start) for claim in claims) == [
        ("chair-2", cell) for cell in utc_cells(TUESDAY_10 + timedelta(minutes=15), 2)
    ]


async def test_a_move_is_checked_like_a_booking(sessions, tenant):
    appointment_id = await book(sessions, tenant, TUESDAY_10)
    assert (await move(sessions, tenant, appointment_id, local(2026, 3, 3, 18, 0))).error == "outside_hours"
    assert (await move(sessions, tenant, appointment_id, local(2026, 3, 3, 10, 7))).error == "invalid_time"
    assert (await move(sessions, tenant, appointment_id, local(2026, 3, 1, 10, 0))).error == "in_past"


async def test_only_the_callers_own_appointment_can_be_moved_or_cancelled(sessions, tenant, database_url):
    appointment_id = await book(sessions, tenant, TUESDAY_10)
    stranger = "+15559990000"
    assert (
        await move(sessions, tenant, appointment_id, TUESDAY_10 + timedelta(hours=1), phone=stranger)
    ).error == ("not_found")
    assert (await cancel(sessions, tenant, appointment_id, phone=stranger)).error == "not_found"
    assert (await cancel(sessions, tenant, "no-such-id")).error == "not_found"
    assert await cells_of(database_url, appointment_id) == utc_cells(TUESDAY_10, 2)


async def test_cancelling_frees_the_time(sessions, tenant, database_url):
    appointment_id = await book(sessions, tenant, TUESDAY_10)
    result = await cancel(sessions, tenant, appointment_id)
    assert result.ok and result.appointment_id == appointment_id and result.spoken == "tomorrow at 10:00 AM"
    stored = await fetch_one(database_url, select(Appointment).where(Appointment.id == appointment_id))
    assert stored.status == "cancelled"
    assert await cells_of(database_url, appointment_id) == []
    assert (await cancel(sessions, tenant, appointment_id)).error == "not_found"  # already cancelled
    assert (await move(sessions, tenant, appointment_id, TUESDAY_10)).error == "not_found"
    await book(sessions, tenant, TUESDAY_10, name="Next Caller")


async def test_a_past_appointment_cannot_be_moved_or_cancelled_by_a_caller(sessions, tenant):
    appointment_id = await book(sessions, tenant, TUESDAY_10)
    next_day = NOW + timedelta(days=2)
    assert (await cancel(sessions, tenant, appointment_id, now=next_day)).error == "in_past"
    assert (
        await move(sessions, tenant, appointment_id, local(2026, 3, 5, 10, 0), now=next_day)
    ).error == "in_past"

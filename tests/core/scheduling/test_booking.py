"""Offering and booking appointments through the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from db_support import fetch_all
from scheduling_support import CALLER, NOW, config, local
from sqlalchemy import select

from core.conversation.tools import AppointmentResult, BookAppointment, CheckAvailability
from core.scheduling import services
from core.scheduling.models import Appointment, SlotClaim
from core.tenancy.models import Tenant

TUESDAY_10 = local(2026, 3, 3, 10, 0)


async def book(sessions, tenant, start, *, calendar=None, name="Jane Doe", **fields):
    args = BookAppointment(
        start=start.isoformat() if hasattr(start, "isoformat") else start, name=name, **fields
    )
    async with sessions() as session:
        result = await services.book(session, tenant, calendar or config(), args, CALLER, "call-1", NOW)
        await session.commit()  # the caller's transaction: a call turn commits the booking
        return result


async def test_a_booking_stores_the_appointment_and_claims_its_cells(sessions, tenant, database_url):
    calendar = config(services={"Cleaning": 60}, buffer_minutes=15)
    result = await book(
        sessions, tenant, TUESDAY_10, calendar=calendar, service="cleaning", phone="(555) 123-0001"
    )
    assert result == AppointmentResult(
        ok=True,
        appointment_id=result.appointment_id,
        start="2026-03-03T10:00:00-05:00",
        end="2026-03-03T11:00:00-05:00",
        spoken="tomorrow at 10:00 AM",
    )
    stored = (await fetch_all(database_url, select(Appointment)))[0]
    assert (stored.service, stored.name, stored.status, stored.call_id) == (
        "Cleaning",
        "Jane Doe",
        "booked",
        "call-1",
    )
    assert stored.start_at == TUESDAY_10 and stored.end_at == TUESDAY_10 + timedelta(hours=1)
    # Not E.164 as given ("(555) 123-0001" has no country code): kept as written.
    assert stored.phone == "(555) 123-0001"
    cells = sorted(await fetch_all(database_url, select(SlotClaim.cell_start)))
    # An hour and the 15-minute buffer, in 15-minute cells.
    assert cells == [(TUESDAY_10 + timedelta(minutes=15 * index)).astimezone(UTC) for index in range(5)]


async def test_the_callers_number_is_the_default_phone_in_e164(sessions, tenant, database_url):
    await book(sessions, tenant, TUESDAY_10)
    await book(sessions, tenant, TUESDAY_10 + timedelta(hours=1), phone="+1 (555) 987-0000")
    phones = sorted(await fetch_all(database_url, select(Appointment.phone)))
    assert phones == ["+15551230001", "+15559870000"]


async def test_a_booked_time_is_no_longer_offered(sessions, tenant):
    async with sessions() as session:
        args = CheckAvailability(date="2026-03-03", earliest="09:30", latest="10:30", limit=5)
        before = await services.check_availability(session, tenant, config(), args, NOW)
    assert [slot.start[11:16] for slot in before.slots] == ["09:30", "09:45", "10:00", "10:15", "10:30"]
    assert before.slots[2].spoken == "tomorrow at 10:00 AM"
    assert before.slots[2].end == "2026-03-03T10:30:00-05:00"
    assert (await book(sessions, tenant, TUESDAY_10)).ok
    async with sessions() as session:
        after = await services.check_availability(session, tenant, config(), args, NOW)
    assert [slot.start[11:16] for slot in after.slots] == ["09:30", "10:30"]


async def test_availability_speaks_dates_beyond_tomorrow(sessions, tenant):
    async with sessions() as session:
        args = CheckAvailability(date="2026-03-05", limit=1)
        result = await services.check_availability(session, tenant, config(), args, NOW)
    assert [slot.spoken for slot in result.slots] == ["Thursday, March 5 at 9:00 AM"]


async def test_the_same_slot_cannot_be_booked_twice(sessions, tenant, database_url):
    assert (await book(sessions, tenant, TUESDAY_10)).ok
    second = await book(sessions, tenant, TUESDAY_10, name="John Roe")
    assert second == AppointmentResult(ok=False, error="slot_taken")
    assert [row.name for row in await fetch_all(database_url, select(Appointment))] == ["Jane Doe"]


async def test_an_overlapping_booking_is_refused(sessions, tenant):
    assert (await book(sessions, tenant, TUESDAY_10, calendar=config(slot_minutes=60))).ok
    overlapping = await book(sessions, tenant, TUESDAY_10 + timedelta(minutes=30))
    assert overlapping.error == "slot_taken"
    assert (await book(sessions, tenant, TUESDAY_10 + timedelta(minutes=60))).ok


async def test_the_buffer_keeps_the_next_booking_away(sessions, tenant):
    buffered = config(buffer_minutes=15)
    assert (await book(sessions, tenant, TUESDAY_10, calendar=buffered)).ok
    assert (
        await book(sessions, tenant, TUESDAY_10 + timedelta(minutes=30), calendar=buffered)
    ).error == "slot_taken"
    assert (await book(sessions, tenant, TUESDAY_10 + timedelta(minutes=45), calendar=buffered)).ok


async def test_a_second_resource_takes_the_second_booking(sessions, tenant, database_url):
    chairs = config(resources=["chair-1", "chair-2"])
    results = [
        await book(sessions, tenant, TUESDAY_10, calendar=chairs, name=name) for name in ("A", "B", "C")
    ]
    assert [result.error for result in results] == [None, None, "slot_taken"]
    rows = await fetch_all(database_url, select(Appointment).order_by(Appointment.name))
    assert [(row.name, row.resource) for row in rows] == [("A", "chair-1"), ("B", "chair-2")]


@pytest.mark.parametrize(
    ("start", "error"),
    [
        ("next tuesday", "invalid_time"),
        (local(2026, 3, 3, 10, 5), "invalid_time"),
        (local(2026, 3, 1, 10, 0), "in_past"),
        (local(2026, 3, 2, 8, 30), "too_soon"),
        (local(2026, 5, 1, 10, 0), "too_far"),
        (local(2026, 3, 3, 18, 0), "outside_hours"),
        (local(2026, 3, 7, 10, 0), "outside_hours"),  # Saturday
        (local(2026, 3, 4, 10, 0), "outside_hours"),  # closed that day
    ],
)
async def test_a_slot_that_cannot_be_booked_says_why(sessions, tenant, database_url, start, error):
    result = await book(sessions, tenant, start, calendar=config(closures=["2026-03-04"]))
    assert result == AppointmentResult(ok=False, error=error)
    assert await fetch_all(database_url, select(Appointment)) == []


async def test_a_booking_needs_a_name(sessions, tenant):
    assert (await book(sessions, tenant, TUESDAY_10, name="  ")).error == "missing_name"


async def test_a_start_without_an_offset_is_the_tenants_local_time(sessions, tenant, database_url):
    result = await book(sessions, tenant, "2026-03-03T10:00")
    assert result.start == "2026-03-03T10:00:00-05:00"
    assert (await fetch_all(database_url, select(Appointment.start_at))) == [TUESDAY_10.astimezone(UTC)]


async def test_a_booking_is_part_of_the_callers_transaction(sessions, tenant, database_url):
    async with sessions() as session:
        args = BookAppointment(start=TUESDAY_10.isoformat(), name="Jane Doe")
        assert (await services.book(session, tenant, config(), args, CALLER, None, NOW)).ok
        await session.rollback()  # the turn failed: its booking goes with it
    assert await fetch_all(database_url, select(Appointment)) == []
    assert await fetch_all(database_url, select(SlotClaim)) == []


async def test_a_lost_race_keeps_the_callers_own_work(sessions, tenant, database_url):
    assert (await book(sessions, tenant, TUESDAY_10)).ok
    async with sessions() as session:
        row = await session.get(Tenant, tenant.id)
        row.name = "Bright Smiles Dental"  # the caller's own pending change, made before booking
        args = BookAppointment(start=TUESDAY_10.isoformat(), name="Late")
        assert (await services.book(session, row, config(), args, CALLER, None, NOW)).error == "slot_taken"
        assert row.name == "Bright Smiles Dental"  # still loaded: nothing of the caller's was expired
        # The same transaction goes on to book another time, and commits both.
        args = BookAppointment(start=(TUESDAY_10 + timedelta(hours=2)).isoformat(), name="Late")
        assert (await services.book(session, row, config(), args, CALLER, None, NOW)).ok
        await session.commit()
    assert await fetch_all(database_url, select(Tenant.name)) == ["Bright Smiles Dental"]
    assert sorted(await fetch_all(database_url, select(Appointment.name))) == ["Jane Doe", "Late"]

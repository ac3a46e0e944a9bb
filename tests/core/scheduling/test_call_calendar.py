"""The calendar tools as one call's tool executor uses them."""

from __future__ import annotations

from datetime import timedelta

from db_support import fetch_one
from scheduling_support import CALLER, NOW, config, local
from sqlalchemy import select

from core.context import CallContext, TenantIdentity
from core.conversation.tools import (
    BookAppointment,
    CancelAppointment,
    CheckAvailability,
    FindAppointments,
    RescheduleAppointment,
)
from core.scheduling.models import Appointment
from core.scheduling.tools import calendar_for_call

TUESDAY_10 = local(2026, 3, 3, 10, 0)


def call_to(tenant, caller=CALLER, **plugin_configs) -> CallContext:
    identity = TenantIdentity(
        id=tenant.id, slug=tenant.slug, name=tenant.name, timezone=tenant.timezone, business=tenant.business
    )
    return CallContext(
        call_sid="CA123",
        tenant=identity,
        caller=caller,
        called="+15559870000",
        language="en-US",
        now=NOW,
        plugin_configs=plugin_configs,
    )


async def test_no_calendar_plugin_no_calendar_tools(sessions, tenant):
    async with sessions() as session:
        assert calendar_for_call(session, call_to(tenant), "call-1") is None


async def test_a_call_offers_books_finds_moves_and_cancels(sessions, tenant, database_url):
    call = call_to(tenant, calendar=config(slot_minutes=60))
    async with sessions() as session:
        calendar = calendar_for_call(session, call, "call-1")
        offered = await calendar.check_availability(CheckAvailability(date="2026-03-03", limit=1))
        assert [slot.spoken for slot in offered.slots] == ["tomorrow at 9:00 AM"]
        assert offered.slots[0].end == "2026-03-03T10:00:00-05:00"  # the configured hour
        booked = await calendar.book(BookAppointment(start=TUESDAY_10.isoformat(), name="Jane Doe"))
        await session.commit()
    stored = await fetch_one(database_url, select(Appointment))
    assert (stored.id, stored.phone, stored.call_id) == (booked.appointment_id, CALLER, "call-1")

    async with sessions() as session:
        calendar = calendar_for_call(session, call, "call-2")
        found = await calendar.find(FindAppointments())
        assert [item.appointment_id for item in found.appointments] == [booked.appointment_id]
        later = (TUESDAY_10 + timedelta(hours=2)).isoformat()
        moved = await calendar.reschedule(
            RescheduleAppointment(appointment_id=booked.appointment_id, start=later)
        )
        assert moved.ok and moved.spoken == "tomorrow at 12:00 PM"
        assert (await calendar.cancel(CancelAppointment(appointment_id=booked.appointment_id))).ok
        await session.commit()
    assert (await fetch_one(database_url, select(Appointment.status))) == "cancelled"


async def test_another_caller_cannot_touch_the_appointment(sessions, tenant):
    async with sessions() as session:
        mine = calendar_for_call(session, call_to(tenant, calendar=config()), "call-1")
        booked = await mine.book(BookAppointment(start=TUESDAY_10.isoformat(), name="Jane Doe"))
        await session.commit()
    async with sessions() as session:
        theirs = calendar_for_call(session, call_to(tenant, "+15559990000", calendar=config()), "call-2")
        assert (await theirs.find(FindAppointments())).appointments == []
        assert (
            await theirs.cancel(CancelAppointment(appointment_id=booked.appointment_id))
        ).error == "not_found"
        # Looking up another number is the tool's contract; changing that number's bookings is not.
        assert len((await theirs.find(FindAppointments(phone=CALLER))).appointments) == 1

"""No double booking under concurrent requests: the database decides, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, timedelta

from db_support import fetch_all
from scheduling_support import CALLER, NOW, config, local
from sqlalchemy import func, select

from core.conversation.tools import AppointmentResult, BookAppointment, RescheduleAppointment
from core.scheduling import services
from core.scheduling.models import Appointment, SlotClaim

CONTENDERS = 8
TUESDAY_10 = local(2026, 3, 3, 10, 0)


async def race(sessions, attempt) -> list[AppointmentResult]:
    """Run ``attempt(session, index)`` CONTENDERS times at once, each on its own connection."""
    ready = asyncio.Barrier(CONTENDERS)

    async def contender(index: int) -> AppointmentResult:
        async with sessions() as session:
            # Hold a connection before the start, so every attempt really is on its own.
            await session.connection()
            await ready.wait()
            result = await attempt(session, index)
            await session.commit()
            return result

    return list(await asyncio.gather(*(contender(index) for index in range(CONTENDERS))))


async def test_concurrent_bookings_of_one_slot_give_exactly_one_appointment(sessions, tenant, database_url):
    async def attempt(session, index):
        args = BookAppointment(start=TUESDAY_10.isoformat(), name=f"Caller {index}")
        return await services.book(session, tenant, config(), args, CALLER, None, NOW)

    results = await race(sessions, attempt)
    assert sum(result.ok for result in results) == 1
    assert sorted(result.error or "" for result in results) == [""] + ["slot_taken"] * (CONTENDERS - 1)
    booked = await fetch_all(database_url, select(Appointment))
    assert len(booked) == 1 and booked[0].id == next(r.appointment_id for r in results if r.ok)
    claims = await fetch_all(database_url, select(SlotClaim.appointment_id))
    assert claims == [booked[0].id] * 2  # 30 minutes in 15-minute cells


async def test_concurrent_overlapping_bookings_never_share_a_minute(sessions, tenant, database_url):
    hour_long = config(slot_minutes=60)

    async def attempt(session, index):
        start = TUESDAY_10 + timedelta(minutes=15 * index)  # 10:00, 10:15, ... 11:45: all overlap a neighbour
        args = BookAppointment(start=start.isoformat(), name=f"Caller {index}")
        return await services.book(session, tenant, hour_long, args, CALLER, None, NOW)

    results = await race(sessions, attempt)
    assert any(result.ok for result in results)
    assert {result.error for result in results if not result.ok} <= {"slot_taken"}
    booked = sorted(await fetch_all(database_url, select(Appointment)), key=lambda row: row.start_at)
    assert len(booked) == sum(result.ok for result in results)
    for earlier, later in itertools.pairwise(booked):
        assert earlier.end_at <= later.start_at
    claim_count = await fetch_all(database_url, select(func.count()).select_from(SlotClaim))
    assert claim_count == [4 * len(booked)]


async def test_concurrent_moves_into_one_slot_let_exactly_one_through(sessions, tenant, database_url):
    ids = []
    for index in range(CONTENDERS):
        async with sessions() as session:
            start = local(2026, 3, 4, 9, 0) + timedelta(minutes=30 * index)
            args = BookAppointment(start=start.isoformat(), name=f"Caller {index}")
            result = await services.book(session, tenant, config(), args, CALLER, None, NOW)
            await session.commit()
            ids.append(result.appointment_id)

    async def attempt(session, index):
        args = RescheduleAppointment(appointment_id=ids[index], start=TUESDAY_10.isoformat())
        return await services.reschedule(session, tenant, config(), args, NOW, phone=None)

    results = await race(sessions, attempt)
    assert sum(result.ok for result in results) == 1
    at_ten = await fetch_all(
        database_url, select(Appointment).where(Appointment.start_at == TUESDAY_10.astimezone(UTC))
    )
    assert len(at_ten) == 1
    # Every appointment still holds exactly its own two cells.
    per_appointment = await fetch_all(
        database_url, select(func.count()).select_from(SlotClaim).group_by(SlotClaim.appointment_id)
    )
    assert per_appointment == [2] * CONTENDERS

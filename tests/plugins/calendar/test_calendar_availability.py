"""What the built-in calendar offers: hours, closures, lead time, horizon, buffers, claims, DST."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from calendar_support import DENTIST, FakeClaims, config, tenant_with

from plugins.calendar import cells, free_slots, slot_problem, spoken_time

NEW_YORK = ZoneInfo("America/New_York")
MINUTES_30 = timedelta(minutes=30)
# Sunday 2026-03-01, well before the week the tests book in.
LONG_AGO = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def day_of(year: int, month: int, day: int) -> tuple[datetime, datetime]:
    start = local(year, month, day)
    return start, start + timedelta(days=1)


def clocks(slots) -> list[str]:
    return [slot.start.astimezone(NEW_YORK).strftime("%H:%M") for slot in slots]


async def test_slots_run_through_business_hours_in_the_tenants_time():
    start, end = day_of(2026, 3, 3)  # a Tuesday, 09:00-17:00
    slots = await free_slots(DENTIST, config(grid_minutes=30), start, end, MINUTES_30, LONG_AGO, FakeClaims())
    assert clocks(slots) == [f"{hour:02d}:{minute:02d}" for hour in range(9, 17) for minute in (0, 30)]
    assert slots[0].start == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # 09:00 EST
    assert slots[-1].end == datetime(2026, 3, 3, 22, 0, tzinfo=UTC)  # ends at closing, 17:00 EST


async def test_a_weekday_missing_from_hours_is_closed():
    start, end = day_of(2026, 3, 8)  # a Sunday
    assert await free_slots(DENTIST, config(), start, end, MINUTES_30, LONG_AGO, FakeClaims()) == []


async def test_opening_hours_stay_local_across_the_daylight_saving_change():
    before = await free_slots(DENTIST, config(), *day_of(2026, 3, 6), MINUTES_30, LONG_AGO, FakeClaims())
    after = await free_slots(DENTIST, config(), *day_of(2026, 3, 9), MINUTES_30, LONG_AGO, FakeClaims())
    assert before[0].start == datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # Friday 09:00 EST
    assert after[0].start == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # Monday 09:00 EDT
    assert clocks(before) == clocks(after)


async def test_the_spring_forward_day_has_23_hours_of_slots():
    open_all_day = tenant_with(hours={"sun": [["00:00", "24:00"]]})
    hourly = config(slot_minutes=60, grid_minutes=60, lead_time_minutes=0)
    slots = await free_slots(
        open_all_day, hourly, *day_of(2026, 3, 8), timedelta(hours=1), LONG_AGO, FakeClaims()
    )
    assert len(slots) == 23
    assert "02:00" not in clocks(slots)  # that hour does not exist in New York that day
    assert all(b.start - a.start == timedelta(hours=1) for a, b in itertools.pairwise(slots))


async def test_the_fall_back_day_has_25_hours_of_slots():
    open_all_day = tenant_with(hours={"sun": [["00:00", "24:00"]]})
    hourly = config(slot_minutes=60, grid_minutes=60, lead_time_minutes=0, horizon_days=366)
    slots = await free_slots(
        open_all_day, hourly, *day_of(2026, 11, 1), timedelta(hours=1), LONG_AGO, FakeClaims()
    )
    assert len(slots) == 25
    assert clocks(slots).count("01:00") == 2  # the repeated hour, once in EDT and once in EST


async def test_closures_close_the_whole_day():
    closed = config(closures=["2026-03-03"])
    start, end = local(2026, 3, 3), local(2026, 3, 5)
    slots = await free_slots(DENTIST, closed, start, end, MINUTES_30, LONG_AGO, FakeClaims())
    assert {slot.start.astimezone(NEW_YORK).date().isoformat() for slot in slots} == {"2026-03-04"}


async def test_nothing_starts_inside_the_lead_time():
    now = local(2026, 3, 3, 10, 10).astimezone(UTC)
    slots = await free_slots(DENTIST, config(), *day_of(2026, 3, 3), MINUTES_30, now, FakeClaims())
    assert clocks(slots)[0] == "11:15"  # 10:10 + 60 minutes, up to the 15-minute grid


async def test_nothing_starts_past_the_horizon():
    now = local(2026, 3, 3, 12, 0).astimezone(UTC)
    week = (local(2026, 3, 3), local(2026, 3, 10))
    slots = await free_slots(DENTIST, config(horizon_days=1), *week, MINUTES_30, now, FakeClaims())
    assert slots[-1].start == local(2026, 3, 4, 12, 0)
    assert slots[0].start == local(2026, 3, 3, 13, 0)


async def test_claimed_cells_are_not_offered():
    eleven = local(2026, 3, 3, 11, 0)
    slots = await free_slots(
        DENTIST, config(), *day_of(2026, 3, 3), MINUTES_30, LONG_AGO, FakeClaims(default=[eleven])
    )
    morning = [clock for clock in clocks(slots) if clock < "12:00"]
    assert "10:30" in morning and "11:15" in morning
    assert "10:45" not in morning and "11:00" not in morning  # both would need the 11:00 cell


async def test_the_buffer_after_an_appointment_is_kept_free():
    buffered = config(buffer_minutes=15)
    booked = cells(buffered, local(2026, 3, 3, 10, 0), MINUTES_30)  # 10:00, 10:15 and the 10:30 buffer
    assert booked == [local(2026, 3, 3, 10, minute) for minute in (0, 15, 30)]
    slots = await free_slots(
        DENTIST, buffered, *day_of(2026, 3, 3), MINUTES_30, LONG_AGO, FakeClaims(default=booked)
    )
    morning = [clock for clock in clocks(slots) if clock < "11:00"]
    assert morning == ["09:00", "09:15", "10:45"]  # 09:30 would run its buffer into 10:00


async def test_a_service_takes_its_own_length():
    with_services = config(services={"Cleaning": 60})
    assert with_services.duration("cleaning") == timedelta(minutes=60)
    assert with_services.duration("Something else") == timedelta(minutes=30)
    assert with_services.duration(None) == timedelta(minutes=30)
    slots = await free_slots(
        DENTIST,
        with_services,
        *day_of(2026, 3, 3),
        with_services.duration("Cleaning"),
        LONG_AGO,
        FakeClaims(),
    )
    assert clocks(slots)[-1] == "16:00"
    assert slots[-1].end - slots[-1].start == timedelta(hours=1)


async def test_a_time_is_free_while_any_resource_is_free():
    two_chairs = config(resources=["chair-1", "chair-2"])
    eleven = local(2026, 3, 3, 11, 0)
    one_busy = FakeClaims(**{"chair-1": [eleven]})
    both_busy = FakeClaims(**{"chair-1": [eleven], "chair-2": [eleven]})
    day = day_of(2026, 3, 3)
    assert "11:00" in clocks(await free_slots(DENTIST, two_chairs, *day, MINUTES_30, LONG_AGO, one_busy))
    assert "11:00" not in clocks(await free_slots(DENTIST, two_chairs, *day, MINUTES_30, LONG_AGO, both_busy))
    assert {asked[1] for asked in both_busy.asked} == {"chair-1", "chair-2"}


async def test_no_hours_means_open_all_day():
    always = tenant_with()
    half_hourly = config(grid_minutes=30)
    slots = await free_slots(always, half_hourly, *day_of(2026, 3, 8), MINUTES_30, LONG_AGO, FakeClaims())
    assert len(slots) == 46  # the spring-forward Sunday: 23 hours


async def test_a_period_past_midnight_continues_into_the_next_day():
    late = tenant_with(hours={"fri": [["22:00", "02:00"]]})
    start, end = local(2026, 3, 6, 12, 0), local(2026, 3, 7, 12, 0)
    slots = await free_slots(late, config(grid_minutes=30), start, end, MINUTES_30, LONG_AGO, FakeClaims())
    assert slots[0].start == local(2026, 3, 6, 22, 0)
    assert slots[-1].start == local(2026, 3, 7, 1, 30)
    assert len(slots) == 8


NOW = local(2026, 3, 3, 8, 0).astimezone(UTC)  # Tuesday, before opening


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (local(2026, 3, 3, 10, 0), None),
        (local(2026, 3, 3, 16, 30), None),  # ends exactly at closing
        (local(2026, 3, 2, 10, 0), "in_past"),
        (local(2026, 3, 3, 8, 30), "too_soon"),
        (local(2026, 4, 10, 10, 0), "too_far"),
        (local(2026, 3, 3, 10, 5), "invalid_time"),  # off the 15-minute grid
        (local(2026, 3, 3, 16, 45), "outside_hours"),  # would end after closing
        (local(2026, 3, 5, 8, 45), "outside_hours"),  # before opening
        (local(2026, 3, 8, 10, 0), "outside_hours"),  # Sunday
        (local(2026, 3, 4, 10, 0), "outside_hours"),  # the closure below
    ],
)
def test_slot_problem(start, problem):
    assert (
        slot_problem(DENTIST, config(closures=["2026-03-04"]), start.astimezone(UTC), MINUTES_30, NOW)
        == problem
    )


@pytest.mark.parametrize(
    ("moment", "today", "spoken"),
    [
        (local(2026, 3, 3, 15, 0), None, "Tuesday, March 3 at 3:00 PM"),
        (local(2026, 3, 3, 0, 5), None, "Tuesday, March 3 at 12:05 AM"),
        (local(2026, 12, 25, 12, 30), None, "Friday, December 25 at 12:30 PM"),
        (local(2026, 3, 3, 9, 0), local(2026, 3, 3).date(), "today at 9:00 AM"),
        (local(2026, 3, 4, 11, 45), local(2026, 3, 3).date(), "tomorrow at 11:45 AM"),
    ],
)
def test_spoken_time_is_in_the_tenants_time(moment, today, spoken):
    assert spoken_time(moment.astimezone(UTC), NEW_YORK, today) == spoken

"""What a caller is offered: a few slots, soonest first, spread over the day and time window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from calendar_support import DENTIST, FakeClaims, config

from plugins.calendar import CalendarArgumentError, offer_slots, parse_start

NEW_YORK = ZoneInfo("America/New_York")
MONDAY_8_AM = datetime(2026, 3, 2, 8, 0, tzinfo=NEW_YORK).astimezone(UTC)
HALF_HOUR = timedelta(minutes=30)


def spoken(slots) -> list[str]:
    return [slot.start.astimezone(NEW_YORK).strftime("%a %H:%M") for slot in slots]


async def offer(claims=None, **kwargs):
    return await offer_slots(
        DENTIST, config(grid_minutes=30), claims or FakeClaims(), MONDAY_8_AM, duration=HALF_HOUR, **kwargs
    )


async def test_choices_run_from_the_first_free_time_to_the_last():
    # Sixteen half-hour slots from 09:00 (the lead time after 08:00) to 16:30; three offered.
    assert spoken(await offer()) == ["Mon 09:00", "Mon 13:00", "Mon 16:30"]


async def test_a_date_and_a_time_window_narrow_the_choices():
    slots = await offer(day="2026-03-04", earliest="13:00", latest="15:00", limit=5)
    assert spoken(slots) == ["Wed 13:00", "Wed 13:30", "Wed 14:00", "Wed 14:30", "Wed 15:00"]


async def test_a_full_first_day_hands_over_to_the_next():
    # Only 16:30 is left on Monday.
    monday = [datetime(2026, 3, 2, 9, 0, tzinfo=NEW_YORK) + HALF_HOUR * index for index in range(15)]
    slots = await offer(FakeClaims(default=monday))
    assert spoken(slots) == ["Mon 16:30", "Tue 09:00", "Tue 16:30"]


async def test_the_limit_is_kept_to_what_a_caller_can_listen_to():
    assert len(await offer(limit=50)) == 10
    assert len(await offer(limit=0)) == 1


async def test_a_closed_date_offers_nothing():
    assert await offer(day="2026-03-08") == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"day": "next tuesday"}, "date"), ({"earliest": "3pm"}, "earliest"), ({"latest": "25:00"}, "latest")],
)
async def test_a_date_or_time_that_is_not_one_is_refused_by_name(kwargs, field):
    with pytest.raises(CalendarArgumentError) as caught:
        await offer(**kwargs)
    assert caught.value.field == field


def test_a_start_without_an_offset_is_local_time():
    assert parse_start("2026-03-03T15:00:00", NEW_YORK) == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    assert parse_start("2026-03-03T15:00:00-05:00", NEW_YORK) == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    assert parse_start("2026-03-03T20:00:00Z", NEW_YORK) == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    assert parse_start("tomorrow at three", NEW_YORK) is None

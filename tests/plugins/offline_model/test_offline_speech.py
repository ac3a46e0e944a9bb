"""How hours, slots, times and numbers are put into words."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from plugins.offline_model.dates import TimePreference
from plugins.offline_model.lang import language_for
from plugins.offline_model.speech import (
    clock,
    day_hours,
    describe,
    hours_summary,
    join,
    offers_text,
    open_status,
    phone_digits,
)
from plugins.offline_model.state import Offer

ENGLISH = language_for("en")
ZONE = ZoneInfo("America/Chicago")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
DENTIST = {day: [["08:00", "17:00"]] for day in WEEKDAYS[:4]} | {"fri": [["08:00", "14:00"]]}


@pytest.mark.parametrize(
    ("hours", "spoken"),
    [
        (DENTIST, "Monday to Thursday 8 AM to 5 PM and Friday 8 AM to 2 PM"),
        ({day: [["09:00", "17:30"]] for day in WEEKDAYS}, "Monday to Friday 9 AM to 5:30 PM"),
        (
            {
                "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
                "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
            },
            "Monday and Tuesday 9 AM to 12 PM and 1 PM to 5 PM",
        ),
        (
            {"mon": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]], "sat": [["10:00", "14:00"]]},
            "Monday 9 AM to 5 PM, Wednesday 9 AM to 5 PM, and Saturday 10 AM to 2 PM",
        ),
        ({day: [["00:00", "24:00"]] for day in (*WEEKDAYS, "sat", "sun")}, "Monday to Sunday 24 hours"),
    ],
)
def test_hours_are_grouped_into_a_sentence(hours, spoken):
    assert hours_summary(hours, ENGLISH) == spoken


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (datetime(2026, 2, 26, 10, 0, tzinfo=ZONE), "We're open now until 5 PM."),
        (
            datetime(2026, 2, 26, 18, 0, tzinfo=ZONE),
            "We're closed right now, and we open again tomorrow at 8 AM.",
        ),
        (
            datetime(2026, 2, 27, 15, 0, tzinfo=ZONE),
            "We're closed right now, and we open again Monday, March 2 at 8 AM.",
        ),
        (
            datetime(2026, 2, 26, 7, 0, tzinfo=ZONE),
            "We're closed right now, and we open again today at 8 AM.",
        ),
    ],
)
def test_open_or_closed_now(moment, status):
    assert open_status(DENTIST, moment, ENGLISH) == status


def test_one_days_hours():
    today = date(2026, 2, 26)
    assert day_hours(DENTIST, date(2026, 2, 27), today, ENGLISH) == "Tomorrow we're open 8 AM to 2 PM."
    assert day_hours(DENTIST, date(2026, 2, 28), today, ENGLISH) == "On Saturday we're closed."


def test_slots_on_one_day_share_the_day():
    offers = [
        Offer(start="2026-03-03T09:00:00-06:00", end="", spoken="Tuesday, March 3 at 9:00 AM"),
        Offer(start="2026-03-03T14:00:00-06:00", end="", spoken="Tuesday, March 3 at 2:00 PM"),
    ]
    assert offers_text(offers, ZONE, ENGLISH) == "Tuesday, March 3 at 9:00 AM or 2:00 PM"
    other_day = Offer(start="2026-03-04T09:00:00-06:00", end="", spoken="")
    assert offers_text([offers[0], other_day], ZONE, ENGLISH) == (
        "Tuesday, March 3 at 9:00 AM or Wednesday, March 4 at 9:00 AM"
    )


def test_preferences_spoken_back():
    today = date(2026, 2, 26)
    tomorrow = date(2026, 2, 27)
    morning = TimePreference(first_day=tomorrow, last_day=tomorrow, latest=time(12), part="morning")
    assert describe(morning, today, ENGLISH) == "tomorrow morning"
    one_day = date(2026, 3, 3)
    assert describe(TimePreference(first_day=one_day, last_day=one_day, exact=time(15)), today, ENGLISH) == (
        "Tuesday, March 3 at 3 PM"
    )
    assert describe(TimePreference(earliest=time(16)), today, ENGLISH) == "after 4 PM"


def test_small_words():
    assert join(["a", "b", "c"], "or", ENGLISH) == "a, b, or c"
    assert join(["a", "b"], "and", ENGLISH) == "a and b"
    assert clock(time(15), ENGLISH) == "3 PM"
    assert clock(time(9, 30), ENGLISH) == "9:30 AM"
    assert clock(time(12), ENGLISH, minutes=True) == "12:00 PM"
    assert phone_digits("+15551230001") == "5 5 5, 1 2 3, 0 0 0 1"

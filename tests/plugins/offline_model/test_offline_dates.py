"""Date and time phrases read in the tenant's timezone, relative to a fixed "now"."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from plugins.offline_model.dates import TimePreference, mentioned_days, parse_when
from plugins.offline_model.lang import language_for

ENGLISH = language_for("en-US")
ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2026, 2, 26, 10, 0, tzinfo=ZONE)  # Thursday, February 26, 2026, 10:00
HOURS = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu")} | {"fri": [["08:00", "14:00"]]}
EVENINGS = {day: [["12:00", "21:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
THU, FRI, SAT = date(2026, 2, 26), date(2026, 2, 27), date(2026, 2, 28)
MON, TUE, WED = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)


def when(text: str, hours=HOURS, **kwargs) -> TimePreference | None:
    return parse_when(text, NOW, ENGLISH, hours, **kwargs)


def one_day(day: date, **fields) -> TimePreference:
    return TimePreference(first_day=day, last_day=day, **fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", one_day(THU)),
        ("tomorrow", one_day(FRI)),
        ("the day after tomorrow", one_day(SAT)),
        ("Tuesday", one_day(TUE)),
        ("next Tuesday", one_day(TUE)),
        ("this Friday", one_day(FRI)),
        ("on Thursday", one_day(date(2026, 3, 5))),  # a weekday said on that weekday: next week's
        ("this Thursday", one_day(THU)),
        ("on the 14th", one_day(date(2026, 3, 14))),
        ("the 26th", one_day(THU)),
        ("March 3rd", one_day(TUE)),
        ("the third of March", one_day(TUE)),
        ("February 2", one_day(date(2027, 2, 2))),  # already past this year
        ("3/14", one_day(date(2026, 3, 14))),
        ("12/25/2026", one_day(date(2026, 12, 25))),
        ("in two days", one_day(SAT)),
        ("Tuesday next week", one_day(TUE)),
        ("Tuesday the 10th", one_day(date(2026, 3, 10))),
        ("next week", TimePreference(first_day=MON, last_day=date(2026, 3, 8))),
        ("later this week", TimePreference(first_day=FRI, last_day=date(2026, 3, 1))),
        ("this weekend", TimePreference(first_day=SAT, last_day=date(2026, 3, 1))),
    ],
)
def test_days(text, expected):
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ("at 3", time(15)),
        ("at 9", time(9)),
        ("3 pm", time(15)),
        ("at 10 a.m.", time(10)),
        ("3:30", time(15, 30)),
        ("at three thirty", time(15, 30)),
        ("noon", time(12)),
        ("half past two", time(14, 30)),
        ("quarter to five", time(16, 45)),
        ("quarter past 11", time(11, 15)),
        ("5 o'clock", time(17)),
        ("3 in the afternoon", time(15)),
        ("at 8 in the morning", time(8)),
        ("at 14:45", time(14, 45)),
    ],
)
def test_exact_times_take_the_business_hours_reading(text, exact):
    assert when(text) == TimePreference(exact=exact, part=when(text).part)


def test_am_or_pm_follows_the_hours_of_the_business():
    assert when("at 8").exact == time(8)
    # A business open noon to nine sees "at 8" in the evening.
    assert when("at 8", hours=EVENINGS).exact == time(20)
    # No hours at all: the hours people usually book.
    assert when("at 4", hours=None).exact == time(16)
    assert when("at 10", hours=None).exact == time(10)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("in the morning", None, time(12)),
        ("tomorrow afternoon", time(12), time(17)),
        ("in the evening", time(17), None),
        ("after 4", time(16), None),
        ("before noon", None, time(12)),
        ("by 10", None, time(10)),
        ("between 1 and 3", time(13), time(15)),
        ("from 9 to 11", time(9), time(11)),
        ("between 5 and 3", time(15), time(17)),
    ],
)
def test_windows(text, earliest, latest):
    found = when(text)
    assert (found.earliest, found.latest, found.exact) == (earliest, latest, None)


def test_a_day_and_a_time_together():
    assert when("next Tuesday at 3") == one_day(TUE, exact=time(15))
    assert when("tomorrow morning") == one_day(FRI, latest=time(12), part="morning")
    assert when("Can I come in at 10:15 on March 4?") == one_day(WED, exact=time(10, 15))
    assert when("tonight") == one_day(THU, earliest=time(17), part="tonight")


@pytest.mark.parametrize(
    "text", ["earliest", "as soon as possible", "the first available", "whenever", "any time"]
)
def test_soonest(text):
    assert when(text).asap


def test_a_bare_number_is_a_time_only_when_one_is_expected():
    assert when("4 works") is None
    assert when("4 works", expect_time=True).exact == time(16)
    assert when("the first one", expect_time=True) is None
    assert when("option 3", expect_time=True) is None
    assert when("I have 2 kids") is None


@pytest.mark.parametrize("text", ["I'd like a cleaning", "May I book?", "can I talk to someone", ""])
def test_no_date_no_preference(text):
    assert when(text) is None


def test_the_latest_mention_wins_and_all_are_listed():
    assert when("not Tuesday, Wednesday") == one_day(WED)
    assert mentioned_days("move it from Tuesday to Friday", NOW, ENGLISH) == [TUE, FRI]


def test_a_later_preference_updates_an_earlier_one():
    first = one_day(TUE, exact=time(15))
    assert first.merged(when("what about Wednesday")) == one_day(WED, exact=time(15))
    assert first.merged(when("anything in the morning")) == one_day(TUE, latest=time(12), part="morning")
    assert first.merged(when("whatever is soonest")) == TimePreference(asap=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday 11th", one_day(date(2026, 3, 11))),
        (
            "wednesday the 11th in the afternoon",
            one_day(date(2026, 3, 11), earliest=time(12), latest=time(17), part="afternoon"),
        ),
        ("Tuesday, May 12th", one_day(date(2026, 5, 12))),
        ("Tuesday 12th", one_day(date(2026, 5, 12))),  # the first 12th to come that is a Tuesday
    ],
)
def test_a_weekday_with_an_ordinal_day_is_that_date(text: str, expected: TimePreference) -> None:
    assert when(text) == expected

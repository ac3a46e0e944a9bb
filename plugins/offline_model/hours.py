"""Reading a tenant's business hours (``{"mon": [["09:00", "17:00"]], ...}``) as times and days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
END_OF_DAY = time(23, 59, 59)

Interval = tuple[time, time]


def _clock(text: str) -> time | None:
    hour, _, minute = str(text).partition(":")
    if not (hour.isdigit() and minute.isdigit()):
        return None
    if int(hour) >= 24:
        return END_OF_DAY
    return time(int(hour), int(minute))


def intervals(hours: Mapping[str, Any] | None, weekday: int) -> list[Interval] | None:
    """The opening intervals of ``weekday`` (0 = Monday); None when the tenant set no hours at all.

    An interval that runs past midnight is cut at the end of its day (the night after belongs to
    the next day's question, and no one books an appointment at 2 AM).
    """
    if not hours:
        return None
    found: list[Interval] = []
    for pair in hours.get(WEEKDAY_KEYS[weekday], []) or []:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        opens, closes = _clock(pair[0]), _clock(pair[1])
        if opens is None or closes is None:
            continue
        found.append((opens, closes if closes > opens else END_OF_DAY))
    return sorted(found)


def is_open_day(hours: Mapping[str, Any] | None, day: date) -> bool:
    """Whether the business opens at all on ``day`` (always, when it set no hours)."""
    found = intervals(hours, day.weekday())
    return found is None or bool(found)


def within_hours(hours: Mapping[str, Any] | None, weekday: int | None, moment: time) -> bool:
    """Whether ``moment`` falls in the hours of ``weekday`` (of any day, when ``weekday`` is None)."""
    days = range(7) if weekday is None else [weekday]
    for day in days:
        found = intervals(hours, day)
        if found is None:
            return True
        if any(opens <= moment < closes for opens, closes in found):
            return True
    return False


def open_days(hours: Mapping[str, Any] | None, first: date, last: date, limit: int) -> list[date]:
    """Up to ``limit`` days from ``first`` to ``last`` (inclusive) on which the business opens."""
    days = []
    day = first
    while day <= last and len(days) < limit:
        if is_open_day(hours, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def current_interval(hours: Mapping[str, Any] | None, now: datetime) -> Interval | None:
    """The interval ``now`` (local) falls in, if the business is open."""
    for opens, closes in intervals(hours, now.weekday()) or []:
        if opens <= now.time() < closes:
            return opens, closes
    return None


def next_opening(hours: Mapping[str, Any] | None, now: datetime) -> datetime | None:
    """The next moment after ``now`` (local) the business opens, within a week."""
    for offset in range(8):
        day = now.date() + timedelta(days=offset)
        for opens, _ in intervals(hours, day.weekday()) or []:
            moment = datetime.combine(day, opens, tzinfo=now.tzinfo)
            if moment > now:
                return moment
    return None

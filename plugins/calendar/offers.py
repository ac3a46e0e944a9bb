"""Which free slots a caller is offered, and how their words for times are read.

A caller asks "anything Tuesday afternoon?": the model turns that into a local date and a time
window, and gets back a few choices spread over it, soonest first, rather than three
back-to-back slots at opening time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import Slot
from plugins.calendar.availability import ClaimsReader, SchedulingTenant, free_slots, zone_of
from plugins.calendar.config import Config

# Most slots offered at once: more is not something anyone can listen to.
MAX_OFFERED = 10
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


class CalendarArgumentError(ValueError):
    """A date or time the model passed that is not one; ``field`` names the argument."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


async def offer_slots(
    tenant: SchedulingTenant,
    config: Config,
    claims: ClaimsReader,
    now: datetime,
    *,
    duration: timedelta,
    day: str | None = None,
    earliest: str | None = None,
    latest: str | None = None,
    limit: int = 3,
) -> list[Slot]:
    """Up to ``limit`` free slots, soonest first, spread over each day and the time window.

    ``day`` is a local "YYYY-MM-DD" (None: from now to the horizon, first days with room
    first); ``earliest`` and ``latest`` are local "HH:MM" bounds of the start time, inclusive.
    """
    zone = zone_of(tenant)
    first_clock = parse_clock(earliest, "earliest") or time.min
    last_clock = parse_clock(latest, "latest") or time.max
    if day is not None:
        local_day = parse_date(day, "date")
        start = datetime.combine(local_day, time.min, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(local_day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    else:
        start, end = now, now + timedelta(days=config.horizon_days + 1)
    by_day: dict[date, list[Slot]] = {}
    for slot in await free_slots(tenant, config, start, end, duration, now, claims):
        local = slot.start.astimezone(zone)
        if first_clock <= local.time() <= last_clock:
            by_day.setdefault(local.date(), []).append(slot)
    wanted = max(1, min(limit, MAX_OFFERED))
    chosen: list[Slot] = []
    for slots in by_day.values():
        chosen += spread(slots, wanted - len(chosen))
        if len(chosen) == wanted:
            break
    return chosen


def spread(slots: Sequence[Slot], count: int) -> list[Slot]:
    """``count`` of ``slots`` from the first to the last, evenly apart."""
    if len(slots) <= count:
        return list(slots)
    if count == 1:
        return [slots[0]]
    step = (len(slots) - 1) / (count - 1)
    return [slots[round(index * step)] for index in range(count)]


def parse_start(text: str, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601 time as UTC (None if it is not one); without an offset it is local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarArgumentError(field, f"{text!r} is not a date like 2026-03-03") from None


def parse_clock(text: str | None, field: str) -> time | None:
    if text is None:
        return None
    match = _CLOCK.match(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise CalendarArgumentError(field, f"{text!r} is not a time like 15:30")
    return time(int(match[1]), int(match[2]))

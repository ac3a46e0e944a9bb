"""Which of the calendar's free slots to offer, and which offer or appointment the caller means."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from core.conversation.tools import CheckAvailabilityResult
from plugins.offline_model.dates import TimePreference
from plugins.offline_model.speech import local
from plugins.offline_model.state import Appointment, Offer, read_result

# Slots spread over a day are at least this far apart, so the caller hears a real choice.
SPREAD_GAP = timedelta(minutes=90)

Timed = TypeVar("Timed", Offer, Appointment)


def _start(offer: Offer) -> datetime:
    return datetime.fromisoformat(offer.start)


def read_slots(results: Sequence[dict | None]) -> list[Offer]:
    """The slots of one or more ``check_availability`` results, without repeats, soonest first."""
    found: dict[str, Offer] = {}
    for result in results:
        read = read_result(result, CheckAvailabilityResult)
        for slot in read.slots if read else []:
            found.setdefault(slot.start, Offer(start=slot.start, end=slot.end, spoken=slot.spoken))
    return sorted(found.values(), key=_start)


def in_window(offer: Offer, preference: TimePreference, zone: ZoneInfo, now: datetime) -> bool:
    """Whether a slot is still ahead and starts within the preference's window."""
    moment = local(offer.start, zone)
    if moment <= now:
        return False
    if preference.earliest is not None and moment.time() < preference.earliest:
        return False
    return preference.latest is None or moment.time() < preference.latest


def spread(slots: list[Offer], count: int, zone: ZoneInfo) -> list[Offer]:
    """``count`` slots across the day rather than in a row, topped up in order if the day is full."""
    picked: list[Offer] = []
    for slot in slots:
        moment = local(slot.start, zone)
        if len(picked) < count and all(
            abs(moment - local(other.start, zone)) >= SPREAD_GAP for other in picked
        ):
            picked.append(slot)
    picked += [slot for slot in slots if slot not in picked][: count - len(picked)]
    return sorted(picked, key=_start)


def one_per_day(slots: list[Offer], count: int, zone: ZoneInfo) -> list[Offer]:
    """The first slot of each day, then more of the same days if there are fewer days than ``count``."""
    picked: list[Offer] = []
    days = set()
    for slot in slots:
        day = local(slot.start, zone).date()
        if day not in days:
            days.add(day)
            picked.append(slot)
    return sorted((picked + [slot for slot in slots if slot not in picked])[:count], key=_start)


def nearest(slots: list[Offer], wanted: datetime, count: int) -> list[Offer]:
    """The ``count`` slots closest to ``wanted``, in time order."""
    closest = sorted(slots, key=lambda slot: abs(_start(slot) - wanted))[:count]
    return sorted(closest, key=_start)


def matching(candidates: Sequence[Timed], when: TimePreference, zone: ZoneInfo) -> list[Timed]:
    """The offers (or appointments) that fit what the caller said: "Tuesday", "the 4 PM one"."""
    found = []
    for candidate in candidates:
        moment = local(candidate.start, zone)
        if when.first_day is not None and when.last_day is not None:
            if not when.first_day <= moment.date() <= when.last_day:
                continue
        if when.exact is not None:
            # "4" or "4 PM" both pick 4 PM: among offers, the hour alone decides.
            if (moment.hour % 12, moment.minute) != (when.exact.hour % 12, when.exact.minute):
                continue
        elif when.earliest is not None and moment.time() < when.earliest:
            continue
        elif when.latest is not None and moment.time() >= when.latest:
            continue
        found.append(candidate)
    return found

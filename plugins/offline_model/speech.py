"""Turning dates, times, slots, hours and phone numbers into words a caller hears."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.knowledge.search import stem
from plugins.offline_model import hours as business_hours
from plugins.offline_model.dates import TimePreference
from plugins.offline_model.lang import Language
from plugins.offline_model.state import Appointment, Offer


def say(language: Language, key: str, **values: Any) -> str:
    """The language's sentence ``key`` with ``values`` filled in."""
    return language.replies[key].format(**values)


def service_words(name: str, language: Language) -> str:
    """A tenant's service as the caller hears it: in the language's own word when its glossary has
    one for the name, or else for its last word ("Teeth cleaning" -> "limpieza"); else as the tenant
    named it, lower-cased (always so in a language without a glossary)."""
    lowered = name.lower()
    if not language.glossary:
        return lowered
    head = lowered.split()[-1] if lowered.split() else lowered
    for wanted in (lowered, head):
        for word, meaning in language.glossary.items():
            if stem(meaning) == stem(wanted):  # "Fillings" is a "filling"
                return word
    return lowered


def join(items: Sequence[str], conjunction: str, language: Language) -> str:
    """ "A", "A or B", "A, B, or C" (the last comma only where the language writes one)."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    serial = "," if language.serial_comma else ""
    return f"{', '.join(items[:-1])}{serial} {conjunction} {items[-1]}"


def clock(moment: time, language: Language, *, minutes: bool = False) -> str:
    """ "3 PM", "3:30 PM"; ``minutes`` always shows them ("3:00 PM", as slots are spoken)."""
    if moment >= business_hours.END_OF_DAY:
        moment = time(0)
    hour = moment.hour % 12 or 12
    meridiem = say(language, "am" if moment.hour < 12 else "pm")
    key = "clock_minutes" if moment.minute or minutes else "clock_hour"
    return say(language, key, hour=hour, minute=moment.minute, meridiem=meridiem)


def day_name(day: date, language: Language) -> str:
    """ "Tuesday, March 3"."""
    weekday, month = language.weekday_names[day.weekday()], language.month_names[day.month - 1]
    return say(language, "day_name", weekday=weekday, month=month, day=day.day)


def relative_day(day: date, today: date, language: Language) -> str:
    """ "today", "tomorrow", else "Tuesday, March 3"."""
    if day == today:
        return say(language, "today")
    if day == today + timedelta(days=1):
        return say(language, "tomorrow")
    return day_name(day, language)


def local(iso: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(iso).astimezone(zone)


def _split_spoken(spoken: str, language: Language) -> tuple[str, str] | None:
    joiner = say(language, "slot_joiner")
    if joiner in spoken:
        day, _, moment = spoken.rpartition(joiner)
        return day, moment
    return None


def slot_label(offer: Offer | Appointment, zone: ZoneInfo, language: Language) -> str:
    """The slot as the calendar spoke it ("Tuesday, March 3 at 3:00 PM"), or as we would."""
    if offer.spoken and language.host_speech:
        return offer.spoken
    start = local(offer.start, zone)
    moment = clock(start.time(), language, minutes=True)
    return f"{day_name(start.date(), language)}{say(language, 'slot_joiner')}{moment}"


def offers_text(offers: Sequence[Offer], zone: ZoneInfo, language: Language) -> str:
    """Slots as one phrase; slots on one day share it: "Tuesday, March 3 at 9:00 AM or 2:00 PM"."""
    days = {local(offer.start, zone).date() for offer in offers}
    if len(days) == 1 and len(offers) > 1:
        parts = [_split_spoken(slot_label(offer, zone, language), language) for offer in offers]
        if all(parts):
            day = parts[0][0]  # type: ignore[index]
            times = [part[1] for part in parts if part]
            return f"{day}{say(language, 'slot_joiner')}{join(times, language.conjunction_or, language)}"
    return join([slot_label(offer, zone, language) for offer in offers], language.conjunction_or, language)


def describe(preference: TimePreference, today: date, language: Language) -> str:
    """A preference spoken back: "tomorrow morning", "on Tuesday, March 3 at 3 PM"."""
    parts = []
    if preference.day is not None:
        parts.append(relative_day(preference.day, today, language))
    elif preference.first_day is not None and preference.last_day is not None:
        parts.append(say(language, "between_days", first=day_name(preference.first_day, language),
                         last=day_name(preference.last_day, language)))  # fmt: skip
    if preference.exact is not None:
        parts.append(say(language, "at_time", time=clock(preference.exact, language)))
    elif preference.part is not None:
        parts.append(language.part_names.get(preference.part, preference.part))
    elif preference.earliest is not None and preference.latest is not None:
        parts.append(
            say(
                language,
                "between_times",
                first=clock(preference.earliest, language),
                last=clock(preference.latest, language),
            )
        )
    elif preference.earliest is not None:
        parts.append(say(language, "after_time", time=clock(preference.earliest, language)))
    elif preference.latest is not None:
        parts.append(say(language, "before_time", time=clock(preference.latest, language)))
    return " ".join(parts) or say(language, "soon")


def _intervals_text(intervals: Sequence[tuple[time, time]], language: Language) -> str:
    if len(intervals) == 1 and intervals[0] == (time(0), business_hours.END_OF_DAY):
        return say(language, "all_day")
    spans = [
        say(language, "time_span", first=clock(opens, language), last=clock(closes, language))
        for opens, closes in intervals
    ]
    return join(spans, language.conjunction_and, language)


def hours_summary(hours: Mapping[str, Any], language: Language) -> str:
    """ "Monday to Thursday 8 AM to 5 PM and Friday 8 AM to 2 PM": days with equal hours grouped."""
    groups: list[tuple[int, int, list[tuple[time, time]]]] = []
    for weekday in range(7):
        intervals = business_hours.intervals(hours, weekday) or []
        if groups and groups[-1][2] == intervals and groups[-1][1] == weekday - 1:
            groups[-1] = (groups[-1][0], weekday, intervals)
        else:
            groups.append((weekday, weekday, intervals))
    phrases = []
    for first, last, intervals in groups:
        if not intervals:
            continue
        names = language.weekday_names
        if first == last:
            days = names[first]
        elif last == first + 1:
            days = join([names[first], names[last]], language.conjunction_and, language)
        else:
            days = say(language, "day_span", first=names[first], last=names[last])
        phrases.append(f"{days} {_intervals_text(intervals, language)}")
    return join(phrases, language.conjunction_and, language)


def day_hours(hours: Mapping[str, Any] | None, day: date, today: date, language: Language) -> str:
    """ "Tomorrow we're open 8 AM to 5 PM." / "On Saturday, March 7 we're closed." """
    intervals = business_hours.intervals(hours, day.weekday()) or []
    if day == today or day == today + timedelta(days=1):
        when = relative_day(day, today, language).capitalize()
    else:
        when = say(language, "on_day", day=language.weekday_names[day.weekday()])
    if not intervals:
        return say(language, "closed_on", when=when)
    return say(language, "open_on", when=when, hours=_intervals_text(intervals, language))


def open_status(hours: Mapping[str, Any] | None, now: datetime, language: Language) -> str:
    """ "We're open now until 5 PM." / "We're closed right now; we open again tomorrow at 8 AM." """
    current = business_hours.current_interval(hours, now)
    if current is not None:
        if current[1] >= business_hours.END_OF_DAY:
            return say(language, "open_now_late")
        return say(language, "open_now", until=clock(current[1], language))
    opening = business_hours.next_opening(hours, now)
    if opening is None:
        return say(language, "closed_now")
    when = relative_day(opening.date(), now.date(), language)
    return say(language, "closed_now_until", when=when, time=clock(opening.time(), language))


def phone_digits(number: str) -> str:
    """A number read digit by digit in groups: "+15551230001" -> "5 5 5, 1 2 3, 0 0 0 1"."""
    digits = "".join(char for char in number if char.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        groups = [digits[:3], digits[3:6], digits[6:]]
    else:
        groups = [digits]
    return ", ".join(" ".join(group) for group in groups)


def last_digits(number: str, count: int = 4) -> str:
    digits = "".join(char for char in number if char.isdigit())
    return " ".join(digits[-count:])

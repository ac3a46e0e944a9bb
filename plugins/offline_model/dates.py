"""Natural date and time phrases, read in the tenant's timezone relative to "now".

``parse_when("next Tuesday at 3", now, language, hours)`` gives a ``TimePreference``: a day or
a range of days, a time window and/or an exact time, or "as soon as possible". A time said
without AM or PM takes the reading that falls in business hours ("at 3" is 3 PM, "at 9" 9 AM).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

import msgspec

from plugins.offline_model import hours as business_hours
from plugins.offline_model.lang import DateWords, Language
from plugins.offline_model.numbers import normalise, numerals

_BARE = re.compile(r"(?:[1-9]|1[0-2])(?: [0-5]\d)?")


class TimePreference(msgspec.Struct, kw_only=True, frozen=True):
    """When a caller would like to come: days (inclusive), a window and/or an exact time."""

    first_day: date | None = None
    last_day: date | None = None
    earliest: time | None = None
    latest: time | None = None
    exact: time | None = None
    asap: bool = False
    part: str | None = None  # the part of day said ("morning"), for speaking it back

    @property
    def day(self) -> date | None:
        """The one day asked for, if a single day was."""
        return self.first_day if self.first_day is not None and self.first_day == self.last_day else None

    @property
    def has_time(self) -> bool:
        return self.exact is not None or self.earliest is not None or self.latest is not None

    def merged(self, newer: TimePreference) -> TimePreference:
        """This preference updated by a later one ("what about Thursday?" keeps "at 3")."""
        keep_days = newer.first_day is None and not newer.asap
        keep_time = not newer.has_time and not newer.asap
        return TimePreference(
            first_day=self.first_day if keep_days else newer.first_day,
            last_day=self.last_day if keep_days else newer.last_day,
            earliest=self.earliest if keep_time else newer.earliest,
            latest=self.latest if keep_time else newer.latest,
            exact=self.exact if keep_time else newer.exact,
            part=self.part if keep_time else newer.part,
            asap=newer.asap,
        )


class _Days(NamedTuple):
    start: int
    first: date
    last: date
    kind: str  # "explicit" (a date), "weekday", "relative" (today, tomorrow), "range"


def prepare(text: str, language: Language) -> str:
    """The text the date patterns read: normalised, number words as digits."""
    return numerals(normalise(text, language), language)


def parse_when(
    text: str,
    now: datetime,
    language: Language,
    hours: Mapping[str, Any] | None = None,
    *,
    expect_time: bool = False,
) -> TimePreference | None:
    """The time preference said in ``text``; None when it mentions no day, time or "soonest".

    ``now`` is local to the tenant. ``expect_time`` lets a bare number count as a time ("4 works"),
    for when the caller has just been asked for one.
    """
    words = language.dates
    plain = normalise(text, language)
    today = now.date()
    mentions, rest = _find_days(numerals(plain, language), today, words)
    chosen = mentions[-1] if mentions else None
    part_match = words.part_pattern.search(plain)
    part = part_match.group(1) if part_match else None
    weekday = chosen.first.weekday() if chosen is not None and chosen.first == chosen.last else None

    def resolve(fragment: str) -> time | None:
        return _resolve(fragment, words, hours, weekday, part)

    earliest = latest = exact = None
    for pattern in (words.between, words.after, words.before):
        for match in pattern.finditer(rest):
            first = resolve(match.group(1))
            if first is None:
                continue
            if pattern is words.between:
                earliest, latest = first, resolve(match.group(2))
            elif pattern is words.after:
                earliest = first
            else:
                latest = first
            rest = _blank(rest, match)
    for match in words.time_at.finditer(rest):
        exact = resolve(match.group(1)) or exact
        rest = _blank(rest, match)
    for match in words.time_any.finditer(rest):
        fragment = match.group(1)
        marked = words.time_marker.search(fragment) or words.part_suffix.match(rest, match.end())
        if marked or (expect_time and _BARE.fullmatch(fragment)):
            exact = resolve(fragment) or exact
    if earliest is not None and latest is not None and earliest > latest:
        earliest, latest = latest, earliest  # "between 5 and 3"
    if exact is None and earliest is None and latest is None and part is not None:
        earliest, latest = words.parts_of_day[part]
    asap = bool(words.asap.search(plain))
    if chosen is None and not (exact or earliest or latest or asap):
        return None
    return TimePreference(
        first_day=chosen.first if chosen else None,
        last_day=chosen.last if chosen else None,
        earliest=earliest,
        latest=latest,
        exact=exact,
        asap=asap,
        part=part,
    )


def mentioned_days(text: str, now: datetime, language: Language) -> list[date]:
    """Every single day named in ``text``, in the order said ("from Tuesday to Friday")."""
    mentions, _ = _find_days(prepare(text, language), now.date(), language.dates)
    return [mention.first for mention in mentions if mention.first == mention.last]


def _blank(text: str, match: re.Match[str]) -> str:
    # Same length, so positions found earlier stay valid.
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def _find_days(work: str, today: date, words: DateWords) -> tuple[list[_Days], str]:
    found: list[_Days] = []

    def take(pattern: re.Pattern[str], kind: str, read: Any) -> None:
        nonlocal work
        for match in pattern.finditer(work):
            days = read(match)
            if days is not None:
                found.append(_Days(match.start(), days[0], days[1], kind))
                work = _blank(work, match)

    one = lambda day: (day, day) if day is not None else None  # noqa: E731
    take(words.day_after_tomorrow, "relative", lambda m: one(today + timedelta(days=2)))
    take(words.numeric_date, "explicit", lambda m: one(_numeric(m, today, words.month_first)))
    take(words.month_day, "explicit", lambda m: one(_calendar(today, words.months[m[1]], m[2], m[3])))
    take(words.day_of_month, "explicit", lambda m: one(_calendar(today, words.months[m[2]], m[1], m[3])))
    take(words.weekday_day, "explicit", lambda m: one(_weekday_day(today, words.weekdays[m[1]], int(m[2]))))
    take(words.ordinal_day, "explicit", lambda m: one(_day_of_month(today, int(m[1]))))
    take(words.tomorrow, "relative", lambda m: one(today + timedelta(days=1)))
    take(words.today, "relative", lambda m: one(today))
    take(words.tonight, "relative", lambda m: one(today))
    take(words.in_days, "relative", lambda m: one(_in_days(today, m[1], m[2], words.week_units)))
    take(words.later_this_week, "range", lambda m: _week_rest(today, today + timedelta(days=1)))
    take(words.this_week, "range", lambda m: _week_rest(today, today))
    take(words.next_week, "range", lambda m: _next_week(today))
    take(
        words.weekend,
        "range",
        lambda m: _weekend(today, m[1] in words.next_modifiers and today.weekday() >= 5),
    )
    take(words.weekday, "weekday", lambda m: one(_weekday(today, words.weekdays[m[2]], m[1] or "", words)))
    return _combine(found), work


def _combine(found: list[_Days]) -> list[_Days]:
    """Fold "Tuesday next week" into one day, and "Tuesday the 14th" into the date."""
    explicit = [item for item in found if item.kind == "explicit"]
    weeks = [item for item in found if item.kind == "range"]
    used: set[int] = set()
    combined = []
    for item in found:
        if item.kind == "range":
            continue
        if item.kind == "weekday":
            if any(abs(other.start - item.start) <= 12 for other in explicit):
                continue
            for week in weeks:
                day = week.first + timedelta(days=(item.first.weekday() - week.first.weekday()) % 7)
                if day <= week.last:
                    item = _Days(item.start, day, day, "weekday")
                    used.add(week.start)
                    break
        combined.append(item)
    combined += [week for week in weeks if week.start not in used]
    return sorted(combined, key=lambda item: item.start)


def _weekday(today: date, weekday: int, modifier: str, words: DateWords) -> date:
    ahead = (weekday - today.weekday()) % 7
    if modifier in words.this_modifiers:
        return today + timedelta(days=ahead)
    # "Tuesday" and "next Tuesday" both mean the first Tuesday after today.
    return today + timedelta(days=ahead or 7)


def _calendar(today: date, month: int, day_text: str, year_text: str | None) -> date | None:
    year = int(year_text) if year_text else today.year
    try:
        found = date(year, month, int(day_text))
    except ValueError:
        return None
    if year_text is None and found < today:
        try:
            found = date(year + 1, month, int(day_text))
        except ValueError:
            return None
    return found


def _numeric(match: re.Match[str], today: date, month_first: bool) -> date | None:
    first, second, year = match[1], match[2], match[3]
    month, day = (first, second) if month_first else (second, first)
    if year is not None and len(year) == 2:
        year = f"20{year}"
    return _calendar(today, int(month), day, year) if 1 <= int(month) <= 12 else None


def _upcoming(today: date, day: int, months: int) -> Iterator[date]:
    """Each date from ``today`` on with this day of the month, over ``months`` months."""
    for months_ahead in range(months):
        month = (today.month - 1 + months_ahead) % 12 + 1
        year = today.year + (today.month - 1 + months_ahead) // 12
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            yield found


def _day_of_month(today: date, day: int) -> date | None:
    return next(_upcoming(today, day, 3), None)


def _weekday_day(today: date, weekday: int, day: int) -> date | None:
    """The next ``day`` of a month that falls on ``weekday`` (within a year); when none does (a
    slip of the tongue), the next ``day`` of a month."""
    on_weekday = (found for found in _upcoming(today, day, 12) if found.weekday() == weekday)
    return next(on_weekday, None) or _day_of_month(today, day)


def _in_days(today: date, count: str, unit: str, week_units: frozenset[str]) -> date:
    number = 1 if not count.isdigit() else int(count)
    return today + timedelta(days=number * (7 if unit in week_units else 1))


def _week_rest(today: date, start: date) -> tuple[date, date]:
    end = today + timedelta(days=6 - today.weekday())
    return start, max(start, end)


def _next_week(today: date) -> tuple[date, date]:
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)


def _weekend(today: date, following: bool) -> tuple[date, date]:
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if today.weekday() == 6:
        saturday = today - timedelta(days=1) if not following else today + timedelta(days=6)
    elif following:
        saturday += timedelta(days=7)
    return max(saturday, today), saturday + timedelta(days=1)


def _clock(fragment: str, words: DateWords) -> tuple[int, int, str | None] | None:
    fragment = fragment.strip()
    if words.noon.match(fragment):
        return 12, 0, "pm"
    if match := words.half_past.match(fragment):
        return int(match[1]), 30, None
    if match := words.quarter_past.match(fragment):
        return int(match[1]), 15, None
    if match := words.quarter_to.match(fragment):
        hour = int(match[1]) - 1
        return (hour if hour > 0 else 12), 45, None
    if match := words.clock.match(fragment):
        meridiem = match[3] if match[3] in ("am", "pm") else None
        return int(match[1]), int(match[2] or 0), meridiem
    return None


def _resolve(
    fragment: str,
    words: DateWords,
    hours: Mapping[str, Any] | None,
    weekday: int | None,
    part: str | None,
) -> time | None:
    """A spoken time as a clock time, choosing AM or PM when the caller did not say."""
    read = _clock(fragment, words)
    if read is None:
        return None
    hour, minute, meridiem = read
    if hour > 23 or (meridiem and not 1 <= hour <= 12):
        return None
    if meridiem is None and part is not None and 1 <= hour <= 12:
        meridiem = "am" if part in words.am or "morning" in part else "pm"
    if meridiem == "am":
        return time(hour % 12, minute)
    if meridiem == "pm":
        return time(hour % 12 + 12, minute)
    if hour == 0 or hour >= 13:
        return time(hour, minute)
    morning, afternoon = time(hour % 12, minute), time(hour % 12 + 12, minute)
    fits = [t for t in (morning, afternoon) if business_hours.within_hours(hours, weekday, t)]
    if len(fits) == 1:
        return fits[0]
    # Nothing to go on: the hours people book in (7 to 11 in the morning, noon to 6 after).
    return morning if 7 <= hour <= 11 else afternoon

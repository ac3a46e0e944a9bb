"""The shape of a language: the tables the offline model reads, and nothing else."""

from __future__ import annotations

import re
from datetime import time

import msgspec

Patterns = tuple[tuple[re.Pattern[str], float], ...]


class DateWords(msgspec.Struct, kw_only=True, frozen=True):
    """The words of dates and times, matched on text already normalised by ``numbers``."""

    weekdays: dict[str, int]  # name or abbreviation -> 0 (Monday) .. 6
    months: dict[str, int]  # name or abbreviation -> 1..12
    # Named phrases (regexes; groups documented in dates.py where each one is used).
    today: re.Pattern[str]
    tonight: re.Pattern[str]
    tomorrow: re.Pattern[str]
    day_after_tomorrow: re.Pattern[str]
    this_week: re.Pattern[str]
    later_this_week: re.Pattern[str]
    next_week: re.Pattern[str]
    weekend: re.Pattern[str]
    in_days: re.Pattern[str]  # groups: count, unit ("day"/"week")
    weekday: re.Pattern[str]  # groups: modifier, day
    this_modifiers: frozenset[str]
    next_modifiers: frozenset[str]
    month_day: re.Pattern[str]  # groups: month, day, year
    day_of_month: re.Pattern[str]  # groups: day, month, year
    ordinal_day: re.Pattern[str]  # group: day ("on the 14th")
    # A weekday with its day of the month, groups: day name, day number ("el miércoles 11",
    # "Wednesday 11th"): the date with both, not the weekday at a time.
    weekday_day: re.Pattern[str]
    numeric_date: re.Pattern[str]  # groups: first, second, year ("3/14")
    month_first: bool  # whether "3/14" is month/day
    asap: re.Pattern[str]
    noon: re.Pattern[str]
    half_past: re.Pattern[str]  # group: hour
    quarter_past: re.Pattern[str]  # group: hour
    quarter_to: re.Pattern[str]  # group: hour
    clock: re.Pattern[str]  # groups: hour, minute, meridiem; a time with a marker
    time_at: re.Pattern[str]  # group: time text after "at", "around"...: a time for sure
    time_any: re.Pattern[str]  # group: time text anywhere; a bare number counts only when expected
    time_marker: re.Pattern[str]  # what makes a number a time for sure: ":", "pm", "o'clock"...
    between: re.Pattern[str]  # groups: first, second (time texts)
    after: re.Pattern[str]  # group: time text
    before: re.Pattern[str]  # group: time text
    am: frozenset[str]
    pm: frozenset[str]
    parts_of_day: dict[str, tuple[time | None, time | None]]  # word -> (earliest, latest)
    part_pattern: re.Pattern[str]  # group: part (a key of parts_of_day)
    part_suffix: re.Pattern[str]  # right after a bare number, makes it a time ("3 in the afternoon")
    week_units: frozenset[str] = frozenset({"week", "weeks"})  # the units of ``in_days`` counted in weeks


class Language(msgspec.Struct, kw_only=True, frozen=True):
    code: str
    # --- understanding -----------------------------------------------------------------
    contractions: tuple[tuple[re.Pattern[str], str], ...]
    intents: dict[str, Patterns]
    # Intents whose patterns do not count when a negation word comes just before them.
    negatable: frozenset[str]
    negations: frozenset[str]
    fillers: re.Pattern[str]  # leading hesitations and acknowledgements to strip from free text
    name_trigger: re.Pattern[str]  # group "name": the words after "my name is"
    # "this is Dana", "I am Dana": names only if the words look like one (see nlu.person_name).
    name_weak_trigger: re.Pattern[str]
    name_stopwords: frozenset[str]
    number_words: dict[str, int]  # "three" -> 3, "forty" -> 40
    tens: frozenset[str]  # the number words that combine with a unit ("forty five")
    # Number words that are pronouns after a determiner ("the first one", "that one").
    pronoun_numbers: frozenset[str]
    determiners: frozenset[str]
    ordinal_words: dict[str, int]  # "third" -> 3
    phone_digit_words: dict[str, str]  # extra spellings of digits inside a phone number ("oh")
    phone_repeats: dict[str, int]  # "double" -> 2
    hundred: str
    phone_separators: frozenset[str]  # said between digit groups ("dash")
    # Words that say nothing about which service is meant ("and", "the").
    function_words: frozenset[str]
    choices: tuple[tuple[re.Pattern[str], int], ...]  # "the first one" -> 0, "the last one" -> -1
    abandon: re.Pattern[str]  # "never mind": drop what is under way
    later: re.Pattern[str]
    earlier: re.Pattern[str]
    other_day: re.Pattern[str]
    department: re.Pattern[str]  # group "department": "the billing department" -> billing
    contact_topics: dict[str, re.Pattern[str]]  # business detail key -> what asks for it
    message_content: re.Pattern[str]  # the request already carries the message ("tell her that...")
    # The words that give a number rather than a message ("you can reach me at", "my number is").
    callback_phrase: re.Pattern[str]
    # Who a message is for: group "who" ("a message for Dr. Patel" -> "dr patel").
    message_recipient: re.Pattern[str]
    titles: dict[str, str]  # spoken title -> written ("dr" -> "Dr.")
    # A free-text answer that only acknowledges ("yes", "sure, okay"): the content is still to come.
    acknowledgement: re.Pattern[str]
    asks_now: re.Pattern[str]  # a question about hours is about right now ("are you still open")
    specific_service: re.Pattern[str]  # group "thing": "do you do implants" asks about one service
    dates: DateWords
    # --- speaking ----------------------------------------------------------------------
    replies: dict[str, str]
    intent_phrases: dict[str, str]  # intent -> "book an appointment"
    weekday_names: tuple[str, ...]
    month_names: tuple[str, ...]
    conjunction_and: str
    conjunction_or: str
    serial_comma: bool  # "A, B, and C" rather than "A, B and C"
    # Whether the host's own words for slots ("tomorrow at 10:00 AM", the calendar's ``spoken``)
    # are in this language; when not, slots are spoken from the language's own tables.
    host_speech: bool = False
    # How a part of the day (a key of ``dates.parts_of_day``) is said back, when not as the key.
    part_names: dict[str, str] = {}
    # Words of this language for what tenants name in English (services, departments):
    # "limpieza" -> "cleaning", so a Spanish caller finds the tenant's "Teeth cleaning".
    glossary: dict[str, str] = {}

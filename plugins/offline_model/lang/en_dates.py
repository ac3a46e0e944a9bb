"""English dates and times: weekday and month names, relative days, parts of the day, clock times.

The patterns run on normalised text whose number words are digits ("three thirty" -> "3 30").
"""

from __future__ import annotations

import re
from datetime import time

from plugins.offline_model.lang.base import DateWords


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_DAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A time of day as text: "noon", "half past 2", "quarter to 4", "3:30 pm", "3 30", "10 oclock".
TIME = (
    r"(?:noon|midday|half past \d{1,2}|(?:a )?quarter (?:past|after|to|till|of) \d{1,2}|"
    r"\d{1,2}(?::[0-5]\d| [0-5]\d(?!\d))?(?: ?(?:am|pm|oclock))?)"
    # Not a count of something, an ordinal or a date: "2 days", "3rd", "3/14".
    r"(?!\d|st|nd|rd|th|/| ?(?:days?|weeks?|minutes?|hours?|people|of))"
)

DATES = DateWords(
    weekdays=WEEKDAYS,
    months=MONTHS,
    today=_compile(r"\b(today|this (morning|afternoon|evening)|later today)\b"),
    tonight=_compile(r"\btonight\b"),
    tomorrow=_compile(r"\b(tomorrow|tmrw|tomorow|tomorrows)\b"),
    day_after_tomorrow=_compile(r"\b(the )?day after tomorrow\b"),
    this_week=_compile(r"\b(this|the rest of the) week\b"),
    later_this_week=_compile(r"\blater (this|in the) week\b"),
    next_week=_compile(r"\b(next|following|the coming|coming) week\b"),
    weekend=_compile(r"\b(?:(this|next|the coming|the) )?weekend\b"),
    in_days=_compile(r"\bin (\d+|a|an) (day|days|week|weeks)\b"),
    weekday=_compile(rf"\b(?:(this|next|coming|the coming|following|the following|on) )?({_DAY})s?\b"),
    this_modifiers=frozenset({"this"}),
    next_modifiers=frozenset({"next", "coming", "the coming", "following", "the following"}),
    month_day=_compile(
        rf"\b({_MONTH}) (?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?! ?(?::\d|am|pm|oclock|\d))(?: (\d{{4}}))?\b"
    ),
    day_of_month=_compile(rf"\b(?:the )?(\d{{1,2}})(?:st|nd|rd|th)? of ({_MONTH})(?: (\d{{4}}))?\b"),
    ordinal_day=_compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?! (?:1|one|option|slot|choice|time|of))"),
    # "Wednesday 11th" (the suffix is needed: "Wednesday 11" is as often eleven o'clock).
    weekday_day=_compile(rf"\b({_DAY})s?,? (?:the )?(\d{{1,2}})(?:st|nd|rd|th)\b(?! of)"),
    numeric_date=_compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b"),
    month_first=True,
    asap=_compile(
        r"\b(as soon as possible|asap|earliest|soonest|first available|next available|first opening|"
        r"next opening|as early as possible|right away|first thing you have|"
        r"whatever is (first|soonest|earliest)|"
        r"any ?time|whenever|any day|i am flexible|flexible|does not matter|do not care)\b"
    ),
    noon=_compile(r"^(noon|midday|12 noon)$"),
    half_past=_compile(r"^half past (\d{1,2})$"),
    quarter_past=_compile(r"^(?:a )?quarter (?:past|after) (\d{1,2})$"),
    quarter_to=_compile(r"^(?:a )?quarter (?:to|till|of) (\d{1,2})$"),
    clock=_compile(r"^(\d{1,2})(?:(?::| )([0-5]\d))? ?(am|pm|oclock)?$"),
    time_at=_compile(rf"\b(?:at|around|about|say|maybe|how about|what about|any time around) ({TIME})"),
    time_marker=_compile(r":|am|pm|oclock|noon|midday|half|quarter"),
    # "option 3", "(pressed 2)": a choice, not a time.
    time_any=_compile(rf"\b(?<!option )(?<!number )(?<!pressed )({TIME})"),
    between=_compile(rf"\b(?:between|from) ({TIME}) (?:and|to|till|until) ({TIME})"),
    after=_compile(rf"\b(?:after|later than|any ?time after|no earlier than|from) ({TIME})"),
    before=_compile(rf"\b(?:before|by|earlier than|no later than|until|till) ({TIME})"),
    am=frozenset({"am", "morning"}),
    pm=frozenset({"pm", "afternoon", "evening", "night", "tonight"}),
    parts_of_day={
        "early morning": (None, time(10)),
        "first thing": (None, time(10)),
        "morning": (None, time(12)),
        "lunch": (time(11, 30), time(13, 30)),
        "lunchtime": (time(11, 30), time(13, 30)),
        "late afternoon": (time(15), time(18)),
        "afternoon": (time(12), time(17)),
        "end of the day": (time(15), None),
        "after work": (time(17), None),
        "evening": (time(17), None),
        "night": (time(17), None),
        "tonight": (time(17), None),
    },
    part_pattern=_compile(
        r"\b(early morning|first thing|morning|lunchtime|lunch|late afternoon|afternoon|end of the day|"
        r"after work|evening|tonight|night)\b"
    ),
    part_suffix=_compile(r" *(in the (morning|afternoon|evening)|at night|tonight)\b"),
)

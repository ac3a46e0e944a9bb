"""Reading one kind of answer out of what a caller said: amounts, credit, timelines, yes/no, addresses.

Every reader takes normalised text (``words.normalise``) unless it says otherwise, and returns the
value as it is stored on the lead, or None when the words do not say it. ``lenient`` readers are
for the answer to the question just asked ("about 400" to "how much would you like to borrow?"),
strict ones for anything else the caller happens to mention.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from plugins.workflows.words import numbers_in

# Credit bands, by the usual FICO cut-offs.
CREDIT_BANDS = ("excellent", "good", "fair", "poor")
# Timelines, from the most to the least pressing.
TIMELINES = ("asap", "within_3_months", "within_6_months", "later", "undecided")

# Said about the credit score in words, checked in this order ("not bad" before "bad").
_CREDIT_WORDS = (
    ("fair", r"\b(not bad|so so|average|fair|decent|not great|medium|middle of the road|okay ish)\b"),
    ("poor", r"\b(poor|bad|low|not good|terrible|horrible|rough|damaged|bankruptcy|collections|no credit)\b"),
    ("excellent", r"\b(excellent|exceptional|very good|great|perfect|amazing|really good|outstanding)\b"),
    ("good", r"\b(good|solid|pretty good|above average)\b"),
)
_CREDIT_CUE = re.compile(r"\b(credit|fico|score)\b")
_UNSURE = re.compile(
    r"\b(not sure|no idea|do not know|dont know|no clue|can not remember|do not remember|rather not say|"
    r"prefer not to say|skip( it| that)?|pass)\b"
)
_ASAP = re.compile(
    r"\b(asap|as soon as possible|right away|immediately|urgent|urgently|this week|right now|"
    r"already found (a|the) (house|home|place)|under contract)\b"
)
_ASAP_LENIENT = re.compile(r"\b(now|today|tomorrow|soon|quickly|fast|quick)\b")
_UNDECIDED = re.compile(
    r"\b(not sure|no idea|do not know|just (looking|browsing|exploring|curious|shopping))\b"
)
_LATER = re.compile(r"\b(no rush|no hurry|eventually|someday|some day|down the road|next year|a while)\b")
_SPAN = re.compile(
    r"\b(?:in|within|about|around|maybe|like|next|the next|another)?\s*"
    r"(?P<count>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a few|a couple of|a couple|few|couple of|couple|several)\s+"
    r"(?P<unit>days?|weeks?|months?|years?)\b"
)
_NEXT_UNIT = re.compile(r"\bnext (?P<unit>week|month|year)\b")
_SMALL = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3, "few": 3, "several": 4,
    "a couple": 2, "a couple of": 2, "couple": 2, "couple of": 2,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_YES = re.compile(
    r"^(yes|yeah|yep|yup|ya|sure|correct|i do|we do|i am|we are|i have|we have|absolutely|definitely|"
    r"of course|right|uh huh|that is right|affirmative)\b"
)
_NO = re.compile(r"^(no|nope|nah|not really|i do not|we do not|i am not|i have not|none|negative|never)\b")
_STREET = (
    r"street|st|avenue|ave|road|rd|drive|dr|lane|ln|boulevard|blvd|court|ct|way|place|pl|terrace|"
    r"circle|cir|parkway|pkwy|highway|hwy|trail|square|loop|row"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+){{0,4}}?(?:{_STREET})\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|#)\.?\s*[\w-]+)?"
    r"(?:,\s*[A-Za-z][A-Za-z .'-]*)?(?:,\s*[A-Za-z]{2})?(?:,?\s*\d{5})?",
    re.IGNORECASE,
)
# Where an address said in a sentence ends: "42 Oak Lane, Springfield and my name is Dana".
_AFTER_ADDRESS = re.compile(r"\s+(?:and|but|so|because|please|my|i|it|we|there)\b.*$", re.IGNORECASE)
_FILLERS = re.compile(
    r"^((um+|uh+|er+|hmm+|well|so|oh|okay|ok|yeah|yes|sure|right|alright|i mean|it is|its|it's|that is|"
    r"that's|the address is|my address is|address is|we are at|i am at|i'm at|we're at|i live at|"
    r"that would be|this is|i think|probably)\b[\s,.]*)+",
    re.IGNORECASE,
)


def unsure(text: str) -> bool:
    """The caller does not know, or will not say ("not sure", "no idea", "rather not say")."""
    return bool(_UNSURE.search(text))


def amount(
    text: str, *, lenient: bool, cues: re.Pattern[str] | None = None, thousands_below: float | None = None
) -> float | str | None:
    """A sum of money ("$400k", "four hundred thousand"), or a percentage as ``"20%"``.

    Strict: only a number said as money (or a percentage) right after one of ``cues`` ("worth",
    "borrow"). Lenient: the first number said; one below ``thousands_below`` is in thousands
    ("about 400" to a question about a loan means 400,000).
    """
    numbers = numbers_in(text)
    for index, number in enumerate(numbers):
        if not lenient:
            before = text[numbers[index - 1].end if index else 0 : number.start]
            if not (number.money or number.percent) or cues is None or not cues.search(before):
                continue
        if number.percent:
            return f"{_whole(number.value)}%" if 0 < number.value <= 100 else None
        value = number.value
        if lenient and thousands_below and not number.money and value < thousands_below:
            value *= 1000
        return _whole(value) if value > 0 else None
    return None


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def credit(text: str, *, lenient: bool) -> str | None:
    """A credit band, from words ("excellent", "not bad") or a score ("around 720")."""
    if not lenient and not _CREDIT_CUE.search(text):
        return None
    scores = [number.value for number in numbers_in(text) if 300 <= number.value <= 850]
    if scores:
        return band(scores[0])
    stripped = _FILLERS.sub("", text).strip()
    for name, pattern in _CREDIT_WORDS:
        if re.search(pattern, stripped):
            return name
    return None


def band(score: float) -> str:
    """The credit band of a FICO score."""
    if score >= 740:
        return "excellent"
    if score >= 670:
        return "good"
    if score >= 580:
        return "fair"
    return "poor"


def timeline(text: str, *, lenient: bool) -> str | None:
    """How soon: ``asap``, ``within_3_months``, ``within_6_months``, ``later`` or ``undecided``."""
    span = _SPAN.search(text) or _NEXT_UNIT.search(text)
    if span is not None:
        unit = span["unit"].rstrip("s")
        count_text = span.groupdict().get("count") or "one"
        count = float(count_text) if count_text[0].isdigit() else _SMALL.get(count_text, 1)
        return in_days(count * _UNIT_DAYS[unit])
    if _ASAP.search(text) or (lenient and _ASAP_LENIENT.search(text)):
        return "asap"
    if _LATER.search(text):
        return "later"
    if lenient and _UNDECIDED.search(text):
        return "undecided"
    return None


def in_days(days: float) -> str:
    """The timeline of something ``days`` away."""
    if days <= 14:
        return "asap"
    if days <= 90:
        return "within_3_months"
    if days <= 180:
        return "within_6_months"
    return "later"


def yes_no(text: str) -> bool | None:
    """A plain yes or no, said first ("yes, we do", "no, not yet")."""
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    return None


def choice(text: str, synonyms: Mapping[str, Sequence[re.Pattern[str]]]) -> str | None:
    """The first value (in the order given) one of whose patterns the text matches."""
    for value, patterns in synonyms.items():
        if any(pattern.search(text) for pattern in patterns):
            return value
    return None


def address(original: str, *, lenient: bool) -> str | None:
    """A street address as said ("42 Oak Lane, Springfield"); ``original`` is the text as heard.

    Strict: a number, a street name and a street type. Lenient: also any answer with a number
    in it, fillers ("it's", "the address is") dropped.
    """
    found = _ADDRESS.search(original)
    if found is not None:
        return _AFTER_ADDRESS.sub("", found.group(0)).strip(" ,.")
    if lenient and re.search(r"\d", original):
        return free_text(original)
    return None


def free_text(original: str) -> str | None:
    """The answer in the caller's own words, without leading fillers; None when nothing is left."""
    kept = _FILLERS.sub("", original.strip()).strip(" ,.!?")
    return kept or None

"""What callers say, made readable: normalised text, and the numbers in it however they were said.

Speech recognition writes numbers every way ("400,000", "$400k", "four hundred thousand",
"1.2 million", "half a million", "seven twenty"); ``numbers_in`` reads them all, with where they
were in the text and whether they were said as money or as a percentage. English only.
"""

from __future__ import annotations

import re

import msgspec

_CONTRACTIONS = (
    (re.compile(r"\b(can)'?t\b"), r"\1 not"), (re.compile(r"n't\b"), " not"), (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"), (re.compile(r"'ve\b"), " have"), (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"), (re.compile(r"\b(it|that|there|what|he|she)'s\b"), r"\1 is"),
)  # fmt: skip

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {
    "thousand": 1_000,
    "grand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "mil": 1_000_000,
    "m": 1_000_000,
}
_MONEY_WORDS = frozenset({"dollars", "dollar", "bucks"})
_PERCENT_WORDS = frozenset({"percent", "%", "pct"})
_DIGITS = re.compile(r"^\$?(\d+(?:\.\d+)?)(k|m)?$")
_TOKEN = re.compile(r"\$?\d+(?:\.\d+)?(?:k|m)?\b|%|[a-z]+")


def normalise(text: str) -> str:
    """Lower case, contractions expanded, no thousands separators, no punctuation but "$" and "%"."""
    plain = text.lower().replace("\u2019", "'")
    for pattern, replacement in _CONTRACTIONS:
        plain = pattern.sub(replacement, plain)
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", plain)
    plain = re.sub(r"\.(?!\d)", " ", plain)
    plain = plain.replace("'", "")
    plain = re.sub(r"[^a-z0-9$%.\s]", " ", plain)
    return " ".join(plain.split())


class Number(msgspec.Struct, kw_only=True, frozen=True):
    """A number said in the text: ``start``/``end`` are positions in the normalised text."""

    value: float
    start: int
    end: int
    money: bool = False  # said with "$", "dollars", "k", "thousand", "million"...
    percent: bool = False
    spelled: bool = False  # said in words ("four hundred"), not digits


class _Run:
    """The number being read, token by token."""

    def __init__(self, start: int) -> None:
        self.start = self.end = start
        self.total = 0.0
        self.current = 0.0
        self.last_scale = 0
        self.money = self.spelled = False
        self.last_kind = ""  # "digits", "unit", "tens", "hundred", "scale"

    @property
    def value(self) -> float:
        return self.total + self.current


def numbers_in(normalised: str) -> list[Number]:
    """Every number in ``normalised`` text (see ``normalise``), in the order said."""
    tokens = list(_TOKEN.finditer(normalised))
    found: list[Number] = []
    run: _Run | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = token.group(0)
        following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
        taken = _take(run, word, following, token.start())
        if taken is None:
            if run is not None:
                found.append(_finish(run, word))
                run = None
            taken = _take(None, word, following, token.start())
        if taken is not None:
            run = taken
            run.end = token.end()
            if word == "a" and following == "half":
                index += 1  # "and a half": the "half" is taken with its "a"
                run.end = tokens[index].end()
        index += 1
    if run is not None:
        found.append(_finish(run, ""))
    return found


def _take(run: _Run | None, word: str, following: str, position: int) -> _Run | None:
    """``run`` with ``word`` added, a new run when ``run`` is None, or None when the word ends it."""
    digits = _DIGITS.match(word)
    if run is None:
        if digits is None and word not in UNITS and word not in TENS:
            if word == "a" and following in ("hundred", "thousand", "million"):
                run = _Run(position)
                run.current, run.last_kind, run.spelled = 1, "unit", True
                return run
            if word == "half" and following == "a":
                run = _Run(position)
                run.current, run.last_kind, run.spelled = 0.5, "half", True
                return run
            return None
        run = _Run(position)
    if digits is not None:
        if run.last_kind in ("digits", "unit", "tens"):
            return None  # two numbers in a row: "3 400"
        value = float(digits[1])
        run.current += value * (SCALES[digits[2]] if digits[2] else 1)
        run.money = run.money or word.startswith("$") or bool(digits[2])
        run.last_kind = "scale" if digits[2] else "digits"
        return run
    if word in UNITS:
        if run.last_kind in ("digits", "unit") or (run.last_kind == "tens" and UNITS[word] >= 10):
            return None
        run.current += UNITS[word]
        run.last_kind, run.spelled = "unit", True
        return run
    if word in TENS:
        if run.last_kind == "tens" or run.last_kind == "digits":
            return None
        # "seven twenty", "four fifty": hundreds said without the word "hundred".
        run.current = run.current * 100 + TENS[word] if run.last_kind == "unit" else run.current + TENS[word]
        run.last_kind, run.spelled = "tens", True
        return run
    if word == "a" and run.last_kind == "half":
        return run  # "half a million"
    if word == "hundred":
        run.current = (run.current or 1) * 100
        run.last_kind = "hundred"
        return run
    if word in SCALES and (word not in ("k", "m") or run.last_kind == "digits"):
        scale = SCALES[word]
        run.total += (run.current or 1) * scale
        run.current, run.last_scale, run.last_kind, run.money = 0, scale, "scale", True
        return run
    if word == "and" and following in ("a", *UNITS, *TENS) and run.last_kind in ("scale", "hundred", "unit"):
        return run
    if word == "a" and following == "half" and run.last_kind in ("scale", "unit", "digits", "tens"):
        # "a million and a half", "one and a half million"
        if run.last_kind == "scale":
            run.total += 0.5 * run.last_scale
        else:
            run.current += 0.5
        return run
    return None


def _finish(run: _Run, following: str) -> Number:
    return Number(
        value=run.value,
        start=run.start,
        end=run.end,
        money=run.money or following in _MONEY_WORDS,
        percent=following in _PERCENT_WORDS,
        spelled=run.spelled,
    )

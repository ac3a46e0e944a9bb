"""Qualification fields: how each is asked, read from speech, cleaned up when a model passes it, spoken.

A ``Field`` is the plugin's side of a ``core.WorkflowField``: it also knows the words that say
each value (``synonyms``), the words that tie a value said in passing to it (``cues``: "worth"
makes an amount the property value), and how a plain yes or no answers it.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from core import WorkflowField
from core.providers import FieldKind
from plugins.workflows import extract
from plugins.workflows.words import normalise

# A field the words did not mention (None is a value: asked, and the caller does not know).
NOT_SAID: Any = object()

# Dental (and medical) insurance carriers, as callers name them; "none" is paying out of pocket.
CARRIERS: dict[str, tuple[str, ...]] = {
    "none": (
        r"\b(no|not have|without|do not have|dont have|never had) (any )?(dental )?insurance\b",
        r"\b(self pay|pay (cash|out of pocket)|uninsured)\b",
    ),
    "Delta Dental": (r"\bdelta\b",),
    "Cigna": (r"\b(cigna|signa)\b",),
    "Aetna": (r"\b(aetna|etna)\b",),
    "MetLife": (r"\bmet ?life\b",),
    "Guardian": (r"\bguardian\b",),
    "United Concordia": (r"\bconcordia\b",),
    "UnitedHealthcare": (r"\b(united ?health ?care|uhc)\b",),
    "Humana": (r"\bhumana\b",),
    "Blue Cross Blue Shield": (r"\b(blue cross|blue shield|bcbs|anthem)\b",),
    "Medicaid": (r"\bmedicaid\b",),
}
# A text field's answer that says there is nothing to tell ("there's no other party").
_NOTHING = re.compile(r"^(no one|nobody|none|nothing|no|not applicable|n a|there is no one|no other party)$")


class Field(msgspec.Struct, kw_only=True, frozen=True):
    name: str
    description: str
    kind: FieldKind = "text"
    question: str = ""
    # choice and carrier: value -> patterns (on normalised text) that say it, checked in order.
    synonyms: dict[str, tuple[str, ...]] = {}
    # Patterns that tie a value said in passing to this field: an amount must follow one ("worth",
    # "borrow"); a text field takes the group ``value`` of the first that matches.
    cues: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    urgent: bool = False
    # choice: the value a plain "yes" or "no" answers the question with.
    yes: str | None = None
    no: str | None = None
    # amount: a bare number below this, said to the question, is in thousands ("about 400").
    thousands_below: float | None = None

    def describe(self) -> WorkflowField:
        return WorkflowField(
            name=self.name,
            description=self.description,
            kind=self.kind,
            question=self.question,
            choices=self.choices,
            intents=list(self.intents),
            urgent=self.urgent,
        )

    @property
    def choices(self) -> list[str]:
        if self.kind == "credit":
            return list(extract.CREDIT_BANDS)
        if self.kind == "timeline":
            return list(extract.TIMELINES)
        return list(self._synonyms)

    @property
    def _synonyms(self) -> dict[str, tuple[str, ...]]:
        return self.synonyms or (CARRIERS if self.kind == "carrier" else {})

    def read(self, normalised: str, original: str, *, lenient: bool) -> Any:
        """The value the words give this field, or ``NOT_SAID``; ``lenient``: it was just asked."""
        value = self._read(normalised, original, lenient=lenient)
        return NOT_SAID if value is None else value

    def _read(self, normalised: str, original: str, *, lenient: bool) -> Any:
        kind = self.kind
        if kind == "amount":
            cues = re.compile("|".join(self.cues)) if self.cues else None
            return extract.amount(
                normalised, lenient=lenient, cues=cues, thousands_below=self.thousands_below
            )
        if kind == "credit":
            return extract.credit(normalised, lenient=lenient)
        if kind == "timeline":
            return extract.timeline(normalised, lenient=lenient)
        if kind == "yes_no":
            return extract.yes_no(normalised) if lenient else None
        if kind in ("choice", "carrier"):
            patterns = {value: [re.compile(p) for p in found] for value, found in self._synonyms.items()}
            said = extract.choice(normalised, patterns)
            if said is None and lenient:
                answer = extract.yes_no(normalised)
                no = self.no or ("none" if kind == "carrier" else None)
                said = self.yes if answer is True else no if answer is False else None
            return said
        if kind == "address":
            return extract.address(original, lenient=lenient)
        return self._text(normalised, original, lenient=lenient)

    def _text(self, normalised: str, original: str, *, lenient: bool) -> str | None:
        for cue in self.cues:
            found = re.search(cue, normalised)
            if found is not None and found.groupdict().get("value"):
                return _as_said(found["value"], original)
        if not lenient:
            return None
        if _NOTHING.match(normalised):
            return "none"
        return extract.free_text(original)

    def clean(self, value: Any) -> Any:
        """A value a model passed, stored the way the offline model would have read it."""
        if value is None:
            return None
        if isinstance(value, bool):
            if self.kind == "choice" and (self.yes or self.no):
                return self.yes if value else self.no
            return value
        if isinstance(value, int | float):
            if self.kind == "credit":
                return extract.band(value)
            return int(value) if float(value).is_integer() else value
        text = str(value).strip()
        canonical = {choice.casefold(): choice for choice in self.choices}
        if text.casefold() in canonical:
            return canonical[text.casefold()]
        if self.kind in ("text", "address"):
            return text
        read = self._read(normalise(text), text, lenient=True)
        return text if read is None else read

    def spoken(self, value: Any) -> str:
        """The value as a person reads it in a summary: "$400,000", "within 3 months", "yes"."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if self.kind == "amount" and isinstance(value, int | float):
            return f"${value:,.0f}"
        if isinstance(value, str) and self.kind in ("choice", "credit", "timeline"):
            return value.replace("_", " ")
        return str(value)


def _as_said(words: str, original: str) -> str:
    """``words`` (normalised) as they were written in ``original``, capitals and all."""
    pattern = r"[\W_]+".join(re.escape(word) for word in words.split())
    found = re.search(pattern, original, flags=re.IGNORECASE)
    return found.group(0) if found else words

"""Lead scoring rules: each rule gives points for what a lead says; a lead's score is their sum, 0 to 100.

Rules are data: the points for an intent, for a field's value, for an amount over a threshold,
for a ratio of two amounts (loan to value), for a field being known, for an emergency. A rule
with ``intents`` counts only for leads with one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from plugins.workflows.routing import LeadFacts


class Rule(msgspec.Struct, kw_only=True, frozen=True):
    intents: tuple[str, ...] = ()

    def applies(self, lead: LeadFacts) -> bool:
        return not self.intents or lead.intent in self.intents

    def points(self, lead: LeadFacts) -> int:
        raise NotImplementedError


class IntentPoints(Rule, kw_only=True, frozen=True):
    """Points for what the caller called about."""

    table: dict[str, int]

    def points(self, lead: LeadFacts) -> int:
        return self.table.get(lead.intent or "", 0)


class ValuePoints(Rule, kw_only=True, frozen=True):
    """Points for a field's value (a credit band, a practice area, yes or no)."""

    field: str
    table: dict[Any, int]

    def points(self, lead: LeadFacts) -> int:
        value = lead.fields.get(self.field)
        return self.table.get(value, 0) if isinstance(value, str | bool | int) else 0


class AmountPoints(Rule, kw_only=True, frozen=True):
    """Points for an amount at or over a threshold: the first of ``tiers`` (threshold, points) met."""

    field: str
    tiers: tuple[tuple[float, int], ...]

    def points(self, lead: LeadFacts) -> int:
        value = _number(lead.fields.get(self.field))
        if value is None:
            return 0
        return next((points for threshold, points in self.tiers if value >= threshold), 0)


class RatioPoints(Rule, kw_only=True, frozen=True):
    """Points for ``part / whole`` (loan to value, down payment to price): the first tier met.

    ``at_most`` tiers are (ceiling, points), for a ratio that should be low (loan to value);
    otherwise (floor, points), for one that should be high (the share put down).
    """

    part: str
    whole: str
    tiers: tuple[tuple[float, int], ...]
    at_most: bool = True

    def points(self, lead: LeadFacts) -> int:
        part, whole = _number(lead.fields.get(self.part)), _number(lead.fields.get(self.whole))
        if part is None or not whole:
            return 0
        ratio = part / whole
        for bound, points in self.tiers:
            if (ratio <= bound) if self.at_most else (ratio >= bound):
                return points
        return 0


class KnownPoints(Rule, kw_only=True, frozen=True):
    """Points for a field the caller answered (whatever the answer)."""

    field: str
    worth: int

    def points(self, lead: LeadFacts) -> int:
        value = lead.fields.get(self.field)
        return self.worth if value not in (None, "", "none") else 0


class EmergencyPoints(Rule, kw_only=True, frozen=True):
    """Points for a lead that is an emergency."""

    worth: int

    def points(self, lead: LeadFacts) -> int:
        return self.worth if lead.emergency else 0


def score(rules: Sequence[Rule], lead: LeadFacts) -> int:
    """The sum of the rules' points for ``lead``, kept within 0..100."""
    total = sum(rule.points(lead) for rule in rules if rule.applies(lead))
    return max(0, min(100, total))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

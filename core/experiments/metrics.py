"""The metrics an experiment can measure: the call outcomes recorded automatically, and custom ones.

A metric says how one unit's observations combine into its value (a caller who calls twice and
books once has ``booked`` = 1, and ``turns`` the sum of both calls) and which statistic suits it.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from core.calls.models import Call
from core.experiments.models import Experiment

Aggregate = Literal["sum", "max", "mean", "last"]


class MetricDefinition(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # binary: 0/1 per unit, analysed as a proportion; continuous: any number, analysed as a mean.
    type: Literal["binary", "continuous"] = "continuous"
    aggregate: Aggregate = "sum"
    # Values above the cap are counted as the cap (winsorisation on the way in).
    cap: float | None = msgspec.field(default=None)
    # Lower is better (e.g. duration): chance to win and the recommendation read it that way.
    inverse: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if self.cap is not None and not self.cap > 0:
            raise ValueError("cap must be a positive number")


BUILTIN_METRICS: dict[str, MetricDefinition] = {
    "booked": MetricDefinition(type="binary", aggregate="max", description="an appointment was booked"),
    "message_taken": MetricDefinition(type="binary", aggregate="max", description="a message was taken"),
    "transferred": MetricDefinition(type="binary", aggregate="max", description="the call went to a person"),
    "spam_blocked": MetricDefinition(type="binary", aggregate="max", description="screening blocked it"),
    "duration_s": MetricDefinition(aggregate="sum", inverse=True, description="seconds on the line"),
    "sentiment": MetricDefinition(aggregate="mean", description="the caller's mood, -1 to 1"),
    "turns": MetricDefinition(aggregate="sum", description="times the caller spoke"),
}


def definition(name: str, custom: dict[str, Any]) -> MetricDefinition | None:
    """The definition of ``name`` for an experiment with ``custom`` metric definitions."""
    if name in custom:
        return msgspec.convert(custom[name], MetricDefinition)
    if name in BUILTIN_METRICS:
        return BUILTIN_METRICS[name]
    return None


def experiment_metrics(experiment: Experiment) -> list[str]:
    """The metrics an experiment measures: primary first, then secondaries, then other defined ones."""
    names = [experiment.primary_metric, *experiment.secondary_metrics, *experiment.metrics]
    return list(dict.fromkeys(names))


def call_metrics(call: Call) -> dict[str, float]:
    """What a finished call contributes to every running experiment it took part in."""
    values = {
        "booked": float(call.outcome == "booked"),
        "message_taken": float(call.outcome in ("message_taken", "voicemail")),
        "transferred": float(call.outcome == "transferred"),
        "spam_blocked": float(call.outcome == "spam_blocked"),
        "duration_s": float(call.duration_s or 0),
        "turns": float(call.turn_count),
    }
    if call.sentiment is not None:
        values["sentiment"] = float(call.sentiment)
    return values

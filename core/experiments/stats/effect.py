"""The treatment-minus-control effect and its sampling variance, shared by every engine.

Absolute effect: ``mean_t - mean_c`` with variance ``var_t / n_t + var_c / n_c`` (two independent means).

Relative effect (lift): ``(mean_t - mean_c) / mean_c``. Its variance comes from the delta method applied
to the ratio ``mean_t / mean_c`` of two independent means::

    Var ≈ var_t / (mean_c**2 * n_t) + var_c * mean_t**2 / (mean_c**4 * n_c)

This is the same first-order approximation GrowthBook's gbstats uses, so our intervals line up with
theirs. Like gbstats, the relative effect divides by the signed control mean.

Degrees of freedom are Welch-Satterthwaite's, always from the *absolute* per-arm variances, even for the
relative effect (again as gbstats does): the delta-method variance has no clean dof of its own and the
absolute one is what drives the small-sample behaviour.

Inputs that can't support an estimate raise :class:`NotEnoughData` with a machine-readable reason; the
top-level :func:`core.experiments.stats.analysis.analyse` turns that into a well-defined result.
"""

from __future__ import annotations

import math
from typing import Literal

import msgspec

from core.experiments.stats.summary import Moments, SummaryStats

__all__ = [
    "DifferenceType",
    "EffectEstimate",
    "NotEnoughData",
    "NotEnoughDataReason",
    "as_moments",
    "estimate_effect",
    "welch_dof",
]

DifferenceType = Literal["relative", "absolute"]

NotEnoughDataReason = Literal[
    "no_units",
    "too_few_units",
    "non_finite_input",
    "zero_variance",
    "zero_control_mean",
]


class NotEnoughData(ValueError):
    """The data can't support the estimate; ``reason`` says why."""

    def __init__(self, reason: NotEnoughDataReason) -> None:
        super().__init__(reason)
        self.reason: NotEnoughDataReason = reason


class EffectEstimate(msgspec.Struct, frozen=True):
    """A point estimate of the effect, its sampling variance and Welch's degrees of freedom."""

    point: float
    variance: float
    dof: float

    @property
    def stderr(self) -> float:
        return math.sqrt(self.variance)


def as_moments(stats: Moments | SummaryStats) -> Moments:
    """Moments as given, or a SummaryStats read with the sample variance."""
    return stats if isinstance(stats, Moments) else stats.moments("mean")


def check_arm(arm: Moments) -> None:
    """Raise NotEnoughData unless one arm has two or more units, finite numbers and positive variance."""
    if arm.n <= 0:
        raise NotEnoughData("no_units")
    if arm.n < 2:
        raise NotEnoughData("too_few_units")
    if not (math.isfinite(arm.mean) and math.isfinite(arm.variance)):
        raise NotEnoughData("non_finite_input")
    if arm.variance <= 0.0:
        raise NotEnoughData("zero_variance")


def welch_dof(control: Moments, treatment: Moments) -> float:
    """Welch-Satterthwaite degrees of freedom for the difference of two means (n >= 2 each)."""
    a = control.variance / control.n
    b = treatment.variance / treatment.n
    return (a + b) ** 2 / (a * a / (control.n - 1) + b * b / (treatment.n - 1))


def effect_variance(control: Moments, treatment: Moments, difference_type: DifferenceType) -> float:
    """Sampling variance of the effect (delta method for the relative one)."""
    if difference_type == "relative":
        mc2 = control.mean * control.mean
        return treatment.variance / (mc2 * treatment.n) + control.variance * treatment.mean**2 / (
            mc2 * mc2 * control.n
        )
    return treatment.variance / treatment.n + control.variance / control.n


def effect_point(control: Moments, treatment: Moments, difference_type: DifferenceType) -> float:
    """Point estimate of the effect."""
    diff = treatment.mean - control.mean
    return diff / control.mean if difference_type == "relative" else diff


def estimate_effect(
    control: Moments | SummaryStats,
    treatment: Moments | SummaryStats,
    difference_type: DifferenceType = "relative",
) -> EffectEstimate:
    """The effect of treatment over control, or NotEnoughData when the inputs can't support one."""
    c = as_moments(control)
    t = as_moments(treatment)
    check_arm(c)
    check_arm(t)
    if difference_type == "relative" and c.mean == 0.0:
        raise NotEnoughData("zero_control_mean")
    estimate = EffectEstimate(
        effect_point(c, t, difference_type),
        effect_variance(c, t, difference_type),
        welch_dof(c, t),
    )
    if not (
        math.isfinite(estimate.point)
        and math.isfinite(estimate.variance)
        and math.isfinite(estimate.dof)
        and estimate.variance > 0.0
    ):
        raise NotEnoughData("non_finite_input")
    return estimate

"""Fixed-horizon frequentist test: Welch's unequal-variance t-test on the absolute or relative effect.

The statistic is ``(effect - test_value) / stderr`` with the effect, its (delta-method, for relative)
variance and Welch-Satterthwaite degrees of freedom from :mod:`.effect`. P-values and intervals come from
Student's t with those degrees of freedom. This reproduces GrowthBook gbstats 0.8.0's ``TwoSidedTTest``
and its one-sided siblings number for number (see ``tests/core/experiments/test_stats_gbstats_parity.py``).

Valid only when the sample size is fixed in advance and the result is read once. Looking every day and
stopping at the first p < alpha inflates false positives well past alpha; use :mod:`.sequential` for that.

Distribution functions are scipy's special functions (``stdtr``/``stdtrit``) — the very ones
``scipy.stats.t`` calls underneath — to skip its per-call overhead in simulations.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from scipy import special

from core.experiments.stats.effect import DifferenceType, estimate_effect
from core.experiments.stats.summary import Moments, SummaryStats

__all__ = ["Alternative", "TestResult", "t_test"]

Alternative = Literal["two-sided", "greater", "less"]
"""``greater``: H1 is treatment > control (plus ``test_value``); ``less``: treatment < control."""


class TestResult(msgspec.Struct, frozen=True, kw_only=True):
    """Outcome of a frequentist (fixed or sequential) test on one effect.

    ``ci_low``/``ci_high`` are None on the unbounded side of a one-sided interval.
    """

    __test__ = False  # not a pytest test class

    effect: float
    stderr: float
    dof: float
    ci_low: float | None
    ci_high: float | None
    p_value: float


def _t_sf(x: float, dof: float) -> float:
    """P(T > x) for Student's t."""
    return float(special.stdtr(dof, -x))


def t_test(
    control: Moments | SummaryStats,
    treatment: Moments | SummaryStats,
    *,
    difference_type: DifferenceType = "relative",
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
    test_value: float = 0.0,
) -> TestResult:
    """Welch's t-test of treatment against control; raises NotEnoughData on degenerate inputs.

    Two-sided: ``p = 2 P(T > |t|)``, CI ``effect ± t_{1-alpha/2, dof} · stderr``.
    One-sided: ``p = P(T > t)`` (greater) or ``P(T < t)`` (less), with the matching one-sided bound at
    ``t_{1-alpha, dof}``.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    est = estimate_effect(control, treatment, difference_type)
    se = est.stderr
    stat = (est.point - test_value) / se
    if alternative == "two-sided":
        p_value = min(2.0 * _t_sf(abs(stat), est.dof), 1.0)
        half = float(special.stdtrit(est.dof, 1.0 - alpha / 2.0)) * se
        ci_low, ci_high = est.point - half, est.point + half
    elif alternative == "greater":
        p_value = _t_sf(stat, est.dof)
        ci_low, ci_high = est.point - float(special.stdtrit(est.dof, 1.0 - alpha)) * se, None
    elif alternative == "less":
        p_value = _t_sf(-stat, est.dof)
        # gbstats 0.8.0's OneSidedTreatmentLesserTTest subtracts here, a sign slip; the upper bound of a
        # one-sided interval for "treatment is lower" is point + t * stderr.
        ci_low, ci_high = None, est.point + float(special.stdtrit(est.dof, 1.0 - alpha)) * se
    else:
        raise ValueError(f"unknown alternative {alternative!r}")
    return TestResult(
        effect=est.point,
        stderr=se,
        dof=est.dof,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
    )

"""Running sufficient statistics for one variant and one metric.

Why sums and not raw values: a call outcome is recorded once, as it happens, by adding to three
numbers per (experiment, variant, metric) — the unit count, the sum and the sum of squares. Those are
all that a Welch t-test, the delta method, the sequential test and the gaussian Bayesian model need, they
merge by addition (across days, shards or workers) and they never grow with traffic.

The price is that anything needing the raw distribution — percentile caps, quantiles, medians — can't be
computed after the fact. Outlier control therefore happens on the way in: :func:`cap_value` clamps a value
to a fixed absolute cap *before* it is added to the sums (GrowthBook's "absolute capping"). A percentile
cap would need the raw values, which we deliberately don't keep.

Binary metrics (converted or not) are the same three numbers with each value in {0, 1}, so
``sum_squares == sum``. Their variance can be read two ways (see :meth:`SummaryStats.moments`): the
sample variance every other metric uses, or the binomial ``p(1 - p)`` that GrowthBook's
``ProportionStatistic`` uses. The two differ by a factor ``n / (n - 1)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import msgspec

__all__ = ["MetricType", "Moments", "SummaryStats", "cap_value", "from_values", "merge"]

MetricType = Literal["mean", "binomial"]
"""How a variant's variance is estimated: ``"mean"`` — the sample variance (divides by n - 1), right for
any metric; ``"binomial"`` — ``p(1 - p)`` for 0/1 metrics, GrowthBook's proportion statistic."""


class Moments(msgspec.Struct, frozen=True):
    """What every test actually consumes: a unit count, a mean and a variance of one unit's value."""

    n: int
    mean: float
    variance: float


class SummaryStats(msgspec.Struct, frozen=True):
    """``n`` units whose values add up to ``sum`` and whose squares add up to ``sum_squares``."""

    n: int
    sum: float
    sum_squares: float

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError("n must not be negative")

    @property
    def mean(self) -> float:
        """Mean per unit; 0 with no units, so an empty variant never yields NaN."""
        return self.sum / self.n if self.n > 0 else 0.0

    @property
    def variance(self) -> float:
        """Sample variance (n - 1 in the denominator); 0 below two units.

        Computed from the sums as ``(sum_squares - sum**2 / n) / (n - 1)``. Floating-point cancellation can
        push a true zero a hair below it, so the result is clamped at 0.
        """
        if self.n < 2:
            return 0.0
        return max((self.sum_squares - self.sum * self.sum / self.n) / (self.n - 1), 0.0)

    @property
    def stddev(self) -> float:
        """Sample standard deviation."""
        return math.sqrt(self.variance)

    @property
    def binomial_variance(self) -> float:
        """``p(1 - p)`` for a 0/1 metric with ``p = mean``; 0 outside [0, 1] or with no units."""
        p = self.mean
        return max(p * (1.0 - p), 0.0)

    def moments(self, metric_type: MetricType = "mean") -> Moments:
        """The (n, mean, variance) triple the tests run on, with the chosen variance estimator."""
        variance = self.binomial_variance if metric_type == "binomial" else self.variance
        return Moments(self.n, self.mean, variance)

    def add(self, value: float, cap: float | None = None) -> SummaryStats:
        """These stats with one more unit of ``value`` (capped first when ``cap`` is given)."""
        value = cap_value(value, cap)
        return SummaryStats(self.n + 1, self.sum + value, self.sum_squares + value * value)

    def __add__(self, other: SummaryStats) -> SummaryStats:
        return merge(self, other)


def cap_value(value: float, cap: float | None) -> float:
    """Winsorise one value at record time: values above ``cap`` count as ``cap``.

    This is an absolute (fixed-threshold) upper cap, applied before the value joins the running sums,
    because once summed it can't be singled out again. ``cap=None`` means no cap. A negative cap is
    allowed (it simply is the upper bound), but the usual use is a non-negative cap on revenue, call
    duration and the like. Pick the cap from history (say a past 99th percentile) and keep it fixed for
    the experiment's life: changing it mid-experiment mixes differently capped values in one sum.
    """
    if cap is None:
        return value
    if math.isnan(cap):
        raise ValueError("cap must be a number")
    return min(value, cap)


def from_values(values: Iterable[float], cap: float | None = None) -> SummaryStats:
    """Summary statistics of raw values (each capped first when ``cap`` is given); handy in tests."""
    n = 0
    total = 0.0
    squares = 0.0
    for raw in values:
        value = cap_value(float(raw), cap)
        n += 1
        total += value
        squares += value * value
    return SummaryStats(n, total, squares)


def merge(*parts: SummaryStats) -> SummaryStats:
    """Stats of the union of disjoint sets of units: the sums simply add up."""
    return SummaryStats(
        sum(p.n for p in parts),
        math.fsum(p.sum for p in parts),
        math.fsum(p.sum_squares for p in parts),
    )

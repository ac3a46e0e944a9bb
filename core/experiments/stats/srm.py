"""Sample-ratio mismatch (SRM): is the observed traffic split the one the experiment was configured for?

A split that drifts from its weights (say 50/50 configured, 52/48 observed over 20,000 callers) means
assignment or tracking is broken — a variant crashing before it logs, a bot hitting one arm — and every
metric comparison is then suspect whatever its p-value. The check is Pearson's chi-square
goodness-of-fit of the observed unit counts against ``total · weight / sum(weights)``, with k - 1 degrees
of freedom (``scipy.stats.chisquare``). It is flagged at p < 0.001, GrowthBook's default: with daily
checks over many experiments a looser threshold would cry wolf.

Variants with zero weight and zero units are left out; a zero-weight variant that *has* units is a
mismatch by definition and flags with p = 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec
from scipy import stats

__all__ = ["SRM_THRESHOLD", "SrmResult", "srm_check"]

SRM_THRESHOLD = 0.001


class SrmResult(msgspec.Struct, frozen=True, kw_only=True):
    """Observed and expected unit counts, the chi-square statistic and its p-value."""

    observed: list[int]
    expected: list[float]
    chi_square: float
    p_value: float
    threshold: float
    mismatch: bool


def srm_check(
    observed: Sequence[int], weights: Sequence[float], *, threshold: float = SRM_THRESHOLD
) -> SrmResult:
    """Chi-square test of ``observed`` unit counts against the configured ``weights`` (any scale)."""
    if len(observed) != len(weights):
        raise ValueError("observed and weights must have the same length")
    if any(w < 0 or not math.isfinite(w) for w in weights) or not sum(weights) > 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    if any(o < 0 for o in observed):
        raise ValueError("observed counts must not be negative")
    counts = [int(o) for o in observed]
    total = sum(counts)
    weight_total = float(sum(weights))
    expected = [total * w / weight_total for w in weights]

    def result(chi_square: float, p_value: float) -> SrmResult:
        return SrmResult(
            observed=counts,
            expected=expected,
            chi_square=chi_square,
            p_value=p_value,
            threshold=threshold,
            mismatch=p_value < threshold,
        )

    if any(c > 0 and w == 0 for c, w in zip(counts, weights, strict=True)):
        return result(math.inf, 0.0)
    kept = [(c, e) for c, e, w in zip(counts, expected, weights, strict=True) if w > 0]
    if total == 0 or len(kept) < 2:
        return result(0.0, 1.0)
    chi_square, p_value = stats.chisquare([c for c, _ in kept], [e for _, e in kept])
    return result(float(chi_square), float(p_value))

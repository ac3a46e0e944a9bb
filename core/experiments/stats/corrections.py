"""Multiple-comparison corrections for a family of p-values (several treatments, or several metrics).

Testing k treatments against one control at alpha each makes *some* false positive far likelier than
alpha. Two standard adjustments, returned as adjusted p-values (compare them with alpha as usual):

* Holm (1979) step-down — controls the family-wise error rate (chance of any false positive), uniformly
  more powerful than Bonferroni. Sorted ascending, ``p̃_(i) = max_{j<=i} min(1, (m - j + 1) · p_(j))``.
* Benjamini-Hochberg (1995) — controls the false discovery rate (expected share of false positives among
  the rejections); better when many metrics are read at once. Sorted ascending,
  ``p̃_(i) = min_{j>=i} min(1, m · p_(j) / j)``; equals ``scipy.stats.false_discovery_control``.

Both keep the input order in their output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

__all__ = ["Correction", "adjust", "benjamini_hochberg", "holm"]

Correction = Literal["none", "holm", "benjamini-hochberg"]


def _check(p_values: Sequence[float]) -> list[float]:
    values = [float(p) for p in p_values]
    if any(not (0.0 <= p <= 1.0) or math.isnan(p) for p in values):
        raise ValueError("p-values must lie in [0, 1]")
    return values


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values."""
    values = _check(p_values)
    m = len(values)
    order = sorted(range(m), key=values.__getitem__)
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * values[index]))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg step-up adjusted p-values (q-values)."""
    values = _check(p_values)
    m = len(values)
    order = sorted(range(m), key=values.__getitem__)
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        index = order[rank]
        running = min(running, m * values[index] / (rank + 1))
        adjusted[index] = running
    return adjusted


def adjust(p_values: Sequence[float], method: Correction) -> list[float]:
    """Adjusted p-values by ``method`` (``"none"`` returns them unchanged)."""
    if method == "holm":
        return holm(p_values)
    if method == "benjamini-hochberg":
        return benjamini_hochberg(p_values)
    if method == "none":
        return _check(p_values)
    raise ValueError(f"unknown correction {method!r}")

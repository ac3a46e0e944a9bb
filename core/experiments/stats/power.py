"""Power and sample size for a two-arm, equal-split, two-sided test (normal approximation).

The minimum detectable effect (MDE) is relative to the control (baseline) mean: ``δ = mde · mean_c``.
With ``z_a = Φ⁻¹(1 - alpha/2)`` and ``z_b = Φ⁻¹(power)``, units per variant::

    n = ( z_a · sqrt(2 · v0) + z_b · sqrt(v_c + v_t) )² / δ²

where ``v0`` is the per-unit variance under the null (both arms alike) and ``v_c``, ``v_t`` the per-arm
variances under the alternative:

* ``metric_type="binomial"`` — the classic pooled-variance formula for two proportions (Fleiss, without
  continuity correction): ``p_t = p_c (1 + mde)``, ``v0 = p̄(1 - p̄)`` with ``p̄ = (p_c + p_t)/2``,
  ``v_c = p_c(1 - p_c)``, ``v_t = p_t(1 - p_t)``. Baseline 10%, +20% relative, alpha 0.05, power 0.8
  gives 3,841 per variant — the figure most online calculators show.
* ``metric_type="mean"`` — equal variances ``sigma²`` (the control's) in both arms, so the formula is the
  textbook ``n = 2 sigma² (z_a + z_b)² / δ²``.

:func:`power` inverts it, counting both rejection regions::

    power = Φ((|δ|√n - z_a √(2 v0)) / √(v_c + v_t)) + Φ((-|δ|√n - z_a √(2 v0)) / √(v_c + v_t))

so ``power(n, mde=0) == alpha`` and ``power(sample_size_per_variant(...)) >= target``.

These plan a fixed-horizon test. A sequential test needs more units for the same power; a Bayesian
readout has no power in this sense, but the same n is a fair guide to when its intervals get useful.
"""

from __future__ import annotations

import math

from scipy import optimize, special

from core.experiments.stats.summary import MetricType

__all__ = ["minimum_detectable_effect", "power", "sample_size_per_variant"]


def _check_common(baseline_mean: float, alpha: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    if not math.isfinite(baseline_mean) or baseline_mean == 0.0:
        raise ValueError("baseline_mean must be finite and non-zero for a relative MDE")


def _variances(
    baseline_mean: float, relative_mde: float, baseline_variance: float | None, metric_type: MetricType
) -> tuple[float, float, float]:
    """(δ, v0, v_c + v_t) for the chosen model."""
    delta = relative_mde * baseline_mean
    if metric_type == "binomial":
        p_c = baseline_mean
        p_t = p_c * (1.0 + relative_mde)
        if not (0.0 < p_c < 1.0 and 0.0 < p_t < 1.0):
            raise ValueError("binomial rates must lie strictly between 0 and 1 before and after the MDE")
        p_bar = (p_c + p_t) / 2.0
        return delta, p_bar * (1.0 - p_bar), p_c * (1.0 - p_c) + p_t * (1.0 - p_t)
    if baseline_variance is None or not (baseline_variance > 0.0 and math.isfinite(baseline_variance)):
        raise ValueError("a mean metric needs a positive, finite baseline_variance")
    return delta, baseline_variance, 2.0 * baseline_variance


def sample_size_per_variant(
    baseline_mean: float,
    relative_mde: float,
    *,
    baseline_variance: float | None = None,
    metric_type: MetricType = "mean",
    alpha: float = 0.05,
    target_power: float = 0.8,
) -> int:
    """Units needed in each variant to detect ``relative_mde`` with ``target_power`` (module docstring)."""
    _check_common(baseline_mean, alpha)
    if not 0.0 < target_power < 1.0:
        raise ValueError("target_power must be in (0, 1)")
    if relative_mde == 0.0 or not math.isfinite(relative_mde):
        raise ValueError("relative_mde must be finite and non-zero")
    delta, v0, v1 = _variances(baseline_mean, relative_mde, baseline_variance, metric_type)
    z_a = float(special.ndtri(1.0 - alpha / 2.0))
    z_b = float(special.ndtri(target_power))
    n = (z_a * math.sqrt(2.0 * v0) + z_b * math.sqrt(v1)) ** 2 / (delta * delta)
    # Guard against n landing a hair above an integer through rounding (e.g. 3841.0000000001).
    return max(math.ceil(n - 1e-9), 2)


def power(
    n_per_variant: float,
    baseline_mean: float,
    relative_mde: float,
    *,
    baseline_variance: float | None = None,
    metric_type: MetricType = "mean",
    alpha: float = 0.05,
) -> float:
    """Probability that the two-sided test rejects, with ``n_per_variant`` units in each arm."""
    _check_common(baseline_mean, alpha)
    if n_per_variant <= 0:
        return 0.0
    delta, v0, v1 = _variances(baseline_mean, relative_mde, baseline_variance, metric_type)
    z_a = float(special.ndtri(1.0 - alpha / 2.0))
    shift = abs(delta) * math.sqrt(n_per_variant)
    null_edge = z_a * math.sqrt(2.0 * v0)
    spread = math.sqrt(v1)
    return float(special.ndtr((shift - null_edge) / spread) + special.ndtr((-shift - null_edge) / spread))


def minimum_detectable_effect(
    n_per_variant: float,
    baseline_mean: float,
    *,
    baseline_variance: float | None = None,
    metric_type: MetricType = "mean",
    alpha: float = 0.05,
    target_power: float = 0.8,
) -> float | None:
    """Smallest positive relative lift detectable with ``target_power``; None if none is (binomial).

    Closed form for a mean metric, ``(z_a + z_b) · sqrt(2 sigma²/n) / |mean_c|``. For a binomial metric the
    variances move with the lift, so it is found numerically, and a lift that would push the rate to
    100% or beyond doesn't count.
    """
    _check_common(baseline_mean, alpha)
    if not 0.0 < target_power < 1.0:
        raise ValueError("target_power must be in (0, 1)")
    if n_per_variant < 1:
        return None
    z_a = float(special.ndtri(1.0 - alpha / 2.0))
    z_b = float(special.ndtri(target_power))
    if metric_type == "mean":
        _variances(baseline_mean, 1.0, baseline_variance, metric_type)  # validates the variance
        assert baseline_variance is not None
        return (z_a + z_b) * math.sqrt(2.0 * baseline_variance / n_per_variant) / abs(baseline_mean)
    p_c = baseline_mean
    if not 0.0 < p_c < 1.0:
        raise ValueError("a binomial baseline rate must lie strictly between 0 and 1")
    top = (1.0 - p_c) / p_c * (1.0 - 1e-9)

    def gap(mde: float) -> float:
        return power(n_per_variant, p_c, mde, metric_type="binomial", alpha=alpha) - target_power

    bottom = 1e-12
    if gap(top) < 0.0:
        return None
    if gap(bottom) >= 0.0:
        return bottom
    return float(optimize.brentq(gap, bottom, top, xtol=1e-12, rtol=1e-10))

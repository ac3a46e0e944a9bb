"""Sequential (always-valid) test: results that stay valid however often they are looked at.

Tenants look at experiments daily and stop when something "wins". Under a fixed-horizon test each look
is another chance at a false positive; 14 looks at alpha 0.05 reject a true null far more than 5% of the
time. The always-valid intervals of Waudby-Smith et al. (2023, "Time-uniform central limit theory and
asymptotic confidence sequences", arXiv:2103.06476, eqs. 9, 155 and 161) instead hold simultaneously at
every sample size, so stopping at any look keeps the error rate at or below alpha. This is the same
construction as GrowthBook gbstats 0.8.0's ``SequentialTwoSidedTTest``, and it matches it number for number.

With ``N = n_c + n_t`` total units, ``V`` the effect's sampling variance (so ``s² = V·N`` is the per-unit
variance scale) and ``tau`` the tuning parameter (the total sample size the interval is tightest at):

* mixing rate  ``rho² = (-2 ln alpha + ln(1 - 2 ln alpha)) / tau``
* half-width   ``sqrt(s²) · sqrt( 2 (N rho² + 1) · ln( sqrt(N rho² + 1) / alpha ) / (N rho)² )``
* e-value      ``E = exp( rho² · N (effect - θ₀)² / V / (2 (N rho² + 1)) ) / sqrt(N rho² + 1)``
* p-value      ``p = min(1, 1/E)``

``p < alpha`` exactly when the interval excludes ``θ₀``. The p-value is computed in log space so a large
statistic gives a clean 0 rather than an overflow. The price of validity is width: at any one look the
interval is wider than the fixed-horizon one, least so near ``N ≈ tau``.
"""

from __future__ import annotations

import math

from core.experiments.stats.effect import DifferenceType, estimate_effect
from core.experiments.stats.frequentist import TestResult
from core.experiments.stats.summary import Moments, SummaryStats

__all__ = ["DEFAULT_TUNING", "mixing_rate_squared", "sequential_test"]

DEFAULT_TUNING = 5000.0
"""gbstats' default ``sequential_tuning_parameter``: the total sample size the interval is tuned for."""


def mixing_rate_squared(alpha: float, tuning: float) -> float:
    """rho² of eq. 161: the normal mixture's precision that makes the interval tightest at N = tuning."""
    log_alpha = math.log(alpha)
    return (-2.0 * log_alpha + math.log(1.0 - 2.0 * log_alpha)) / tuning


def sequential_test(
    control: Moments | SummaryStats,
    treatment: Moments | SummaryStats,
    *,
    difference_type: DifferenceType = "relative",
    alpha: float = 0.05,
    tuning: float = DEFAULT_TUNING,
    test_value: float = 0.0,
) -> TestResult:
    """Two-sided always-valid p-value and confidence interval; raises NotEnoughData on degenerate inputs.

    ``dof`` in the result is Welch's, reported for information only: the sequential interval is
    asymptotic (normal) and doesn't use it.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    if not tuning > 0.0:
        raise ValueError("tuning must be positive")
    est = estimate_effect(control, treatment, difference_type)
    total = control.n + treatment.n
    rho2 = mixing_rate_squared(alpha, tuning)
    spread = total * rho2 + 1.0  # N rho² + 1
    half = math.sqrt(est.variance * total) * math.sqrt(
        2.0 * spread * math.log(math.sqrt(spread) / alpha) / (total * total * rho2)
    )
    z2 = (est.point - test_value) ** 2 * total / est.variance
    log_evalue = rho2 * z2 / (2.0 * spread) - 0.5 * math.log(spread)
    p_value = math.exp(-log_evalue) if log_evalue > 0.0 else 1.0
    return TestResult(
        effect=est.point,
        stderr=est.stderr,
        dof=est.dof,
        ci_low=est.point - half,
        ci_high=est.point + half,
        p_value=p_value,
    )

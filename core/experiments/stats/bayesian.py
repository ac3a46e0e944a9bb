"""Bayesian test: a gaussian model of the effect itself (GrowthBook gbstats 0.8.0's ``EffectBayesianABTest``).

Rather than modelling each arm and simulating, the likelihood is the effect estimate's normal sampling
distribution from :mod:`.effect` — mean ``d`` (absolute or relative effect), variance ``V`` — combined
with a normal prior ``N(m, v)`` on the effect:

* improper (flat) prior, the default: posterior ``N(d, V)`` — numerically the frequentist z-interval;
* proper prior: precision ``1/V + 1/v``, mean ``(d/V + m/v) / (1/V + 1/v)`` — shrinks noisy lifts
  toward ``m``.

A prior stated on the other scale than the effect is rescaled with the control mean: a relative prior
to the absolute scale by ``m·|mean_c|`` and ``v·mean_c²``, and back by dividing.

From the posterior ``N(mu, sigma²)`` of the effect Δ:

* chance to win ``P(Δ > 0) = Φ(mu/sigma)`` (``P(Δ < 0)`` for an inverse metric, where lower is better);
* credible interval: the central ``1 - alpha`` interval ``mu + sigma Φ⁻¹(alpha/2, 1 - alpha/2)``;
* expected loss (risk), in the effect's units: of shipping control ``E[max(Δ, 0)]``, of shipping treatment
  ``E[max(-Δ, 0)]`` — what you give up, on average, if the choice turns out wrong. With ``z = mu/sigma``
  both have closed forms, ``E[max(Δ, 0)] = mu Φ(z) + sigma φ(z)`` and
  ``E[max(-Δ, 0)] = -mu Φ(-z) + sigma φ(z)``; gbstats gets the same numbers through truncated-normal
  means. For an inverse metric the two are swapped.
"""

from __future__ import annotations

import math
from typing import Literal

import msgspec
from scipy import special

from core.experiments.stats.effect import DifferenceType, as_moments, estimate_effect
from core.experiments.stats.summary import Moments, SummaryStats

__all__ = ["BayesianResult", "GaussianPrior", "bayesian_test", "normal_expected_losses"]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class GaussianPrior(msgspec.Struct, frozen=True, kw_only=True):
    """Normal prior on the effect. Ignored unless ``proper``; ``scale`` says which effect it is about."""

    mean: float = 0.0
    variance: float = 1.0
    proper: bool = False
    scale: Literal["relative", "absolute"] = "relative"

    def __post_init__(self) -> None:
        if self.proper and not (self.variance > 0.0 and math.isfinite(self.variance)):
            raise ValueError("a proper prior needs a positive, finite variance")
        if not math.isfinite(self.mean):
            raise ValueError("prior mean must be finite")


class BayesianResult(msgspec.Struct, frozen=True, kw_only=True):
    """Posterior of the effect and the decision figures drawn from it."""

    effect: float
    stddev: float
    ci_low: float
    ci_high: float
    chance_to_win: float
    risk_control: float
    risk_treatment: float


def normal_expected_losses(mu: float, sigma: float) -> tuple[float, float]:
    """``(E[max(Δ, 0)], E[max(-Δ, 0)])`` for ``Δ ~ N(mu, sigma²)``, sigma > 0."""
    z = mu / sigma
    density = sigma * _INV_SQRT_2PI * math.exp(-0.5 * z * z)
    loss_control = mu * float(special.ndtr(z)) + density
    loss_treatment = -mu * float(special.ndtr(-z)) + density
    return max(loss_control, 0.0), max(loss_treatment, 0.0)


def _prior_on_scale(
    prior: GaussianPrior, difference_type: DifferenceType, control_mean: float
) -> GaussianPrior:
    if prior.scale == difference_type:
        return prior
    if difference_type == "relative":  # absolute prior, relative effect
        return GaussianPrior(
            mean=prior.mean / abs(control_mean),
            variance=prior.variance / control_mean**2,
            proper=prior.proper,
            scale="relative",
        )
    return GaussianPrior(  # relative prior, absolute effect
        mean=prior.mean * abs(control_mean),
        variance=prior.variance * control_mean**2,
        proper=prior.proper,
        scale="absolute",
    )


def bayesian_test(
    control: Moments | SummaryStats,
    treatment: Moments | SummaryStats,
    *,
    difference_type: DifferenceType = "relative",
    alpha: float = 0.05,
    prior: GaussianPrior | None = None,
    inverse: bool = False,
) -> BayesianResult:
    """Posterior of treatment's effect over control; raises NotEnoughData on degenerate inputs."""
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    est = estimate_effect(control, treatment, difference_type)
    mu, var = est.point, est.variance
    control_mean = as_moments(control).mean
    # A relative prior has no width on the absolute scale around a zero control mean (the relative
    # effect itself is refused earlier), so it is treated as flat there.
    if prior is not None and prior.proper and not (control_mean == 0.0 and prior.scale != difference_type):
        p = _prior_on_scale(prior, difference_type, control_mean)
        precision = 1.0 / var + 1.0 / p.variance
        mu = (mu / var + p.mean / p.variance) / precision
        var = 1.0 / precision
    sigma = math.sqrt(var)
    z = mu / sigma
    chance_to_win = float(special.ndtr(z))
    loss_control, loss_treatment = normal_expected_losses(mu, sigma)
    if inverse:
        chance_to_win = 1.0 - chance_to_win
        loss_control, loss_treatment = loss_treatment, loss_control
    return BayesianResult(
        effect=mu,
        stddev=sigma,
        ci_low=mu + sigma * float(special.ndtri(alpha / 2.0)),
        ci_high=mu + sigma * float(special.ndtri(1.0 - alpha / 2.0)),
        chance_to_win=chance_to_win,
        risk_control=loss_control,
        risk_treatment=loss_treatment,
    )

"""Gaussian effect-prior Bayesian test: posterior, chance to win, expected loss, credible interval."""

from __future__ import annotations

import math

import pytest
from scipy import integrate
from scipy import stats as sps

from core.experiments.stats import GaussianPrior, Moments, NotEnoughData, bayesian_test, estimate_effect
from core.experiments.stats.bayesian import normal_expected_losses

CONTROL = Moments(2000, 0.10, 0.09)
TREATMENT = Moments(2000, 0.112, 0.112 * 0.888)


def test_flat_prior_posterior_is_the_sampling_distribution() -> None:
    est = estimate_effect(CONTROL, TREATMENT, "relative")
    r = bayesian_test(CONTROL, TREATMENT, difference_type="relative", alpha=0.05)
    assert r.effect == pytest.approx(est.point)
    assert r.stddev == pytest.approx(est.stderr)
    z = sps.norm.ppf(0.975)
    assert r.ci_low == pytest.approx(est.point - z * est.stderr)
    assert r.ci_high == pytest.approx(est.point + z * est.stderr)
    assert r.chance_to_win == pytest.approx(sps.norm.cdf(est.point / est.stderr))


def test_improper_prior_is_ignored_whatever_its_parameters() -> None:
    flat = bayesian_test(CONTROL, TREATMENT)
    assert bayesian_test(CONTROL, TREATMENT, prior=GaussianPrior(mean=5.0, variance=0.001)) == flat


def test_proper_prior_shrinks_toward_its_mean() -> None:
    est = estimate_effect(CONTROL, TREATMENT, "relative")
    prior = GaussianPrior(mean=0.0, variance=0.05**2, proper=True)
    r = bayesian_test(CONTROL, TREATMENT, prior=prior)
    precision = 1 / est.variance + 1 / prior.variance
    assert r.effect == pytest.approx((est.point / est.variance) / precision)
    assert r.stddev == pytest.approx(math.sqrt(1 / precision))
    assert 0.0 < r.effect < est.point


def test_prior_is_rescaled_between_relative_and_absolute() -> None:
    # A relative prior N(0.02, 0.1²) on an absolute effect is N(0.02·|m_c|, 0.1²·m_c²).
    relative_prior = GaussianPrior(mean=0.02, variance=0.01, proper=True, scale="relative")
    absolute_prior = GaussianPrior(mean=0.002, variance=0.0001, proper=True, scale="absolute")
    a = bayesian_test(CONTROL, TREATMENT, difference_type="absolute", prior=relative_prior)
    b = bayesian_test(CONTROL, TREATMENT, difference_type="absolute", prior=absolute_prior)
    assert a.effect == pytest.approx(b.effect, abs=1e-15)
    assert a.stddev == pytest.approx(b.stddev, abs=1e-15)
    c = bayesian_test(CONTROL, TREATMENT, difference_type="relative", prior=absolute_prior)
    d = bayesian_test(CONTROL, TREATMENT, difference_type="relative", prior=relative_prior)
    assert c.effect == pytest.approx(d.effect, abs=1e-15)


@pytest.mark.parametrize(("mu", "sigma"), [(0.03, 0.02), (-0.01, 0.05), (0.0, 1.0), (2.0, 0.1)])
def test_expected_losses_match_numerical_integration(mu: float, sigma: float) -> None:
    density = sps.norm(mu, sigma).pdf
    lo, hi = mu - 12 * sigma, mu + 12 * sigma
    gain = integrate.quad(lambda x: max(x, 0.0) * density(x), lo, hi, points=[0.0], limit=200)[0]
    loss = integrate.quad(lambda x: max(-x, 0.0) * density(x), lo, hi, points=[0.0], limit=200)[0]
    risk_control, risk_treatment = normal_expected_losses(mu, sigma)
    assert risk_control == pytest.approx(gain, abs=1e-10)
    assert risk_treatment == pytest.approx(loss, abs=1e-10)
    # E[max(D,0)] - E[max(-D,0)] = E[D]
    assert risk_control - risk_treatment == pytest.approx(mu, abs=1e-12)


def test_risk_is_the_loss_of_each_choice() -> None:
    r = bayesian_test(CONTROL, TREATMENT)
    assert r.chance_to_win > 0.5
    # Treatment looks better: shipping control gives up more than shipping treatment.
    assert r.risk_control > r.risk_treatment > 0.0


def test_inverse_metric_flips_chance_and_swaps_risks() -> None:
    normal = bayesian_test(CONTROL, TREATMENT)
    inverse = bayesian_test(CONTROL, TREATMENT, inverse=True)
    assert inverse.chance_to_win == pytest.approx(1 - normal.chance_to_win)
    assert inverse.risk_control == normal.risk_treatment
    assert inverse.risk_treatment == normal.risk_control
    assert (inverse.ci_low, inverse.ci_high) == (normal.ci_low, normal.ci_high)


def test_degenerate_inputs_raise() -> None:
    with pytest.raises(NotEnoughData):
        bayesian_test(Moments(0, 0.0, 0.0), TREATMENT)
    with pytest.raises(NotEnoughData):
        bayesian_test(Moments(100, 0.0, 1.0), TREATMENT, difference_type="relative")


def test_proper_prior_needs_positive_variance() -> None:
    with pytest.raises(ValueError):
        GaussianPrior(variance=0.0, proper=True)
    GaussianPrior(variance=0.0, proper=False)  # ignored, so allowed

"""Fixed-horizon Welch t-test and the sequential (always-valid) test, checked against scipy and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from core.experiments.stats import (
    Moments,
    NotEnoughData,
    SummaryStats,
    estimate_effect,
    from_values,
    sequential_test,
    t_test,
)
from core.experiments.stats.sequential import mixing_rate_squared


@pytest.fixture
def samples() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2024)
    return rng.normal(10.0, 3.0, 80), rng.normal(11.0, 5.0, 55)


def test_absolute_welch_matches_scipy(samples: tuple[np.ndarray, np.ndarray]) -> None:
    control, treatment = samples
    result = t_test(from_values(control), from_values(treatment), difference_type="absolute", alpha=0.05)
    reference = sps.ttest_ind(treatment, control, equal_var=False)
    ci = reference.confidence_interval(0.95)
    assert result.effect == pytest.approx(treatment.mean() - control.mean(), abs=1e-12)
    assert result.p_value == pytest.approx(reference.pvalue, abs=1e-12)
    assert result.dof == pytest.approx(reference.df, rel=1e-12)
    assert result.ci_low == pytest.approx(ci.low, abs=1e-10)
    assert result.ci_high == pytest.approx(ci.high, abs=1e-10)


@pytest.mark.parametrize("alternative", ["greater", "less"])
def test_one_sided_matches_scipy(samples: tuple[np.ndarray, np.ndarray], alternative: str) -> None:
    control, treatment = samples
    result = t_test(
        from_values(control),
        from_values(treatment),
        difference_type="absolute",
        alpha=0.1,
        alternative=alternative,  # type: ignore[arg-type]
    )
    reference = sps.ttest_ind(treatment, control, equal_var=False, alternative=alternative)
    ci = reference.confidence_interval(0.9)
    assert result.p_value == pytest.approx(reference.pvalue, abs=1e-12)
    if alternative == "greater":
        assert result.ci_high is None
        assert result.ci_low == pytest.approx(ci.low, abs=1e-10)
    else:
        assert result.ci_low is None
        assert result.ci_high == pytest.approx(ci.high, abs=1e-10)


def test_two_sided_p_is_twice_the_smaller_one_sided(samples: tuple[np.ndarray, np.ndarray]) -> None:
    c, t = (from_values(x) for x in samples)
    two = t_test(c, t).p_value
    greater = t_test(c, t, alternative="greater").p_value
    less = t_test(c, t, alternative="less").p_value
    assert greater + less == pytest.approx(1.0)
    assert two == pytest.approx(2 * min(greater, less))


def test_relative_effect_uses_delta_method() -> None:
    control = Moments(400, 20.0, 36.0)
    treatment = Moments(500, 22.0, 49.0)
    est = estimate_effect(control, treatment, "relative")
    assert est.point == pytest.approx(0.1)
    # Var(mt/mc) ≈ vt/(mc² nt) + vc mt²/(mc⁴ nc)
    expected_var = 49.0 / (400.0 * 500) + 36.0 * 484.0 / (160_000.0 * 400)
    assert est.variance == pytest.approx(expected_var, rel=1e-12)
    # Welch dof comes from the absolute variances even for the relative effect.
    a, b = 36.0 / 400, 49.0 / 500
    assert est.dof == pytest.approx((a + b) ** 2 / (a * a / 399 + b * b / 499))
    result = t_test(control, treatment, difference_type="relative", alpha=0.05)
    half = sps.t.ppf(0.975, est.dof) * math.sqrt(expected_var)
    assert result.ci_low == pytest.approx(0.1 - half)
    assert result.ci_high == pytest.approx(0.1 + half)
    assert result.p_value == pytest.approx(2 * sps.t.sf(0.1 / math.sqrt(expected_var), est.dof))


def test_summary_stats_default_to_sample_variance() -> None:
    c, t = SummaryStats(100, 10.0, 10.0), SummaryStats(100, 20.0, 20.0)
    assert t_test(c, t) == t_test(c.moments("mean"), t.moments("mean"))
    assert t_test(c, t) != t_test(c.moments("binomial"), t.moments("binomial"))


@pytest.mark.parametrize(
    ("control", "treatment", "difference_type", "reason"),
    [
        (SummaryStats(0, 0, 0), SummaryStats(10, 3, 3), "absolute", "no_units"),
        (SummaryStats(1, 1, 1), SummaryStats(10, 3, 3), "absolute", "too_few_units"),
        (SummaryStats(10, 0, 0), SummaryStats(10, 3, 3), "absolute", "zero_variance"),
        (SummaryStats(10, 3, 3), SummaryStats(10, 10, 10), "absolute", "zero_variance"),
        (SummaryStats(10, math.nan, 3), SummaryStats(10, 3, 3), "absolute", "non_finite_input"),
        (from_values([-1, 1, -1, 1]), SummaryStats(10, 3, 3), "relative", "zero_control_mean"),
    ],
)
def test_degenerate_inputs_raise_not_enough_data(
    control: SummaryStats, treatment: SummaryStats, difference_type: str, reason: str
) -> None:
    for test in (t_test, sequential_test):
        with pytest.raises(NotEnoughData) as info:
            test(control, treatment, difference_type=difference_type)  # type: ignore[operator]
        assert info.value.reason == reason


def test_zero_control_mean_is_fine_for_absolute_effect() -> None:
    result = t_test(from_values([-1, 1, -1, 1]), from_values([0, 2, 0, 2]), difference_type="absolute")
    assert result.effect == pytest.approx(1.0)


def test_invalid_alpha_is_rejected() -> None:
    c, t = SummaryStats(10, 3, 3), SummaryStats(10, 4, 4)
    with pytest.raises(ValueError):
        t_test(c, t, alpha=0.0)
    with pytest.raises(ValueError):
        sequential_test(c, t, alpha=1.0)


def test_sequential_interval_is_wider_and_agrees_with_its_p_value() -> None:
    control, treatment = Moments(3000, 0.10, 0.09), Moments(3000, 0.115, 0.1018)
    fixed = t_test(control, treatment, difference_type="absolute")
    seq = sequential_test(control, treatment, difference_type="absolute")
    assert seq.effect == fixed.effect
    assert seq.ci_low < fixed.ci_low and seq.ci_high > fixed.ci_high  # type: ignore[operator]
    assert seq.p_value >= fixed.p_value
    # At a given alpha, p < alpha exactly when the interval excludes 0 (rho depends on alpha, so the
    # comparison only holds alpha by alpha).
    seen = set()
    for lift in [i / 1000 for i in range(0, 60)]:
        t = Moments(3000, 0.10 + lift, (0.10 + lift) * (0.90 - lift))
        r = sequential_test(control, t, difference_type="absolute", alpha=0.05)
        excludes_zero = r.ci_low > 0 or r.ci_high < 0  # type: ignore[operator]
        assert excludes_zero == (r.p_value < 0.05)
        seen.add(excludes_zero)
    assert seen == {True, False}


def test_sequential_formulas_by_hand() -> None:
    control, treatment = Moments(800, 5.0, 4.0), Moments(900, 5.3, 4.5)
    alpha, tuning = 0.05, 5000.0
    rho2 = (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning
    assert mixing_rate_squared(alpha, tuning) == pytest.approx(rho2)
    n = 1700
    var = 4.0 / 800 + 4.5 / 900
    half = math.sqrt(var * n) * math.sqrt(
        2 * (n * rho2 + 1) * math.log(math.sqrt(n * rho2 + 1) / alpha) / (n * n * rho2)
    )
    evalue = math.exp(rho2 * (0.3**2 * n / var) / (2 * (n * rho2 + 1))) / math.sqrt(n * rho2 + 1)
    r = sequential_test(control, treatment, difference_type="absolute", alpha=alpha, tuning=tuning)
    assert r.ci_low == pytest.approx(0.3 - half)
    assert r.ci_high == pytest.approx(0.3 + half)
    assert r.p_value == pytest.approx(min(1.0, 1 / evalue))


def test_sequential_huge_statistic_gives_zero_not_overflow() -> None:
    r = sequential_test(Moments(10**7, 0.10, 0.09), Moments(10**7, 0.20, 0.16), difference_type="absolute")
    assert r.p_value == 0.0
    assert math.isfinite(r.ci_low) and math.isfinite(r.ci_high)  # type: ignore[arg-type]


def test_sequential_null_effect_has_p_one() -> None:
    r = sequential_test(Moments(100, 1.0, 1.0), Moments(100, 1.0, 1.0))
    assert r.p_value == 1.0

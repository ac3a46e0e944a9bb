"""Monte Carlo checks of error rates and coverage, with fixed seeds.

Summary statistics are drawn directly rather than built from raw values: a binary arm's conversions are
one binomial draw; a normal arm's sum is ``N(n·mu, n·sigma²)`` and its sum of squares follows from the
independent ``(n - 1)·s² ~ sigma²·chi²(n - 1)``. That makes thousands of simulated experiments cheap.

Bands are about four Monte Carlo standard errors wide (for 4,000 runs at 5%, one SE is ~0.35 points), and
the seeds are fixed, so the tests are deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.experiments.stats import (
    SummaryStats,
    analyse_experiment,
    bayesian_test,
    holm,
    sample_size_per_variant,
    sequential_test,
    srm_check,
    t_test,
)

RUNS = 4_000


def binary_arm(rng: np.random.Generator, n: int, rate: float) -> SummaryStats:
    conversions = float(rng.binomial(n, rate))
    return SummaryStats(n, conversions, conversions)


def normal_arm(rng: np.random.Generator, n: int, mean: float, sd: float) -> SummaryStats:
    total = rng.normal(n * mean, sd * np.sqrt(n))
    within = sd * sd * rng.chisquare(n - 1)
    return SummaryStats(n, float(total), float(within + total * total / n))


def test_normal_arm_sampler_is_right() -> None:
    rng = np.random.default_rng(0)
    arms = [normal_arm(rng, 50, 3.0, 2.0) for _ in range(4_000)]
    assert np.mean([a.mean for a in arms]) == pytest.approx(3.0, abs=0.01)
    assert np.std([a.mean for a in arms]) == pytest.approx(2.0 / np.sqrt(50), rel=0.05)
    assert np.mean([a.variance for a in arms]) == pytest.approx(4.0, rel=0.02)


@pytest.mark.parametrize(
    ("metric", "difference_type", "alpha", "seed"),
    [
        ("binary", "absolute", 0.05, 1),
        ("binary", "relative", 0.05, 2),
        ("normal", "absolute", 0.05, 3),
        ("normal", "relative", 0.1, 4),
    ],
)
def test_aa_rejection_rate_is_alpha(metric: str, difference_type: str, alpha: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rejections = 0
    for _ in range(RUNS):
        if metric == "binary":
            a, b = binary_arm(rng, 2_000, 0.1), binary_arm(rng, 2_000, 0.1)
        else:
            a, b = normal_arm(rng, 300, 20.0, 15.0), normal_arm(rng, 300, 20.0, 15.0)
        result = t_test(a, b, difference_type=difference_type, alpha=alpha)  # type: ignore[arg-type]
        rejections += result.p_value < alpha
    rate = rejections / RUNS
    assert alpha - 0.015 <= rate <= alpha + 0.015, rate


def test_daily_peeking_inflates_fixed_horizon_but_not_sequential() -> None:
    rng = np.random.default_rng(14)
    looks, daily, alpha = 14, 300, 0.05
    naive = sequential = 0
    for _ in range(RUNS):
        control = rng.binomial(daily, 0.1, looks).cumsum()
        treatment = rng.binomial(daily, 0.1, looks).cumsum()
        naive_hit = sequential_hit = False
        for day in range(looks):
            n = daily * (day + 1)
            a = SummaryStats(n, float(control[day]), float(control[day]))
            b = SummaryStats(n, float(treatment[day]), float(treatment[day]))
            naive_hit = naive_hit or t_test(a, b, alpha=alpha).p_value < alpha
            sequential_hit = sequential_hit or sequential_test(a, b, alpha=alpha).p_value < alpha
        naive += naive_hit
        sequential += sequential_hit
    assert naive / RUNS > 0.15  # roughly 0.2 with 14 looks: four times the nominal rate
    assert sequential / RUNS <= alpha + 0.01


def test_sequential_interval_covers_the_truth_at_every_look() -> None:
    rng = np.random.default_rng(21)
    looks, daily, true_effect = 14, 200, 0.8
    covered_throughout = 0
    for _ in range(RUNS):
        arms: list[list[SummaryStats]] = [[], []]
        for arm, mean in ((0, 10.0), (1, 10.0 + true_effect)):
            total = squares = 0.0
            count = 0
            for _day in range(looks):
                day = normal_arm(rng, daily, mean, 6.0)
                count, total, squares = count + day.n, total + day.sum, squares + day.sum_squares
                arms[arm].append(SummaryStats(count, total, squares))
        ok = True
        for a, b in zip(*arms, strict=True):
            r = sequential_test(a, b, difference_type="absolute", alpha=0.05)
            if not (r.ci_low <= true_effect <= r.ci_high):  # type: ignore[operator]
                ok = False
                break
        covered_throughout += ok
    assert covered_throughout / RUNS >= 0.94


@pytest.mark.parametrize("engine", ["frequentist", "bayesian"])
def test_interval_coverage_absolute_normal(engine: str) -> None:
    rng = np.random.default_rng(31)
    true_effect = 1.5
    covered = 0
    for _ in range(RUNS):
        a, b = normal_arm(rng, 250, 40.0, 12.0), normal_arm(rng, 270, 40.0 + true_effect, 14.0)
        if engine == "frequentist":
            r = t_test(a, b, difference_type="absolute", alpha=0.05)
            low, high = r.ci_low, r.ci_high
        else:
            post = bayesian_test(a, b, difference_type="absolute", alpha=0.05)
            low, high = post.ci_low, post.ci_high
        covered += low <= true_effect <= high  # type: ignore[operator]
    assert 0.93 <= covered / RUNS <= 0.97


def test_interval_coverage_relative_binary() -> None:
    rng = np.random.default_rng(41)
    true_lift = 0.10 / 0.08 - 1.0
    covered = 0
    for _ in range(RUNS):
        a, b = binary_arm(rng, 3_000, 0.08), binary_arm(rng, 3_000, 0.10)
        r = t_test(a, b, difference_type="relative", alpha=0.05)
        covered += r.ci_low <= true_lift <= r.ci_high  # type: ignore[operator]
    assert 0.93 <= covered / RUNS <= 0.97


def test_planned_sample_size_reaches_planned_power() -> None:
    rng = np.random.default_rng(51)
    n = sample_size_per_variant(0.10, 0.20, metric_type="binomial", alpha=0.05, target_power=0.8)
    rejections = 0
    for _ in range(RUNS):
        a, b = binary_arm(rng, n, 0.10), binary_arm(rng, n, 0.12)
        rejections += t_test(a, b, difference_type="absolute").p_value < 0.05
    assert 0.77 <= rejections / RUNS <= 0.83


def test_holm_controls_family_wise_error_with_three_treatments() -> None:
    rng = np.random.default_rng(61)
    uncorrected = corrected = 0
    for _ in range(RUNS):
        variants = [binary_arm(rng, 1_500, 0.2) for _ in range(4)]
        p_values = [t_test(variants[0], v).p_value for v in variants[1:]]
        uncorrected += min(p_values) < 0.05
        corrected += min(holm(p_values)) < 0.05
    assert uncorrected / RUNS > 0.09  # three looks at the same null: about 0.12
    assert corrected / RUNS <= 0.05 + 0.01
    # analyse_experiment wires the same correction.
    result = analyse_experiment(variants, correction="holm")
    assert [c.p_value_adjusted for c in result.comparisons] == pytest.approx(holm(p_values))


def test_srm_false_alarms_are_rare_under_correct_assignment() -> None:
    rng = np.random.default_rng(71)
    counts = rng.multinomial(20_000, [0.5, 0.3, 0.2], size=RUNS)
    alarms = sum(srm_check(row.tolist(), [5, 3, 2]).mismatch for row in counts)
    assert alarms / RUNS <= 0.004

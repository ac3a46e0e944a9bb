"""Sample size, power and MDE against textbook figures and each other."""

from __future__ import annotations

import pytest

from core.experiments.stats import minimum_detectable_effect, power, sample_size_per_variant


def test_textbook_conversion_example() -> None:
    # Baseline 10%, +20% relative (10% -> 12%), alpha 0.05 two-sided, power 0.8, pooled-variance formula.
    n = sample_size_per_variant(0.10, 0.20, metric_type="binomial", alpha=0.05, target_power=0.8)
    assert n == 3841
    assert 3800 <= n <= 3900


def test_textbook_mean_example() -> None:
    # Cohen's d = 0.5 (mean 10, sd 4, +20% -> delta 2): 2 (1.96 + 0.8416)² / 0.25 = 62.8 -> 63 per group.
    assert sample_size_per_variant(10.0, 0.2, baseline_variance=16.0) == 63


def test_higher_power_smaller_alpha_or_smaller_mde_need_more_units() -> None:
    base = sample_size_per_variant(0.1, 0.2, metric_type="binomial")
    assert sample_size_per_variant(0.1, 0.2, metric_type="binomial", target_power=0.9) > base
    assert sample_size_per_variant(0.1, 0.2, metric_type="binomial", alpha=0.01) > base
    assert sample_size_per_variant(0.1, 0.1, metric_type="binomial") > base
    # A drop of the same relative size is a touch easier to detect at these rates (smaller variance).
    assert sample_size_per_variant(0.1, -0.2, metric_type="binomial") < base


@pytest.mark.parametrize(
    ("mean", "mde", "variance", "metric_type"),
    [(0.1, 0.2, None, "binomial"), (0.03, -0.15, None, "binomial"), (45.0, 0.05, 900.0, "mean")],
)
def test_power_round_trips_sample_size(
    mean: float, mde: float, variance: float | None, metric_type: str
) -> None:
    kwargs = {"baseline_variance": variance, "metric_type": metric_type, "alpha": 0.05}
    n = sample_size_per_variant(mean, mde, target_power=0.8, **kwargs)  # type: ignore[arg-type]
    assert power(n, mean, mde, **kwargs) >= 0.8  # type: ignore[arg-type]
    assert power(n - 1, mean, mde, **kwargs) == pytest.approx(0.8, abs=1e-3)  # type: ignore[arg-type]
    assert power(n * 4, mean, mde, **kwargs) > 0.99  # type: ignore[arg-type]


def test_power_of_a_null_effect_is_alpha() -> None:
    assert power(1000, 5.0, 0.0, baseline_variance=4.0, alpha=0.05) == pytest.approx(0.05)


def test_minimum_detectable_effect_inverts_power() -> None:
    mde = minimum_detectable_effect(3841, 0.1, metric_type="binomial")
    assert mde == pytest.approx(0.2, abs=2e-4)
    assert power(3841, 0.1, mde, metric_type="binomial") == pytest.approx(0.8, abs=1e-8)  # type: ignore[arg-type]
    mean_mde = minimum_detectable_effect(63, 10.0, baseline_variance=16.0)
    assert mean_mde == pytest.approx(0.2, abs=2e-3)
    assert power(63, 10.0, mean_mde, baseline_variance=16.0) == pytest.approx(0.8, abs=1e-3)  # type: ignore[arg-type]


def test_mde_beyond_reach_is_none() -> None:
    # Ten units can't show a lift on a 60% rate without the rate passing 100%.
    assert minimum_detectable_effect(10, 0.6, metric_type="binomial") is None
    assert minimum_detectable_effect(0, 0.1, metric_type="binomial") is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"baseline_mean": 0.0, "relative_mde": 0.1, "metric_type": "binomial"},
        {"baseline_mean": 0.5, "relative_mde": 1.5, "metric_type": "binomial"},  # rate would exceed 1
        {"baseline_mean": 5.0, "relative_mde": 0.1},  # mean metric without a variance
        {"baseline_mean": 5.0, "relative_mde": 0.0, "baseline_variance": 1.0},
        {"baseline_mean": 5.0, "relative_mde": 0.1, "baseline_variance": 1.0, "alpha": 1.2},
        {"baseline_mean": 5.0, "relative_mde": 0.1, "baseline_variance": 1.0, "target_power": 1.0},
    ],
)
def test_invalid_inputs_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        sample_size_per_variant(**kwargs)  # type: ignore[arg-type]

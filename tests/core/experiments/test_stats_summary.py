"""SummaryStats: moments from running sums, merging, record-time capping."""

from __future__ import annotations

import math

import msgspec
import numpy as np
import pytest

from core.experiments.stats import Moments, SummaryStats, cap_value, from_values, merge


def test_moments_match_numpy() -> None:
    values = np.random.default_rng(7).gamma(2.0, 30.0, size=257)
    stats = from_values(values)
    assert stats.n == 257
    assert stats.mean == pytest.approx(values.mean(), rel=1e-12)
    assert stats.variance == pytest.approx(values.var(ddof=1), rel=1e-9)
    assert stats.stddev == pytest.approx(values.std(ddof=1), rel=1e-9)


def test_binary_metric_variances() -> None:
    stats = from_values([1] * 30 + [0] * 70)
    assert stats.sum == stats.sum_squares == 30
    assert stats.variance == pytest.approx(0.3 * 0.7 * 100 / 99)
    assert stats.binomial_variance == pytest.approx(0.21)
    assert stats.moments("binomial") == Moments(100, 0.3, pytest.approx(0.21))
    assert stats.moments() == Moments(100, 0.3, stats.variance)


@pytest.mark.parametrize("stats", [SummaryStats(0, 0.0, 0.0), SummaryStats(1, 5.0, 25.0)])
def test_tiny_samples_have_finite_zero_variance(stats: SummaryStats) -> None:
    assert stats.variance == 0.0
    assert stats.stddev == 0.0
    assert math.isfinite(stats.mean)


def test_variance_rounding_is_clamped_at_zero() -> None:
    # Identical values: the textbook formula can land a hair below zero through cancellation.
    stats = from_values([0.1] * 3)
    assert stats.variance >= 0.0
    assert stats.variance == pytest.approx(0.0, abs=1e-15)


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError):
        SummaryStats(-1, 0.0, 0.0)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"n": -3, "sum": 0, "sum_squares": 0}', type=SummaryStats)


def test_merge_equals_stats_of_concatenation() -> None:
    rng = np.random.default_rng(11)
    a, b, c = rng.normal(5, 2, 40), rng.normal(5, 2, 17), rng.normal(5, 2, 3)
    merged = merge(from_values(a), from_values(b), from_values(c))
    direct = from_values(np.concatenate([a, b, c]))
    assert merged.n == direct.n
    assert merged.sum == pytest.approx(direct.sum)
    assert merged.sum_squares == pytest.approx(direct.sum_squares)
    assert from_values(a) + from_values(b) == merge(from_values(a), from_values(b))
    assert merge() == SummaryStats(0, 0.0, 0.0)


def test_add_records_one_value_with_optional_cap() -> None:
    stats = SummaryStats(0, 0.0, 0.0).add(3.0).add(500.0, cap=100.0)
    assert stats == SummaryStats(2, 103.0, 9.0 + 10_000.0)


def test_cap_value() -> None:
    assert cap_value(250.0, None) == 250.0
    assert cap_value(250.0, 100.0) == 100.0
    assert cap_value(99.5, 100.0) == 99.5
    assert cap_value(-20.0, 100.0) == -20.0  # the cap is an upper bound only
    with pytest.raises(ValueError):
        cap_value(1.0, math.nan)


def test_from_values_caps_before_summing() -> None:
    stats = from_values([10, 20, 1_000], cap=50)
    assert stats == SummaryStats(3, 80.0, 100.0 + 400.0 + 2_500.0)


def test_is_frozen_and_json_round_trips() -> None:
    stats = SummaryStats(10, 4.0, 4.0)
    with pytest.raises(AttributeError):
        stats.n = 11  # type: ignore[misc]
    assert msgspec.json.decode(msgspec.json.encode(stats), type=SummaryStats) == stats

"""analyse / analyse_experiment: result shape, engines, degenerate data, JSON, corrections and SRM."""

from __future__ import annotations

import math
from typing import Any

import msgspec
import pytest

from core.experiments.stats import (
    AnalysisOptions,
    ComparisonResult,
    ExperimentAnalysis,
    GaussianPrior,
    SummaryStats,
    analyse,
    analyse_experiment,
    bayesian_test,
    from_values,
    holm,
    sequential_test,
    t_test,
)

CONTROL = SummaryStats(4000, 400.0, 400.0)  # 10% conversion
TREATMENT = SummaryStats(4000, 480.0, 480.0)  # 12%


def _all_numbers(value: Any) -> list[float]:
    """Every float in a (nested) builtins structure."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _all_numbers(v)]
    if isinstance(value, list):
        return [x for v in value for x in _all_numbers(v)]
    raise TypeError(type(value))


def test_frequentist_result_shape() -> None:
    r = analyse(CONTROL, TREATMENT)
    assert r.status == "ok" and r.reason is None
    assert r.engine == "frequentist" and r.difference_type == "relative"
    assert (r.control.n, r.treatment.n) == (4000, 4000)
    assert r.control.mean == pytest.approx(0.1)
    assert r.control.stddev == pytest.approx(CONTROL.stddev)
    assert r.absolute_effect == pytest.approx(0.02)
    assert r.relative_effect == pytest.approx(0.2)
    expected = t_test(CONTROL, TREATMENT)
    assert (r.effect, r.ci_low, r.ci_high, r.p_value) == (
        expected.effect,
        expected.ci_low,
        expected.ci_high,
        expected.p_value,
    )
    assert r.p_value_adjusted == r.p_value
    assert r.significant == (r.p_value < 0.05)  # type: ignore[operator]
    assert r.chance_to_win is None and r.expected_loss_control is None
    assert r.power.n_per_variant == 4000
    assert r.power.detectable_relative_mde is not None


def test_binomial_metric_type_uses_p_times_one_minus_p() -> None:
    r = analyse(CONTROL, TREATMENT, AnalysisOptions(metric_type="binomial", difference_type="absolute"))
    expected = t_test(CONTROL.moments("binomial"), TREATMENT.moments("binomial"), difference_type="absolute")
    assert r.p_value == expected.p_value
    assert r.control.stddev == pytest.approx(math.sqrt(0.09))


def test_sequential_engine() -> None:
    r = analyse(CONTROL, TREATMENT, AnalysisOptions(engine="sequential", sequential_tuning=2000))
    expected = sequential_test(CONTROL, TREATMENT, tuning=2000)
    assert (r.ci_low, r.ci_high, r.p_value) == (expected.ci_low, expected.ci_high, expected.p_value)


def test_bayesian_engine() -> None:
    prior = GaussianPrior(mean=0.0, variance=0.09, proper=True)
    r = analyse(CONTROL, TREATMENT, AnalysisOptions(engine="bayesian", prior=prior, alpha=0.1))
    expected = bayesian_test(CONTROL, TREATMENT, prior=prior, alpha=0.1)
    assert r.p_value is None and r.p_value_adjusted is None and r.dof is None
    assert r.chance_to_win == expected.chance_to_win
    assert r.expected_loss_control == expected.risk_control
    assert r.expected_loss_treatment == expected.risk_treatment
    assert (r.ci_low, r.ci_high) == (expected.ci_low, expected.ci_high)
    assert r.effect == expected.effect
    assert r.significant == (expected.ci_low > 0 or expected.ci_high < 0)


def test_one_sided_frequentist() -> None:
    r = analyse(CONTROL, TREATMENT, AnalysisOptions(alternative="greater"))
    assert r.ci_high is None and r.ci_low is not None
    assert r.significant


def test_power_figures_with_a_target() -> None:
    options = AnalysisOptions(metric_type="binomial", target_relative_mde=0.2)
    r = analyse(SummaryStats(3841, 384.1, 384.1), SummaryStats(3841, 400, 400), options)
    assert r.power.required_n_per_variant == 3841
    assert r.power.power_at_current_n == pytest.approx(0.8, abs=1e-3)
    assert r.power.detectable_relative_mde == pytest.approx(0.2, abs=1e-3)


DEGENERATE = [
    (SummaryStats(0, 0.0, 0.0), TREATMENT, "no_units"),
    (CONTROL, SummaryStats(0, 0.0, 0.0), "no_units"),
    (SummaryStats(1, 1.0, 1.0), TREATMENT, "too_few_units"),
    (SummaryStats(500, 0.0, 0.0), TREATMENT, "zero_variance"),  # no conversions in control
    (CONTROL, SummaryStats(500, 500.0, 500.0), "zero_variance"),  # everyone converted
    (from_values([-2, 2, -1, 1]), TREATMENT, "zero_control_mean"),
    (SummaryStats(10, math.nan, 3.0), TREATMENT, "non_finite_input"),
    (SummaryStats(10, math.inf, math.inf), TREATMENT, "non_finite_input"),
]


@pytest.mark.parametrize("engine", ["frequentist", "sequential", "bayesian"])
@pytest.mark.parametrize("metric_type", ["mean", "binomial"])
@pytest.mark.parametrize(("control", "treatment", "reason"), DEGENERATE)
def test_degenerate_data_gives_not_enough_data_without_nan(
    control: SummaryStats, treatment: SummaryStats, reason: str, engine: str, metric_type: str
) -> None:
    options = AnalysisOptions(engine=engine, metric_type=metric_type, target_relative_mde=0.1)  # type: ignore[arg-type]
    r = analyse(control, treatment, options)
    assert r.status == "not_enough_data"
    if not (reason == "zero_control_mean" and metric_type == "binomial"):  # p(1-p) is 0 there first
        assert r.reason == reason
    assert r.significant is False
    assert r.p_value is None and r.ci_low is None and r.chance_to_win is None
    numbers = _all_numbers(msgspec.to_builtins(r))
    assert all(math.isfinite(x) for x in numbers)
    assert b"NaN" not in msgspec.json.encode(r) and b"null" in msgspec.json.encode(r)


def test_absolute_effect_with_zero_control_mean_is_fine() -> None:
    control = from_values([-2, 2, -1, 1, 0])
    r = analyse(control, from_values([0, 3, 1, 2, -1]), AnalysisOptions(difference_type="absolute"))
    assert r.status == "ok"
    assert r.relative_effect is None
    assert r.power.detectable_relative_mde is None  # a relative MDE needs a non-zero baseline


def test_options_and_results_round_trip_json() -> None:
    raw = b'{"engine": "bayesian", "difference_type": "absolute", "prior": {"proper": true, "variance": 0.5}}'
    options = msgspec.json.decode(raw, type=AnalysisOptions)
    assert options.prior.proper and options.prior.variance == 0.5
    r = analyse(CONTROL, TREATMENT, options)
    assert msgspec.json.decode(msgspec.json.encode(r), type=ComparisonResult) == r


@pytest.mark.parametrize(
    "raw",
    [
        b'{"alpha": 0}',
        b'{"alpha": 1.5}',
        b'{"target_power": 1}',
        b'{"engine": "sequential", "alternative": "greater"}',
        b'{"target_relative_mde": 0}',
        b'{"engine": "magic"}',
        b'{"unknown_field": 1}',
        b'{"prior": {"proper": true, "variance": 0}}',
    ],
)
def test_invalid_options_fail_validation(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=AnalysisOptions)


def test_analyse_experiment_with_holm_and_srm() -> None:
    variants = [
        SummaryStats(4000, 400.0, 400.0),
        SummaryStats(4000, 480.0, 480.0),
        SummaryStats(4100, 420.0, 420.0),
        SummaryStats(3950, 0.0, 0.0),  # broken arm: no conversions recorded
    ]
    result = analyse_experiment(variants, correction="holm", expected_weights=[1, 1, 1, 1])
    assert isinstance(result, ExperimentAnalysis)
    assert [c.variant_index for c in result.comparisons] == [1, 2, 3]
    ok = result.comparisons[:2]
    raw = [c.p_value for c in ok]
    assert [c.p_value_adjusted for c in ok] == pytest.approx(holm(raw))  # type: ignore[arg-type]
    for c in ok:
        assert c.significant == (c.p_value_adjusted < 0.05)  # type: ignore[operator]
    assert result.comparisons[2].status == "not_enough_data"
    assert result.comparisons[2].p_value_adjusted is None
    assert result.srm is not None and not result.srm.mismatch


def test_analyse_experiment_other_control_and_srm_flag() -> None:
    variants = [SummaryStats(10_400, 1040.0, 1040.0), SummaryStats(9_600, 1000.0, 1000.0)]
    result = analyse_experiment(variants, control_index=1, expected_weights=[0.5, 0.5])
    assert [c.variant_index for c in result.comparisons] == [0]
    assert result.comparisons[0].control.n == 9_600
    assert result.srm is not None and result.srm.mismatch
    assert analyse_experiment(variants).srm is None
    with pytest.raises(ValueError):
        analyse_experiment(variants, control_index=2)

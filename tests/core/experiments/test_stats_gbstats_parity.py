"""Parity with GrowthBook gbstats 0.8.0 (test-only dependency: ``pip install --no-deps gbstats==0.8.0``).

Over a grid of binary and continuous summary statistics — small and large n, positive and negative
effects, a negative control mean, relative and absolute effects, alpha 0.05 and 0.1 — the point estimate,
interval bounds, p-values (fixed-horizon and sequential), chance to win, risks and credible interval must
agree with gbstats to 1e-6. Binary metrics are checked both ways gbstats reads them: as
``SampleMeanStatistic`` (our ``metric_type="mean"``) and as ``ProportionStatistic`` (``"binomial"``).

Only gbstats' submodules are imported: its top-level ``gbstats.gbstats`` runner needs pandas, which we
neither need nor install; the test classes need only pydantic, numpy and scipy.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

# gbstats is installed by `make install` (test-only, --no-deps); a missing install must fail, not skip,
# or CI would pass without checking parity at all.
from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig
from gbstats.bayesian.tests import GaussianPrior as GbPrior
from gbstats.frequentist.tests import (
    FrequentistConfig,
    OneSidedTreatmentGreaterTTest,
    OneSidedTreatmentLesserTTest,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic

from core.experiments.stats import (
    AnalysisOptions,
    GaussianPrior,
    SummaryStats,
    analyse,
    bayesian_test,
    sequential_test,
    t_test,
)

TOL = 1e-6


def _binary(n: int, conversions: int) -> SummaryStats:
    return SummaryStats(n, float(conversions), float(conversions))


def _continuous(n: int, mean: float, sd: float) -> SummaryStats:
    total = n * mean
    return SummaryStats(n, total, (n - 1) * sd * sd + total * total / n)


# (id, control, treatment, is_binary)
CASES: list[tuple[str, SummaryStats, SummaryStats, bool]] = [
    ("bin-tiny", _binary(20, 3), _binary(25, 2), True),
    ("bin-small-up", _binary(100, 10), _binary(100, 15), True),
    ("bin-small-down", _binary(50, 20), _binary(60, 18), True),
    ("bin-medium", _binary(1_000, 100), _binary(1_000, 120), True),
    ("bin-large-up", _binary(100_000, 5_000), _binary(100_000, 5_150), True),
    ("bin-large-down", _binary(100_000, 5_000), _binary(99_000, 4_800), True),
    ("bin-high-rate", _binary(2_000, 1_700), _binary(2_100, 1_820), True),
    ("cont-small", _continuous(30, 10.0, 4.0), _continuous(35, 11.5, 5.0), False),
    ("cont-tiny-heavy", _continuous(10, 120.0, 60.0), _continuous(12, 90.0, 80.0), False),
    ("cont-medium-down", _continuous(500, 50.0, 30.0), _continuous(480, 47.0, 25.0), False),
    ("cont-large", _continuous(200_000, 3.2, 10.0), _continuous(201_000, 3.25, 10.5), False),
    ("cont-revenue", _continuous(5_000, 250.0, 400.0), _continuous(5_000, 262.0, 410.0), False),
    ("cont-negative-mean", _continuous(1_000, -5.0, 20.0), _continuous(1_000, -4.0, 22.0), False),
    ("cont-null", _continuous(800, 7.0, 3.0), _continuous(800, 7.0, 3.0), False),
]


def _variants() -> list[Any]:
    params = []
    for name, control, treatment, is_binary in CASES:
        kinds = ["mean", "binomial"] if is_binary else ["mean"]
        for kind in kinds:
            for difference_type in ("relative", "absolute"):
                for alpha in (0.05, 0.1):
                    params.append(
                        pytest.param(
                            control,
                            treatment,
                            kind,
                            difference_type,
                            alpha,
                            id=f"{name}-{kind}-{difference_type}-{alpha}",
                        )
                    )
    return params


def _gb_stat(stats: SummaryStats, kind: str) -> Any:
    if kind == "binomial":
        return ProportionStatistic(n=stats.n, sum=stats.sum)
    return SampleMeanStatistic(n=stats.n, sum=stats.sum, sum_squares=stats.sum_squares)


def _close(ours: float | None, theirs: float) -> None:
    assert ours is not None
    assert math.isclose(ours, theirs, rel_tol=0.0, abs_tol=TOL), (ours, theirs)


PARAMS = _variants()


@pytest.mark.parametrize(("control", "treatment", "kind", "difference_type", "alpha"), PARAMS)
def test_two_sided_t_test(
    control: SummaryStats, treatment: SummaryStats, kind: str, difference_type: str, alpha: float
) -> None:
    config = FrequentistConfig(difference_type=difference_type, alpha=alpha)
    theirs = TwoSidedTTest(_gb_stat(control, kind), _gb_stat(treatment, kind), config).compute_result()
    assert theirs.error_message is None
    ours = t_test(
        control.moments(kind),  # type: ignore[arg-type]
        treatment.moments(kind),  # type: ignore[arg-type]
        difference_type=difference_type,  # type: ignore[arg-type]
        alpha=alpha,
    )
    _close(ours.effect, theirs.expected)
    _close(ours.ci_low, theirs.ci[0])
    _close(ours.ci_high, theirs.ci[1])
    _close(ours.p_value, theirs.p_value)
    _close(ours.stderr, theirs.uplift.stddev)
    # Through the top-level API as well.
    result = analyse(
        control,
        treatment,
        AnalysisOptions(metric_type=kind, difference_type=difference_type, alpha=alpha),  # type: ignore[arg-type]
    )
    _close(result.effect, theirs.expected)
    _close(result.ci_low, theirs.ci[0])
    _close(result.ci_high, theirs.ci[1])
    _close(result.p_value, theirs.p_value)


@pytest.mark.parametrize(("control", "treatment", "kind", "difference_type", "alpha"), PARAMS)
def test_one_sided_t_tests(
    control: SummaryStats, treatment: SummaryStats, kind: str, difference_type: str, alpha: float
) -> None:
    config = FrequentistConfig(difference_type=difference_type, alpha=alpha)
    a, b = _gb_stat(control, kind), _gb_stat(treatment, kind)
    greater = OneSidedTreatmentGreaterTTest(a, b, config).compute_result()
    less = OneSidedTreatmentLesserTTest(a, b, config).compute_result()
    c, t = control.moments(kind), treatment.moments(kind)  # type: ignore[arg-type]
    ours_greater = t_test(c, t, difference_type=difference_type, alpha=alpha, alternative="greater")  # type: ignore[arg-type]
    ours_less = t_test(c, t, difference_type=difference_type, alpha=alpha, alternative="less")  # type: ignore[arg-type]
    _close(ours_greater.p_value, greater.p_value)
    _close(ours_greater.ci_low, greater.ci[0])
    _close(ours_less.p_value, less.p_value)
    # gbstats 0.8.0 puts the "less" upper bound at point - width (a sign slip); ours is point + width.
    assert ours_less.ci_high is not None
    _close(ours_less.ci_high - ours_less.effect, ours_greater.effect - ours_greater.ci_low)  # type: ignore[operator]


@pytest.mark.parametrize("tuning", [5000.0, 1000.0])
@pytest.mark.parametrize(("control", "treatment", "kind", "difference_type", "alpha"), PARAMS)
def test_sequential_t_test(
    control: SummaryStats,
    treatment: SummaryStats,
    kind: str,
    difference_type: str,
    alpha: float,
    tuning: float,
) -> None:
    config = SequentialConfig(
        difference_type=difference_type, alpha=alpha, sequential_tuning_parameter=tuning
    )
    theirs = SequentialTwoSidedTTest(
        _gb_stat(control, kind), _gb_stat(treatment, kind), config
    ).compute_result()
    assert theirs.error_message is None
    ours = sequential_test(
        control.moments(kind),  # type: ignore[arg-type]
        treatment.moments(kind),  # type: ignore[arg-type]
        difference_type=difference_type,  # type: ignore[arg-type]
        alpha=alpha,
        tuning=tuning,
    )
    _close(ours.effect, theirs.expected)
    _close(ours.ci_low, theirs.ci[0])
    _close(ours.ci_high, theirs.ci[1])
    _close(ours.p_value, theirs.p_value)
    result = analyse(
        control,
        treatment,
        AnalysisOptions(
            engine="sequential",
            metric_type=kind,  # type: ignore[arg-type]
            difference_type=difference_type,  # type: ignore[arg-type]
            alpha=alpha,
            sequential_tuning=tuning,
        ),
    )
    _close(result.p_value, theirs.p_value)
    _close(result.ci_low, theirs.ci[0])
    _close(result.ci_high, theirs.ci[1])


PRIORS = [
    pytest.param(GaussianPrior(), id="flat"),
    pytest.param(GaussianPrior(mean=0.0, variance=0.3**2, proper=True, scale="relative"), id="proper-rel"),
    pytest.param(
        GaussianPrior(mean=0.05, variance=0.01, proper=True, scale="relative"), id="proper-rel-shifted"
    ),
    pytest.param(GaussianPrior(mean=0.01, variance=0.5, proper=True, scale="absolute"), id="proper-abs"),
]


@pytest.mark.parametrize("inverse", [False, True])
@pytest.mark.parametrize("prior", PRIORS)
@pytest.mark.parametrize(("control", "treatment", "kind", "difference_type", "alpha"), PARAMS)
def test_effect_bayesian(
    control: SummaryStats,
    treatment: SummaryStats,
    kind: str,
    difference_type: str,
    alpha: float,
    prior: GaussianPrior,
    inverse: bool,
) -> None:
    config = EffectBayesianConfig(
        difference_type=difference_type,
        alpha=alpha,
        inverse=inverse,
        prior_type=prior.scale,
        prior_effect=GbPrior(mean=prior.mean, variance=prior.variance, proper=prior.proper),
    )
    theirs = EffectBayesianABTest(_gb_stat(control, kind), _gb_stat(treatment, kind), config).compute_result()
    assert theirs.error_message is None
    ours = bayesian_test(
        control.moments(kind),  # type: ignore[arg-type]
        treatment.moments(kind),  # type: ignore[arg-type]
        difference_type=difference_type,  # type: ignore[arg-type]
        alpha=alpha,
        prior=prior,
        inverse=inverse,
    )
    _close(ours.effect, theirs.expected)
    _close(ours.stddev, theirs.uplift.stddev)
    _close(ours.ci_low, theirs.ci[0])
    _close(ours.ci_high, theirs.ci[1])
    _close(ours.chance_to_win, theirs.chance_to_win)
    _close(ours.risk_control, theirs.risk[0])
    _close(ours.risk_treatment, theirs.risk[1])
    result = analyse(
        control,
        treatment,
        AnalysisOptions(
            engine="bayesian",
            metric_type=kind,  # type: ignore[arg-type]
            difference_type=difference_type,  # type: ignore[arg-type]
            alpha=alpha,
            prior=prior,
            inverse=inverse,
        ),
    )
    _close(result.chance_to_win, theirs.chance_to_win)
    _close(result.expected_loss_control, theirs.risk[0])
    _close(result.expected_loss_treatment, theirs.risk[1])
    _close(result.ci_low, theirs.ci[0])
    _close(result.ci_high, theirs.ci[1])


# Inputs gbstats answers with its uninformative default (an error message): we answer not_enough_data.
DEGENERATE = [
    pytest.param(SummaryStats(0, 0.0, 0.0), _binary(100, 10), "relative", id="empty-control"),
    pytest.param(_binary(100, 10), SummaryStats(0, 0.0, 0.0), "absolute", id="empty-treatment"),
    pytest.param(SummaryStats(1, 3.0, 9.0), _continuous(50, 3.0, 1.0), "absolute", id="one-unit"),
    pytest.param(_binary(300, 0), _binary(300, 5), "relative", id="zero-control-rate"),
    pytest.param(_binary(300, 7), _binary(300, 0), "absolute", id="zero-treatment-rate"),
    pytest.param(_binary(300, 300), _binary(300, 290), "absolute", id="all-converted"),
    pytest.param(_continuous(40, 0.0, 2.0), _continuous(40, 1.0, 2.0), "relative", id="zero-control-mean"),
]


@pytest.mark.parametrize("kind", ["mean", "binomial"])
@pytest.mark.parametrize(("control", "treatment", "difference_type"), DEGENERATE)
def test_degenerate_inputs_agree(
    control: SummaryStats, treatment: SummaryStats, difference_type: str, kind: str
) -> None:
    a, b = _gb_stat(control, kind), _gb_stat(treatment, kind)
    frequentist = TwoSidedTTest(a, b, FrequentistConfig(difference_type=difference_type)).compute_result()
    sequential = SequentialTwoSidedTTest(
        a, b, SequentialConfig(difference_type=difference_type)
    ).compute_result()
    bayesian = EffectBayesianABTest(
        a, b, EffectBayesianConfig(difference_type=difference_type)
    ).compute_result()
    assert frequentist.error_message and sequential.error_message and bayesian.error_message
    for engine in ("frequentist", "sequential", "bayesian"):
        options = AnalysisOptions(engine=engine, metric_type=kind, difference_type=difference_type)  # type: ignore[arg-type]
        assert analyse(control, treatment, options).status == "not_enough_data"

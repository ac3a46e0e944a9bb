"""The readout from known running sums: figures checked against scipy and the stats engine, the
recommendation rules each way, the sample-ratio check, and the summary's words."""

from __future__ import annotations

import itertools
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from scipy import stats as scipy_stats
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from core.experiments.models import Experiment, ExperimentStat
from core.experiments.report import build_analysis, summary_text
from core.experiments.schemas import ExperimentAnalysisRead
from core.experiments.stats import (
    AnalysisOptions,
    SummaryStats,
    analyse,
    benjamini_hochberg,
    holm,
    power,
    sample_size_per_variant,
    sequential_test,
)
from core.tenancy.models import Tenant

CONTROL = {"key": "control", "name": "Current greeting", "weight": 0.5, "config": {}}
WARM = {"key": "warm", "name": "Warm greeting", "weight": 0.5, "config": {"greeting": {"template": "Hi!"}}}

Analyse = Callable[..., Awaitable[tuple[Experiment, ExperimentAnalysisRead]]]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(database_url)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    await engine.dispose()


@pytest.fixture
async def tenant(db: AsyncSession) -> Tenant:
    row = Tenant(slug="acme", name="Acme", timezone="UTC", languages=["en-US"])
    db.add(row)
    await db.commit()
    return row


@pytest.fixture
def analyse_with(db: AsyncSession, tenant: Tenant) -> Analyse:
    """``analyse_with(stats={(variant, metric): (n, sum, sum_squares)}, **experiment fields)``."""
    keys = itertools.count(1)

    async def run(
        stats: dict[tuple[str, str], tuple[int, float, float]], **fields: Any
    ) -> tuple[Experiment, ExperimentAnalysisRead]:
        values: dict[str, Any] = {
            "key": f"warm-greeting-{next(keys)}",
            "name": "Warm greeting",
            "type": "greeting",
            "unit": "caller",
            "status": "running",
            "variants": [CONTROL, WARM],
            "primary_metric": "booked",
        }
        experiment = Experiment(tenant_id=tenant.id, **(values | fields))
        db.add(experiment)
        await db.flush()
        for (variant, metric), (n, total, squares) in stats.items():
            db.add(
                ExperimentStat(
                    experiment_id=experiment.id,
                    variant=variant,
                    metric=metric,
                    n=n,
                    sum=total,
                    sum_squares=squares,
                )
            )
        await db.commit()
        return experiment, await build_analysis(db, experiment)

    return run


def binary(n: int, successes: int) -> tuple[int, float, float]:
    return n, float(successes), float(successes)


def units(
    *counts: int, keys: tuple[str, ...] = ("control", "warm")
) -> dict[tuple[str, str], tuple[int, float, float]]:
    return {(key, "$units"): (n, 0.0, 0.0) for key, n in zip(keys, counts, strict=True)}


# Bookings: 12.1% for the current greeting, 18.2% for the warm one, 1000 callers each.
SHIP = units(1000, 1000) | {("control", "booked"): binary(1000, 121), ("warm", "booked"): binary(1000, 182)}


async def test_continuous_p_value_and_interval_are_welchs(analyse_with: Analyse) -> None:
    control, treatment = (400, 48_000.0, 6_400_000.0), (380, 44_000.0, 5_500_000.0)
    _experiment, analysis = await analyse_with(
        units(400, 380) | {("control", "duration_s"): control, ("warm", "duration_s"): treatment},
        primary_metric="duration_s",
    )
    c, t = SummaryStats(*control), SummaryStats(*treatment)
    comparison = analysis.metrics[0].comparisons[0]
    welch = scipy_stats.ttest_ind_from_stats(t.mean, t.stddev, t.n, c.mean, c.stddev, c.n, equal_var=False)
    assert comparison.p_value == pytest.approx(welch.pvalue, abs=1e-9)
    a, b = c.variance / c.n, t.variance / t.n
    dof = (a + b) ** 2 / (a * a / (c.n - 1) + b * b / (t.n - 1))
    half = scipy_stats.t.ppf(0.975, dof) * math.sqrt(a + b)
    assert comparison.absolute_effect == pytest.approx(t.mean - c.mean, abs=1e-12)
    assert comparison.ci_low == pytest.approx(t.mean - c.mean - half, abs=1e-9)
    assert comparison.ci_high == pytest.approx(t.mean - c.mean + half, abs=1e-9)
    assert comparison.relative_effect == pytest.approx((t.mean - c.mean) / c.mean, abs=1e-12)
    # duration_s is inverse: a shorter call "wins"
    assert analysis.metrics[0].inverse is True
    assert comparison.chance_to_win == pytest.approx(
        scipy_stats.norm.cdf(-(t.mean - c.mean) / math.sqrt(a + b))
    )
    assert (comparison.n, comparison.mean, comparison.stddev) == (t.n, t.mean, pytest.approx(t.stddev))
    assert [(v.variant, v.n, v.mean) for v in analysis.metrics[0].variants] == [
        ("control", 400, 120.0),
        ("warm", 380, t.mean),
    ]


async def test_binary_figures_match_the_stats_engine(analyse_with: Analyse) -> None:
    _experiment, analysis = await analyse_with(SHIP)
    comparison = analysis.metrics[0].comparisons[0]
    c, t = SummaryStats(*SHIP[("control", "booked")]), SummaryStats(*SHIP[("warm", "booked")])
    absolute = analyse(c, t, AnalysisOptions(difference_type="absolute", metric_type="binomial"))
    relative = analyse(c, t, AnalysisOptions(difference_type="relative", metric_type="binomial"))
    bayesian = analyse(
        c, t, AnalysisOptions(engine="bayesian", difference_type="absolute", metric_type="binomial")
    )
    assert comparison.p_value == absolute.p_value
    assert (comparison.ci_low, comparison.ci_high) == (absolute.ci_low, absolute.ci_high)
    assert (comparison.relative_ci_low, comparison.relative_ci_high) == (relative.ci_low, relative.ci_high)
    assert comparison.chance_to_win == bayesian.chance_to_win
    assert comparison.expected_loss == bayesian.expected_loss_treatment
    # by hand: a two-proportion z-test with unpooled variances
    se = math.sqrt(0.121 * 0.879 / 1000 + 0.182 * 0.818 / 1000)
    assert comparison.chance_to_win == pytest.approx(scipy_stats.norm.cdf(0.061 / se), abs=1e-12)
    assert comparison.stddev == pytest.approx(math.sqrt(0.182 * 0.818))
    assert analysis.required_sample_size == sample_size_per_variant(
        0.121, 0.1, baseline_variance=0.121 * 0.879, metric_type="binomial"
    )
    assert analysis.min_detectable_effect == 0.1


async def test_a_significant_winner_is_shipped(analyse_with: Analyse) -> None:
    experiment, analysis = await analyse_with(SHIP)
    comparison = analysis.metrics[0].comparisons[0]
    assert comparison.significant and comparison.chance_to_win > 0.95
    assert analysis.recommendation == "ship:warm"
    assert analysis.confidence == comparison.chance_to_win
    assert analysis.srm_flagged is False
    assert analysis.srm_p_value == 1.0
    assert analysis.warnings == [
        f"fewer units than planned (1000 of {analysis.required_sample_size} per variant): a fixed-horizon "
        "result read early overstates its certainty; consider sequential analysis"
    ]
    text = summary_text(experiment, analysis)
    assert text.startswith(
        "The Warm greeting variant booked 18.2% of callers against 12.1% for Current greeting "
        "(+50%, 95% interval +"
    )
    assert text.endswith("We're more than 99% confident it's better: switch to it.")


async def test_control_significantly_better_stops_with_no_effect(analyse_with: Analyse) -> None:
    stats = units(1000, 1000) | {
        ("control", "booked"): binary(1000, 182),
        ("warm", "booked"): binary(1000, 121),
    }
    experiment, analysis = await analyse_with(stats)
    comparison = analysis.metrics[0].comparisons[0]
    assert comparison.significant and comparison.absolute_effect < 0
    assert analysis.recommendation == "stop_no_effect"
    assert analysis.confidence == pytest.approx(1 - comparison.chance_to_win)
    assert analysis.confidence > 0.99
    text = summary_text(experiment, analysis)
    assert text.startswith("Current greeting did better: Warm greeting booked 12.1% of callers against 18.2%")
    assert "Keep Current greeting. You can stop the experiment." in text


async def test_no_difference_at_the_planned_size_stops_with_the_power_reached(analyse_with: Analyse) -> None:
    n = 20_000
    stats = units(n, n) | {("control", "booked"): binary(n, 2400), ("warm", "booked"): binary(n, 2420)}
    experiment, analysis = await analyse_with(stats)
    required = sample_size_per_variant(0.12, 0.1, baseline_variance=0.12 * 0.88, metric_type="binomial")
    assert analysis.required_sample_size == required < n
    assert analysis.metrics[0].comparisons[0].significant is False
    assert analysis.recommendation == "stop_no_effect"
    assert analysis.confidence == pytest.approx(min(power(n, 0.12, 0.1, metric_type="binomial"), 0.99))
    text = summary_text(experiment, analysis)
    assert text.startswith("After 20,000 callers per variant, no variant made a clear difference:")


async def test_too_little_data_keeps_running_with_progress(analyse_with: Analyse) -> None:
    stats = units(300, 300) | {("control", "booked"): binary(300, 36), ("warm", "booked"): binary(300, 42)}
    experiment, analysis = await analyse_with(stats)
    required = sample_size_per_variant(0.12, 0.1, baseline_variance=0.12 * 0.88, metric_type="binomial")
    assert analysis.recommendation == "keep_running"
    assert analysis.confidence == pytest.approx(300 / required)
    text = summary_text(experiment, analysis)
    assert text.startswith(f"Not enough data yet (300 of about {required:,} callers per variant so far).")
    assert "Warm greeting booked 14.0% of callers against 12.0% for Current greeting (+17%" in text
    assert text.endswith("which could still be chance. Keep it running.")


async def test_a_sample_ratio_mismatch_holds_back_any_winner(analyse_with: Analyse) -> None:
    stats = units(600, 400) | {("control", "booked"): binary(600, 73), ("warm", "booked"): binary(400, 73)}
    experiment, analysis = await analyse_with(stats)
    expected = scipy_stats.chisquare([600, 400], [500, 500]).pvalue
    assert analysis.srm_p_value == pytest.approx(expected, rel=1e-12)
    assert analysis.srm_flagged is True
    assert analysis.metrics[0].comparisons[0].significant is True  # would ship, were the split right
    assert (analysis.recommendation, analysis.confidence) == ("keep_running", 0.0)
    assert analysis.warnings[0].startswith("sample ratio mismatch: units split control 60.0%, warm 40.0%")
    assert [(v.key, v.units) for v in analysis.variants] == [("control", 600), ("warm", 400)]
    assert summary_text(experiment, analysis).startswith(
        "Warning: callers are not being split between the variants as set up"
    )


async def test_no_data_is_a_well_formed_readout(analyse_with: Analyse) -> None:
    experiment, analysis = await analyse_with({}, secondary_metrics=["duration_s", "sentiment"])
    assert [m.metric for m in analysis.metrics] == ["booked", "duration_s", "sentiment"]
    for metric in analysis.metrics:
        assert [(v.n, v.mean, v.stddev) for v in metric.variants] == [(0, None, None), (0, None, None)]
        [comparison] = metric.comparisons
        assert comparison.reason == "no_units"
        assert (comparison.absolute_effect, comparison.p_value, comparison.chance_to_win) == (
            None,
            None,
            None,
        )
        assert comparison.significant is False
    assert (analysis.srm_p_value, analysis.srm_flagged, analysis.required_sample_size) == (None, False, None)
    assert (analysis.recommendation, analysis.confidence) == ("keep_running", 0.0)
    assert summary_text(experiment, analysis) == (
        "Not enough data yet: 0 callers in the experiment and too few results to compare. Keep it running."
    )


async def test_degenerate_data_gives_nulls_not_errors(analyse_with: Analyse) -> None:
    # Nobody booked anywhere: zero variance, zero control mean.
    stats = units(50, 50) | {("control", "booked"): binary(50, 0), ("warm", "booked"): binary(50, 0)}
    _experiment, analysis = await analyse_with(stats, variants=[CONTROL | {"weight": 1.0}], status="draft")
    assert analysis.metrics[0].comparisons == []
    assert analysis.srm_p_value is None
    _experiment, analysis = await analyse_with(stats)
    comparison = analysis.metrics[0].comparisons[0]
    assert comparison.reason == "zero_variance"
    assert (comparison.p_value, comparison.ci_low, comparison.relative_effect) == (None, None, None)
    assert comparison.absolute_effect == 0.0
    assert analysis.required_sample_size is None
    assert analysis.recommendation == "keep_running"


async def test_corrections_cover_treatments_and_secondary_metrics(analyse_with: Analyse) -> None:
    hot = {"key": "hot", "name": "Hot", "weight": 1 / 3, "config": {}}
    variants = [CONTROL | {"weight": 1 / 3}, WARM | {"weight": 1 / 3}, hot]
    stats = units(1000, 1000, 1000, keys=("control", "warm", "hot")) | {
        ("control", "booked"): binary(1000, 121),
        ("warm", "booked"): binary(1000, 150),
        ("hot", "booked"): binary(1000, 160),
        ("control", "turns"): (1000, 5000.0, 29_000.0),
        ("warm", "turns"): (1000, 5100.0, 30_500.0),
        ("hot", "turns"): (1000, 5300.0, 32_000.0),
        ("control", "transferred"): binary(1000, 100),
        ("warm", "transferred"): binary(1000, 120),
        ("hot", "transferred"): binary(1000, 90),
    }
    _experiment, analysis = await analyse_with(
        stats, variants=variants, secondary_metrics=["turns", "transferred"], correction="bh"
    )
    primary = analysis.metrics[0].comparisons
    assert [c.p_value_adjusted for c in primary] == benjamini_hochberg([c.p_value for c in primary])
    secondary = [c for m in analysis.metrics[1:] for c in m.comparisons]
    assert len(secondary) == 4
    expected = scipy_stats.false_discovery_control([c.p_value for c in secondary])
    assert [c.p_value_adjusted for c in secondary] == pytest.approx(list(expected), abs=1e-12)
    assert all(c.significant == (c.p_value_adjusted < 0.05) for m in analysis.metrics for c in m.comparisons)

    _experiment, holm_analysis = await analyse_with(stats, variants=variants, correction="holm")
    primary = holm_analysis.metrics[0].comparisons
    assert [c.p_value_adjusted for c in primary] == holm([c.p_value for c in primary])


async def test_sequential_experiments_use_always_valid_p_values(analyse_with: Analyse) -> None:
    _experiment, analysis = await analyse_with(SHIP, sequential=True)
    assert analysis.engine == "sequential"
    c, t = SummaryStats(*SHIP[("control", "booked")]), SummaryStats(*SHIP[("warm", "booked")])
    expected = sequential_test(c.moments("binomial"), t.moments("binomial"), difference_type="absolute")
    comparison = analysis.metrics[0].comparisons[0]
    assert comparison.p_value == expected.p_value
    assert (comparison.ci_low, comparison.ci_high) == (expected.ci_low, expected.ci_high)
    assert analysis.warnings == []  # reading a sequential test early is what it is for

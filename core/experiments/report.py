"""An experiment's readout from its running sums: figures per metric, a recommendation, and a summary.

Only the ``experiment_stats`` rows are read (three numbers per variant and metric, and the assigned
units per variant), so an analysis costs the same at ten results as at ten million.

Each treatment is compared with the control (the first variant) three ways, all from the same sums:
a Welch t-test of the absolute difference (sequential, always-valid, when the experiment says so) for
the p-value, its interval and significance; the same test on the relative difference for the lift's
interval; and the gaussian Bayesian model for the chance to win and the expected loss. P-values are
corrected in two families: the primary metric across treatments, every other metric together across
metrics and treatments. The rules turning figures into a recommendation are in docs/experiments.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.experiments.metrics import MetricDefinition, definition, experiment_metrics
from core.experiments.models import Experiment, ExperimentStat
from core.experiments.schemas import (
    ComparisonRead,
    ExperimentAnalysisRead,
    MetricAnalysisRead,
    VariantStatsRead,
    VariantUnits,
)
from core.experiments.stats import (
    AnalysisOptions,
    ComparisonResult,
    Engine,
    MetricType,
    SummaryStats,
    adjust,
    analyse_experiment,
    power,
    sample_size_per_variant,
    srm_check,
)
from core.experiments.units import UNITS, variant_weights

DEFAULT_MDE = 0.1  # relative: plan to detect a 10% lift when the experiment names no effect size
SHIP_CHANCE = 0.95  # a significant winner must also beat the control with this probability
MAX_PROGRESS = 0.99  # "keep running" is never fully confident
CORRECTIONS = {"holm": "holm", "bh": "benjamini-hochberg", "none": "none"}


async def build_analysis(db: AsyncSession, experiment: Experiment) -> ExperimentAnalysisRead:
    """Every metric's figures, the sample-ratio check, the planned sample size and the recommendation."""
    rows = await db.scalars(select(ExperimentStat).where(ExperimentStat.experiment_id == experiment.id))
    sums = {(row.variant, row.metric): SummaryStats(row.n, row.sum, row.sum_squares) for row in rows}
    keys = [variant["key"] for variant in experiment.variants]
    weights = variant_weights(experiment)
    units = [sums.get((key, UNITS), SummaryStats(0, 0.0, 0.0)).n for key in keys]
    engine: Engine = "sequential" if experiment.sequential else "frequentist"
    mde = experiment.min_detectable_effect or DEFAULT_MDE

    metrics = []
    for name in experiment_metrics(experiment):
        metric = definition(name, experiment.metrics) or MetricDefinition()
        stats = [sums.get((key, name), SummaryStats(0, 0.0, 0.0)) for key in keys]
        metrics.append(_metric_analysis(experiment, name, metric, stats, engine))
    _correct(metrics, experiment.alpha, CORRECTIONS.get(experiment.correction, "holm"))

    srm = srm_check(units, weights) if sum(units) > 0 and len(keys) > 1 and sum(weights) > 0 else None
    srm_flagged = srm is not None and srm.mismatch
    primary = metrics[0]
    primary_type = _metric_type(primary.type)
    control = sums.get((keys[0], experiment.primary_metric), SummaryStats(0, 0.0, 0.0))
    required = _required_sample_size(control, mde, primary_type, experiment.alpha, experiment.power)
    smallest = min(v.n for v in primary.variants)
    reached = _power_reached(control, mde, primary_type, experiment.alpha, smallest)
    recommendation, confidence = _recommend(primary, srm_flagged, required, smallest, reached)

    warnings = []
    if srm_flagged:
        shares = ", ".join(f"{key} {n / sum(units):.1%}" for key, n in zip(keys, units, strict=True))
        warnings.append(
            f"sample ratio mismatch: units split {shares} against weights "
            f"{', '.join(f'{w:g}' for w in weights)}; check assignment before trusting any result"
        )
    if recommendation.startswith("ship:") and not experiment.sequential and required and smallest < required:
        warnings.append(
            f"fewer units than planned ({smallest} of {required} per variant): a fixed-horizon result "
            "read early overstates its certainty; consider sequential analysis"
        )
    return ExperimentAnalysisRead(
        experiment=experiment.id,
        key=experiment.key,
        status=experiment.status,
        engine=engine,
        correction=experiment.correction,
        alpha=experiment.alpha,
        control=keys[0],
        variants=[
            VariantUnits(key=v["key"], name=v["name"], weight=float(v["weight"]), units=n)
            for v, n in zip(experiment.variants, units, strict=True)
        ],
        srm_p_value=srm.p_value if srm is not None else None,
        srm_flagged=srm_flagged,
        min_detectable_effect=mde,
        required_sample_size=required,
        recommendation=recommendation,
        confidence=confidence,
        warnings=warnings,
        metrics=metrics,
    )


def _metric_type(kind: str) -> MetricType:
    """Binary metrics take GrowthBook's proportion variance, p(1 - p); the others the sample variance."""
    return "binomial" if kind == "binary" else "mean"


def _metric_analysis(
    experiment: Experiment, name: str, metric: MetricDefinition, stats: list[SummaryStats], engine: Engine
) -> MetricAnalysisRead:
    keys = [variant["key"] for variant in experiment.variants]
    metric_type = _metric_type(metric.type)
    common = {"metric_type": metric_type, "alpha": experiment.alpha, "inverse": metric.inverse}
    variants = [_variant_stats(key, s, metric_type) for key, s in zip(keys, stats, strict=True)]
    comparisons: list[ComparisonRead] = []
    if len(stats) > 1:
        tested = analyse_experiment(
            stats, AnalysisOptions(engine=engine, difference_type="absolute", **common)
        ).comparisons
        lifts = analyse_experiment(
            stats, AnalysisOptions(engine=engine, difference_type="relative", **common)
        ).comparisons
        bayes = analyse_experiment(
            stats, AnalysisOptions(engine="bayesian", difference_type="absolute", **common)
        ).comparisons
        for test, lift, bayesian in zip(tested, lifts, bayes, strict=True):
            comparisons.append(_comparison(variants[0], variants[test.variant_index], test, lift, bayesian))
    return MetricAnalysisRead(
        metric=name,
        type=metric.type,
        inverse=metric.inverse,
        primary=name == experiment.primary_metric,
        variants=variants,
        comparisons=comparisons,
    )


def _variant_stats(key: str, stats: SummaryStats, metric_type: MetricType) -> VariantStatsRead:
    if stats.n == 0:
        return VariantStatsRead(variant=key, n=0, mean=None, stddev=None)
    moments = stats.moments(metric_type)
    return VariantStatsRead(variant=key, n=stats.n, mean=moments.mean, stddev=math.sqrt(moments.variance))


def _comparison(
    control: VariantStatsRead,
    treatment: VariantStatsRead,
    test: ComparisonResult,
    lift: ComparisonResult,
    bayesian: ComparisonResult,
) -> ComparisonRead:
    both = control.n > 0 and treatment.n > 0
    return ComparisonRead(
        variant=treatment.variant,
        n=treatment.n,
        mean=treatment.mean,
        stddev=treatment.stddev,
        absolute_effect=test.absolute_effect if both else None,
        relative_effect=test.relative_effect if both else None,
        ci_low=test.ci_low,
        ci_high=test.ci_high,
        relative_ci_low=lift.ci_low,
        relative_ci_high=lift.ci_high,
        p_value=test.p_value,
        p_value_adjusted=test.p_value,
        significant=test.significant,
        chance_to_win=bayesian.chance_to_win,
        expected_loss=bayesian.expected_loss_treatment,
        reason=test.reason,
    )


def _correct(metrics: list[MetricAnalysisRead], alpha: float, correction: str) -> None:
    """Adjust p-values in two families (the primary metric; all the others) and decide significance."""
    families = [metrics[:1], metrics[1:]]
    for family in families:
        tested = [c for m in family for c in m.comparisons if c.p_value is not None]
        if not tested:
            continue
        adjusted = adjust([c.p_value for c in tested], correction)  # type: ignore[misc]
        for comparison, p in zip(tested, adjusted, strict=True):
            comparison.p_value_adjusted = p
            comparison.significant = p < alpha


def _required_sample_size(
    control: SummaryStats, mde: float, metric_type: MetricType, alpha: float, target_power: float
) -> int | None:
    """Units per variant to detect ``mde`` (relative) on the control's mean, None before it has data."""
    if control.n < 2:
        return None
    moments = control.moments(metric_type)
    try:
        return sample_size_per_variant(
            moments.mean,
            mde,
            baseline_variance=moments.variance,
            metric_type=metric_type,
            alpha=alpha,
            target_power=target_power,
        )
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def _power_reached(control: SummaryStats, mde: float, metric_type: MetricType, alpha: float, n: int) -> float:
    """The chance the test had of detecting ``mde`` with ``n`` units per variant, just under 1 at most."""
    if control.n < 2 or n < 1:
        return 0.0
    moments = control.moments(metric_type)
    try:
        reached = power(
            n, moments.mean, mde, baseline_variance=moments.variance, metric_type=metric_type, alpha=alpha
        )
    except (ValueError, ZeroDivisionError, OverflowError):
        return 0.0
    return min(reached, MAX_PROGRESS) if math.isfinite(reached) else 0.0


def better(comparison: ComparisonRead, inverse: bool) -> bool:
    """Significantly better than the control (lower, for an inverse metric)."""
    effect = comparison.absolute_effect
    return comparison.significant and effect is not None and (effect < 0 if inverse else effect > 0)


def worse(comparison: ComparisonRead, inverse: bool) -> bool:
    effect = comparison.absolute_effect
    return comparison.significant and effect is not None and (effect > 0 if inverse else effect < 0)


def _control_better(primary: MetricAnalysisRead) -> bool:
    return bool(primary.comparisons) and all(worse(c, primary.inverse) for c in primary.comparisons)


def _recommend(
    primary: MetricAnalysisRead, srm_flagged: bool, required: int | None, smallest: int, power_reached: float
) -> tuple[str, float]:
    """(recommendation, confidence) by the rules of docs/experiments.md, in their order."""
    if srm_flagged:
        return "keep_running", 0.0
    winners = [
        c
        for c in primary.comparisons
        if better(c, primary.inverse) and c.chance_to_win is not None and c.chance_to_win >= SHIP_CHANCE
    ]
    if winners:
        best = max(winners, key=lambda c: (c.chance_to_win, abs(c.absolute_effect or 0.0)))
        return f"ship:{best.variant}", float(best.chance_to_win)  # type: ignore[arg-type]
    if _control_better(primary):
        chances = [c.chance_to_win or 0.0 for c in primary.comparisons]
        return "stop_no_effect", 1.0 - max(chances)
    none_better = not any(better(c, primary.inverse) for c in primary.comparisons)
    if primary.comparisons and required is not None and smallest >= required and none_better:
        return "stop_no_effect", power_reached
    if required is None or required <= 0:
        return "keep_running", 0.0
    return "keep_running", min(smallest / required, MAX_PROGRESS)


def best_comparison(comparisons: Sequence[ComparisonRead]) -> ComparisonRead | None:
    """The treatment likeliest to beat the control (the first with data when none can be judged)."""
    judged = [c for c in comparisons if c.chance_to_win is not None]
    if judged:
        return max(judged, key=lambda c: c.chance_to_win or 0.0)
    with_data = [c for c in comparisons if c.absolute_effect is not None]
    return with_data[0] if with_data else None


# How the summary speaks of a metric: a phrase around one variant's value, and the value's format.
_PHRASES = {
    "booked": "booked {value} of {units}",
    "message_taken": "took a message from {value} of {units}",
    "transferred": "put {value} of {units} through to a person",
    "spam_blocked": "blocked {value} of {units} as spam",
    "duration_s": "averaged {value} seconds per {unit}",
    "sentiment": "averaged a caller mood of {value} (-1 to 1)",
    "turns": "averaged {value} caller turns per {unit}",
}


def _value(metric: MetricAnalysisRead, value: float) -> str:
    if metric.type == "binary":
        return f"{value:.1%}"
    return f"{value:,.0f}" if metric.metric == "duration_s" else f"{value:,.3g}"


def _phrase(metric: MetricAnalysisRead, value: float, unit: str) -> str:
    default = (
        "had {metric} for {value} of {units}" if metric.type == "binary" else "averaged {value} {metric}"
    )
    template = _PHRASES.get(metric.metric, default)
    return template.format(value=_value(metric, value), metric=metric.metric, unit=unit, units=unit + "s")


def _percent(chance: float) -> str:
    return "more than 99%" if chance > MAX_PROGRESS else f"{chance:.0%}"


def _effect(metric: MetricAnalysisRead, comparison: ComparisonRead, alpha: float) -> str:
    level = f"{1 - alpha:.0%} interval"
    low, high = comparison.relative_ci_low, comparison.relative_ci_high
    if comparison.relative_effect is not None and low is not None and high is not None:
        return f"{comparison.relative_effect:+.0%}, {level} {low:+.0%} to {high:+.0%}"
    if comparison.relative_effect is not None:
        return f"{comparison.relative_effect:+.0%}"
    points = 100 if metric.type == "binary" else 1
    suffix = " points" if metric.type == "binary" else ""
    return f"{(comparison.absolute_effect or 0.0) * points:+.3g}{suffix}"


def summary_text(experiment: Experiment, analysis: ExperimentAnalysisRead) -> str:
    """The analysis in words a business owner can act on, with the tenant's own variant names."""
    names = {v["key"]: v["name"] for v in experiment.variants}
    unit = experiment.unit
    primary = analysis.metrics[0]
    control_name = names[analysis.control]
    control = primary.variants[0]
    best = best_comparison(primary.comparisons)
    recommendation = analysis.recommendation
    if best is None or best.mean is None or control.mean is None:
        counted = sum(v.units for v in analysis.variants)
        text = f"Not enough data yet: {counted:,} {unit}s in the experiment and too few results to compare."
        return f"{text} {_advice(experiment, 'Keep it running.')}"
    name = names[best.variant]
    versus = f"{_phrase(primary, best.mean, unit)} against {_value(primary, control.mean)} for {control_name}"
    effect = _effect(primary, best, analysis.alpha)
    if analysis.srm_flagged:
        return (
            f"Warning: {unit}s are not being split between the variants as set up, so these results "
            f"can't be trusted yet ({name} {versus}). Check how {unit}s are assigned before deciding."
        )
    if recommendation.startswith("ship:"):
        winner = primary.comparisons[[c.variant for c in primary.comparisons].index(recommendation[5:])]
        name = names[winner.variant]
        versus = f"{_phrase(primary, winner.mean or 0.0, unit)} against {_value(primary, control.mean)}"
        return (
            f"The {name} variant {versus} for {control_name} ({_effect(primary, winner, analysis.alpha)}). "
            f"We're {_percent(analysis.confidence)} confident it's better: switch to it."
        )
    if recommendation == "stop_no_effect" and _control_better(primary):
        return (
            f"{control_name} did better: {name} {versus} ({effect}). "
            f"Keep {control_name}. {_advice(experiment, 'You can stop the experiment.')}"
        )
    if recommendation == "stop_no_effect":
        return (
            f"After {min(v.n for v in primary.variants):,} {unit}s per variant, no variant made a clear "
            f"difference: {name} {versus} ({effect}). Keep {control_name}. "
            f"{_advice(experiment, 'You can stop the experiment.')}"
        )
    required = analysis.required_sample_size
    so_far = min(v.n for v in primary.variants)
    progress = (
        f"{so_far:,} of about {required:,} {unit}s per variant so far"
        if required
        else f"{so_far:,} {unit}s per variant so far"
    )
    return (
        f"Not enough data yet ({progress}). So far {name} {versus} ({effect}), "
        f"which could still be chance. {_advice(experiment, 'Keep it running.')}"
    )


def _advice(experiment: Experiment, running: str) -> str:
    """What to do next: ``running`` while it runs, else what its stage calls for."""
    if experiment.status == "draft":
        return "Start the experiment to collect data."
    if experiment.status == "running":
        return running
    chosen = next((v["name"] for v in experiment.variants if v["key"] == experiment.winner), None)
    return f"The experiment has ended; {chosen} was chosen." if chosen else "The experiment has ended."

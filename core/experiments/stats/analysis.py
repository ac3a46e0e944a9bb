"""One call from summary statistics to a readout: :func:`analyse` (one treatment) and
:func:`analyse_experiment` (every treatment against the control, with SRM and multiple-comparison checks).

Made for an HTTP layer: options and results are msgspec Structs, so they decode from and encode to JSON
as they are, and the functions never raise on *data*. A comparison the data can't support (an empty or
one-unit arm, zero variance, a zero control mean under a relative effect, non-finite sums) comes back
with ``status="not_enough_data"``, a machine-readable ``reason``, ``significant=False`` and ``None`` for
every inferential figure — never NaN or infinity. Invalid *options* (alpha outside (0, 1), ...) do raise
ValueError at construction, which msgspec reports as a validation error when decoding a request.

Which figures an engine fills:

* ``frequentist`` (fixed horizon, Welch t-test) and ``sequential`` (always valid): ``p_value``, a
  confidence interval, ``significant = p < alpha``; ``chance_to_win`` and the expected losses are None.
* ``bayesian`` (gaussian effect model): ``chance_to_win``, ``expected_loss_control`` /
  ``expected_loss_treatment`` (risk, in the effect's units), a credible interval, and
  ``significant`` when the ``1 - alpha`` credible interval excludes 0; ``p_value`` is None.

``absolute_effect`` and ``relative_effect`` are always the observed ones (difference of means and lift),
whatever the engine; ``effect``, ``ci_low`` and ``ci_high`` are on the chosen ``difference_type`` (for the
Bayesian engine with a proper prior, ``effect`` is the shrunk posterior mean).

Power figures describe the fixed-horizon design from the control arm's mean and variance: the relative
lift detectable at the current size, and — given ``target_relative_mde`` — the units needed and the power
reached so far. See :mod:`.power` for the formulas.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

import msgspec

from core.experiments.stats import power as power_calc
from core.experiments.stats.bayesian import GaussianPrior, bayesian_test
from core.experiments.stats.corrections import Correction, adjust
from core.experiments.stats.effect import DifferenceType, NotEnoughData, NotEnoughDataReason
from core.experiments.stats.frequentist import Alternative, t_test
from core.experiments.stats.sequential import DEFAULT_TUNING, sequential_test
from core.experiments.stats.srm import SRM_THRESHOLD, SrmResult, srm_check
from core.experiments.stats.summary import MetricType, Moments, SummaryStats

__all__ = [
    "AnalysisOptions",
    "ComparisonResult",
    "Engine",
    "ExperimentAnalysis",
    "PowerFigures",
    "VariantSummary",
    "analyse",
    "analyse_experiment",
]

Engine = Literal["frequentist", "sequential", "bayesian"]
Status = Literal["ok", "not_enough_data"]


class AnalysisOptions(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How to analyse one metric. Defaults: fixed-horizon two-sided Welch test on the relative lift."""

    engine: Engine = "frequentist"
    difference_type: DifferenceType = "relative"
    metric_type: MetricType = "mean"
    alpha: float = 0.05
    alternative: Alternative = "two-sided"  # frequentist engine only
    sequential_tuning: float = DEFAULT_TUNING  # total units the sequential interval is tuned for
    inverse: bool = False  # lower is better (e.g. call abandonment): flips chance to win and risks
    prior: GaussianPrior = msgspec.field(default_factory=GaussianPrior)  # bayesian engine; flat unless proper
    target_power: float = 0.8
    target_relative_mde: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ValueError("alpha must be in (0, 1)")
        if not 0.0 < self.target_power < 1.0:
            raise ValueError("target_power must be in (0, 1)")
        if not (self.sequential_tuning > 0.0 and math.isfinite(self.sequential_tuning)):
            raise ValueError("sequential_tuning must be positive")
        if self.alternative != "two-sided" and self.engine != "frequentist":
            raise ValueError("one-sided alternatives are only available with the frequentist engine")
        mde = self.target_relative_mde
        if mde is not None and (mde == 0.0 or not math.isfinite(mde)):
            raise ValueError("target_relative_mde must be finite and non-zero")


class VariantSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Descriptive figures of one arm."""

    n: int
    mean: float
    stddev: float


class PowerFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Fixed-horizon power figures, from the control arm; None where the inputs can't support them."""

    target_power: float
    n_per_variant: int  # the smaller arm: what the comparison's precision is limited by
    detectable_relative_mde: float | None
    target_relative_mde: float | None = None
    required_n_per_variant: int | None = None
    power_at_current_n: float | None = None


class ComparisonResult(msgspec.Struct, frozen=True, kw_only=True):
    """One treatment against the control for one metric."""

    status: Status
    reason: NotEnoughDataReason | None
    engine: Engine
    difference_type: DifferenceType
    alpha: float
    variant_index: int
    control: VariantSummary
    treatment: VariantSummary
    absolute_effect: float
    relative_effect: float | None
    effect: float | None
    stderr: float | None
    dof: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_value_adjusted: float | None
    significant: bool
    chance_to_win: float | None
    expected_loss_control: float | None
    expected_loss_treatment: float | None
    power: PowerFigures


class ExperimentAnalysis(msgspec.Struct, frozen=True, kw_only=True):
    """Every treatment against the control, the p-value correction applied, and the SRM check."""

    control_index: int
    correction: Correction
    comparisons: list[ComparisonResult]
    srm: SrmResult | None


def _finite_or(value: float, fallback: float) -> float:
    return value if math.isfinite(value) else fallback


def _summary(stats: SummaryStats, moments: Moments) -> VariantSummary:
    return VariantSummary(
        n=stats.n,
        mean=_finite_or(moments.mean, 0.0),
        stddev=_finite_or(math.sqrt(moments.variance), 0.0) if moments.variance >= 0.0 else 0.0,
    )


_N = TypeVar("_N", int, float)


def _attempt(compute: Callable[[], _N | None]) -> _N | None:
    """The figure, or None when the inputs can't support it (e.g. a zero or out-of-range baseline)."""
    try:
        value = compute()
    except (ValueError, ZeroDivisionError, OverflowError, RuntimeError):
        return None
    return value if value is None or math.isfinite(value) else None


def _power_figures(control: Moments, n_per_variant: int, options: AnalysisOptions) -> PowerFigures:
    common = {
        "baseline_variance": control.variance,
        "metric_type": options.metric_type,
        "alpha": options.alpha,
    }

    mde = _attempt(
        lambda: power_calc.minimum_detectable_effect(
            n_per_variant, control.mean, target_power=options.target_power, **common
        )
    )
    target = options.target_relative_mde
    required = achieved = None
    if target is not None:
        required = _attempt(
            lambda: power_calc.sample_size_per_variant(
                control.mean, target, target_power=options.target_power, **common
            )
        )
        achieved = _attempt(lambda: power_calc.power(n_per_variant, control.mean, target, **common))
    return PowerFigures(
        target_power=options.target_power,
        n_per_variant=n_per_variant,
        detectable_relative_mde=mde,
        target_relative_mde=target,
        required_n_per_variant=required,
        power_at_current_n=achieved,
    )


def analyse(
    control: SummaryStats,
    treatment: SummaryStats,
    options: AnalysisOptions | None = None,
    *,
    variant_index: int = 1,
) -> ComparisonResult:
    """Compare ``treatment`` with ``control`` on one metric; never raises on degenerate data."""
    options = options or AnalysisOptions()
    c = control.moments(options.metric_type)
    t = treatment.moments(options.metric_type)
    absolute = t.mean - c.mean
    finite_means = math.isfinite(absolute)
    relative = absolute / c.mean if finite_means and c.mean != 0.0 else None
    if relative is not None and not math.isfinite(relative):
        relative = None
    base = {
        "engine": options.engine,
        "difference_type": options.difference_type,
        "alpha": options.alpha,
        "variant_index": variant_index,
        "control": _summary(control, c),
        "treatment": _summary(treatment, t),
        "absolute_effect": absolute if finite_means else 0.0,
        "relative_effect": relative,
        "power": _power_figures(c, min(control.n, treatment.n), options),
    }
    empty = {
        "effect": None,
        "stderr": None,
        "dof": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "p_value_adjusted": None,
        "significant": False,
        "chance_to_win": None,
        "expected_loss_control": None,
        "expected_loss_treatment": None,
    }
    try:
        figures = _inference(c, t, options)
    except NotEnoughData as exc:
        return ComparisonResult(status="not_enough_data", reason=exc.reason, **base, **empty)
    if not all(v is None or isinstance(v, bool) or math.isfinite(v) for v in figures.values()):
        return ComparisonResult(status="not_enough_data", reason="non_finite_input", **base, **empty)
    return ComparisonResult(status="ok", reason=None, **base, **{**empty, **figures})


def _inference(c: Moments, t: Moments, options: AnalysisOptions) -> dict[str, float | bool | None]:
    kind = options.difference_type
    if options.engine == "bayesian":
        b = bayesian_test(
            c, t, difference_type=kind, alpha=options.alpha, prior=options.prior, inverse=options.inverse
        )
        return {
            "effect": b.effect,
            "stderr": b.stddev,
            "ci_low": b.ci_low,
            "ci_high": b.ci_high,
            "significant": b.ci_low > 0.0 or b.ci_high < 0.0,
            "chance_to_win": b.chance_to_win,
            "expected_loss_control": b.risk_control,
            "expected_loss_treatment": b.risk_treatment,
        }
    if options.engine == "sequential":
        r = sequential_test(c, t, difference_type=kind, alpha=options.alpha, tuning=options.sequential_tuning)
    else:
        r = t_test(c, t, difference_type=kind, alpha=options.alpha, alternative=options.alternative)
    return {
        "effect": r.effect,
        "stderr": r.stderr,
        "dof": r.dof,
        "ci_low": r.ci_low,
        "ci_high": r.ci_high,
        "p_value": r.p_value,
        "p_value_adjusted": r.p_value,
        "significant": r.p_value < options.alpha,
    }


def analyse_experiment(
    variants: Sequence[SummaryStats],
    options: AnalysisOptions | None = None,
    *,
    control_index: int = 0,
    correction: Correction = "none",
    expected_weights: Sequence[float] | None = None,
    srm_threshold: float = SRM_THRESHOLD,
) -> ExperimentAnalysis:
    """Every variant but ``control_index`` against it, in variant order.

    ``correction`` adjusts the p-values across the treatments (frequentist engines; ``significant`` then
    follows the adjusted p-value). ``expected_weights``, when given, runs the SRM check on the variants'
    unit counts ``n`` — pass a metric whose ``n`` is the number of assigned units.
    """
    options = options or AnalysisOptions()
    if not 0 <= control_index < len(variants):
        raise ValueError("control_index out of range")
    control = variants[control_index]
    comparisons = [
        analyse(control, stats, options, variant_index=i)
        for i, stats in enumerate(variants)
        if i != control_index
    ]
    tested = [i for i, r in enumerate(comparisons) if r.p_value is not None]
    if correction != "none" and tested:
        adjusted = adjust([comparisons[i].p_value for i in tested], correction)  # type: ignore[misc]
        for i, p in zip(tested, adjusted, strict=True):
            comparisons[i] = msgspec.structs.replace(
                comparisons[i], p_value_adjusted=p, significant=p < options.alpha
            )
    srm = None
    if expected_weights is not None:
        srm = srm_check([v.n for v in variants], expected_weights, threshold=srm_threshold)
    return ExperimentAnalysis(
        control_index=control_index, correction=correction, comparisons=comparisons, srm=srm
    )

"""Wire shapes of experiments: their definition, lifecycle requests, units' results and the analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from core.api.validation import Name
from core.experiments.metrics import MetricDefinition
from core.tenancy.schemas import PluginOverlays

ExperimentType = Literal["greeting", "prompt", "model", "voice", "agent_config", "workflow", "feature", "ui"]
Unit = Literal["caller", "call"]
Status = Literal["draft", "running", "completed", "archived"]
Correction = Literal["holm", "bh", "none"]

# The key seeds the assignment hash and names the experiment in calls and SDKs: slug-like, stable.
Key = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?$", max_length=100)]
VariantKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$", max_length=64)]
# "$units" (assignment counts) cannot be a metric: names start with a letter.
MetricName = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,63}$", max_length=64)]
Description = Annotated[str, msgspec.Meta(max_length=4000)]
Weight = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
Alpha = Annotated[float, msgspec.Meta(gt=0.0, lt=0.5)]
Power = Annotated[float, msgspec.Meta(gt=0.5, lt=1.0)]
RelativeEffect = Annotated[float, msgspec.Meta(gt=0.0, le=10.0, description="relative, 0.1 = 10%")]
Coverage = Annotated[float, msgspec.Meta(gt=0.0, le=1.0)]
Metrics = Annotated[list[MetricName], msgspec.Meta(max_length=20)]
MetricDefinitions = Annotated[dict[MetricName, MetricDefinition], msgspec.Meta(max_length=20)]
UnitId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class VariantDefinition(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One arm; ``config`` overlays the tenant's plugin settings, ``{plugin: {field: value}}``."""

    key: VariantKey
    name: Name
    weight: Weight
    config: PluginOverlays = {}


Variants = Annotated[list[VariantDefinition], msgspec.Meta(min_length=1, max_length=20)]


class ExperimentCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    key: Key
    name: Name
    description: Description | None = None
    type: ExperimentType
    unit: Unit
    variants: Variants  # the first is the control
    primary_metric: MetricName
    secondary_metrics: Metrics = []
    metrics: MetricDefinitions = {}
    alpha: Alpha = 0.05
    power: Power = 0.8
    min_detectable_effect: RelativeEffect | None = None
    coverage: Coverage = 1.0
    sequential: bool = False
    correction: Correction = "holm"


class ExperimentUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A draft's changes; the key is fixed at creation (it seeds the assignment hash)."""

    name: Name | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    type: ExperimentType | UnsetType = UNSET
    unit: Unit | UnsetType = UNSET
    variants: Variants | UnsetType = UNSET
    primary_metric: MetricName | UnsetType = UNSET
    secondary_metrics: Metrics | UnsetType = UNSET
    metrics: MetricDefinitions | UnsetType = UNSET
    alpha: Alpha | UnsetType = UNSET
    power: Power | UnsetType = UNSET
    min_detectable_effect: RelativeEffect | UnsetType | None = UNSET
    coverage: Coverage | UnsetType = UNSET
    sequential: bool | UnsetType = UNSET
    correction: Correction | UnsetType = UNSET


class ExperimentRead(msgspec.Struct, kw_only=True):
    id: str
    key: str
    name: str
    description: str | None
    type: str
    unit: str
    status: str
    variants: list[VariantDefinition]
    coverage: float
    primary_metric: str
    secondary_metrics: list[str]
    metrics: dict[str, MetricDefinition]
    alpha: float
    power: float
    min_detectable_effect: float | None
    sequential: bool
    correction: str
    winner: str | None
    started_at: datetime | None
    stopped_at: datetime | None
    created_at: datetime
    updated_at: datetime


class StopRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    winner: VariantKey | None = None


class AssignmentRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    unit_id: UnitId


class AssignmentRead(msgspec.Struct, kw_only=True):
    experiment: str  # the experiment's key
    unit_id: str  # as stored: callers in E.164
    variant: str | None  # None when coverage leaves the unit out
    bucket: int


class ResultCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    unit_id: UnitId
    metric: MetricName
    value: float
    call_sid: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class ResultRead(msgspec.Struct, kw_only=True):
    id: str
    unit_id: str
    variant: str
    metric: str
    value: float  # as counted: capped when the metric has a cap


class VariantUnits(msgspec.Struct, kw_only=True):
    key: str
    name: str
    weight: float
    units: int  # units assigned so far


class VariantStatsRead(msgspec.Struct, kw_only=True):
    variant: str
    n: int  # units with a value for the metric
    mean: float | None
    stddev: float | None


class ComparisonRead(msgspec.Struct, kw_only=True):
    """One treatment against the control on one metric; None where the data cannot support a figure."""

    variant: str
    n: int
    mean: float | None
    stddev: float | None
    absolute_effect: float | None  # treatment mean minus control mean
    relative_effect: float | None  # lift: absolute_effect / control mean
    ci_low: float | None  # interval of the absolute effect, 1 - alpha
    ci_high: float | None
    relative_ci_low: float | None  # the same interval for the lift (delta method)
    relative_ci_high: float | None
    p_value: float | None  # as tested, before the multiple-comparison correction
    p_value_adjusted: float | None
    significant: bool  # adjusted p-value below alpha
    chance_to_win: float | None  # Bayesian: probability it beats the control (inverse metrics: is lower)
    expected_loss: float | None  # Bayesian: what shipping it costs on average if it is in fact worse
    reason: str | None  # why figures are None: no_units, too_few_units, zero_variance, ...


class MetricAnalysisRead(msgspec.Struct, kw_only=True):
    metric: str
    type: Literal["binary", "continuous"]
    inverse: bool
    primary: bool
    variants: list[VariantStatsRead]
    comparisons: list[ComparisonRead]


class ExperimentAnalysisRead(msgspec.Struct, kw_only=True):
    experiment: str  # id
    key: str
    status: str
    engine: Literal["frequentist", "sequential"]
    correction: str
    alpha: float
    control: str
    variants: list[VariantUnits]
    srm_p_value: float | None
    srm_flagged: bool
    min_detectable_effect: float  # relative; the experiment's, or 0.1 when it sets none
    required_sample_size: int | None  # units per variant for the primary metric
    recommendation: str  # "keep_running", "ship:<variant>" or "stop_no_effect"
    confidence: float
    warnings: list[str]
    metrics: list[MetricAnalysisRead]


class SummaryRead(msgspec.Struct, kw_only=True):
    text: str

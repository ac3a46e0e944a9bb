"""Units in a running experiment: their stored assignment, and their results added to the running sums.

Everything here happens inside the caller's transaction (a call's first webhook, its status
callback, an API request), so an assignment or a result and the sums it changes commit together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.base import new_id
from core.db.upsert import insert_for
from core.experiments.assignment import assign, normalise_unit_id
from core.experiments.metrics import MetricDefinition
from core.experiments.models import (
    Experiment,
    ExperimentAssignment,
    ExperimentResult,
    ExperimentStat,
    ExperimentUnitMetric,
)
from core.experiments.stats.summary import cap_value

UNITS = "$units"  # the stats row counting a variant's assigned units (for the sample-ratio check)


def unit_of(experiment: Experiment, unit_id: str) -> str:
    """The unit id as stored: callers in E.164, so "+1 (415) 555-0100" is one caller."""
    return normalise_unit_id(unit_id, is_caller=experiment.unit == "caller")


def variant_weights(experiment: Experiment) -> list[float]:
    return [float(variant["weight"]) for variant in experiment.variants]


async def assignment_of(
    db: AsyncSession, experiment: Experiment, unit_id: str
) -> ExperimentAssignment | None:
    return await db.scalar(
        select(ExperimentAssignment).where(
            ExperimentAssignment.experiment_id == experiment.id,
            ExperimentAssignment.unit_id == unit_of(experiment, unit_id),
        )
    )


async def assign_unit(
    db: AsyncSession, experiment: Experiment, unit_id: str, now: datetime
) -> tuple[ExperimentAssignment | None, int]:
    """The unit's variant (stored on first sight) and its bucket; None when coverage leaves it out.

    A unit keeps its first variant for the experiment's life: weights changed later move nobody.
    """
    unit = unit_of(experiment, unit_id)
    existing = await db.scalar(
        select(ExperimentAssignment).where(
            ExperimentAssignment.experiment_id == experiment.id, ExperimentAssignment.unit_id == unit
        )
    )
    if existing is not None:
        return existing, existing.bucket
    result = assign(experiment.key, unit, variant_weights(experiment), experiment.coverage)
    if not result.in_experiment:
        return None, result.bucket
    variant = experiment.variants[result.variant_index]["key"]
    insert = insert_for(db, ExperimentAssignment)
    inserted = await db.execute(
        insert.values(
            id=new_id(),
            tenant_id=experiment.tenant_id,
            experiment_id=experiment.id,
            unit_id=unit,
            variant=variant,
            bucket=result.bucket,
            assigned_at=now,
        ).on_conflict_do_nothing(index_elements=["experiment_id", "unit_id"])
    )
    if inserted.rowcount == 1:  # a concurrent request may have assigned it first: count it once
        await add_to_stat(db, experiment.id, variant, UNITS, 1, 0.0, 0.0)
    row = await db.scalar(
        select(ExperimentAssignment).where(
            ExperimentAssignment.experiment_id == experiment.id, ExperimentAssignment.unit_id == unit
        )
    )
    assert row is not None
    return row, row.bucket


async def add_to_stat(
    db: AsyncSession, experiment_id: str, variant: str, metric: str, n: int, total: float, squares: float
) -> None:
    """Add to one variant's running sums in one atomic statement (created on first use)."""
    insert = insert_for(db, ExperimentStat)
    statement = insert.values(
        experiment_id=experiment_id, variant=variant, metric=metric, n=n, sum=total, sum_squares=squares
    )
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["experiment_id", "variant", "metric"],
            set_={
                "n": ExperimentStat.n + statement.excluded.n,
                "sum": ExperimentStat.sum + statement.excluded.sum,
                "sum_squares": ExperimentStat.sum_squares + statement.excluded.sum_squares,
            },
        )
    )


def _unit_value(metric: MetricDefinition, unit: ExperimentUnitMetric, latest: float) -> float:
    if metric.aggregate == "max":
        return unit.maximum if unit.maximum is not None else latest
    if metric.aggregate == "mean":
        return unit.total / unit.count if unit.count else 0.0
    if metric.aggregate == "last":
        return latest
    return unit.total


async def record_result(
    db: AsyncSession,
    experiment: Experiment,
    assignment: ExperimentAssignment,
    metric_name: str,
    metric: MetricDefinition,
    value: float,
    now: datetime,
    *,
    call_id: str | None = None,
) -> ExperimentResult:
    """Keep one observation and fold it into its unit's value and its variant's sums.

    A unit's value is its observations combined by the metric's aggregate; the sums hold one
    value per unit, so when a unit's value changes from ``old`` to ``new`` the sums change by
    ``new - old`` and ``new² - old²`` and the unit count stays put.
    """
    if metric.cap is not None:
        value = cap_value(value, metric.cap)
    result = ExperimentResult(
        tenant_id=experiment.tenant_id,
        experiment_id=experiment.id,
        unit_id=assignment.unit_id,
        variant=assignment.variant,
        metric=metric_name,
        value=value,
        call_id=call_id,
        recorded_at=now,
    )
    db.add(result)
    key = (experiment.id, assignment.unit_id, metric_name)
    unit = await db.get(ExperimentUnitMetric, key, with_for_update=True)
    if unit is None:
        unit = ExperimentUnitMetric(
            experiment_id=experiment.id,
            unit_id=assignment.unit_id,
            metric=metric_name,
            variant=assignment.variant,
            total=value,
            count=1,
            maximum=value,
        )
        unit.value = _unit_value(metric, unit, value)
        db.add(unit)
        await add_to_stat(db, experiment.id, assignment.variant, metric_name, 1, unit.value, unit.value**2)
        return result
    old = unit.value
    unit.total += value
    unit.count += 1
    unit.maximum = value if unit.maximum is None else max(unit.maximum, value)
    unit.value = _unit_value(metric, unit, value)
    if unit.value != old:
        await add_to_stat(
            db, experiment.id, assignment.variant, metric_name, 0, unit.value - old, unit.value**2 - old**2
        )
    return result

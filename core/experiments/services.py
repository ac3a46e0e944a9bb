"""An experiment's life: drafted, started, stopped with a winner, archived; and units' results meanwhile.

Only a draft can be changed: once units are assigned, changing variants or metrics would mix two
experiments in one set of sums. Starting and stopping bump the tenant's config version, so the call
path's cached plugin configs pick up (or drop) the variants' overlays at once.
"""

from __future__ import annotations

import math

import msgspec
from litestar.exceptions import NotFoundException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import ConflictError, UnprocessableError
from core.audit.services import record_change
from core.calls.services import call_by_sid
from core.db.base import utcnow
from core.db.paging import Page, tenant_page
from core.experiments.live import overlay_keys
from core.experiments.metrics import BUILTIN_METRICS, MetricDefinition, definition, experiment_metrics
from core.experiments.models import Experiment
from core.experiments.report import build_analysis
from core.experiments.schemas import (
    AssignmentRead,
    ExperimentCreate,
    ExperimentRead,
    ExperimentUpdate,
    ResultCreate,
    ResultRead,
    VariantDefinition,
)
from core.experiments.units import assign_unit, record_result, unit_of
from core.plugins.services import check_overlays
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.tenancy.services import bump_config_version
from core.webhooks.outbox import publish

WEIGHT_TOLERANCE = 1e-9


def to_read(experiment: Experiment) -> ExperimentRead:
    return ExperimentRead(
        id=experiment.id,
        key=experiment.key,
        name=experiment.name,
        description=experiment.description,
        type=experiment.type,
        unit=experiment.unit,
        status=experiment.status,
        variants=msgspec.convert(experiment.variants, list[VariantDefinition]),
        coverage=experiment.coverage,
        primary_metric=experiment.primary_metric,
        secondary_metrics=list(experiment.secondary_metrics),
        metrics=msgspec.convert(experiment.metrics, dict[str, MetricDefinition]),
        alpha=experiment.alpha,
        power=experiment.power,
        min_detectable_effect=experiment.min_detectable_effect,
        sequential=experiment.sequential,
        correction=experiment.correction,
        winner=experiment.winner,
        started_at=experiment.started_at,
        stopped_at=experiment.stopped_at,
        created_at=experiment.created_at,
        updated_at=experiment.updated_at,
    )


async def experiment_of_tenant(session: AsyncSession, scope: TenantScope, ref: str) -> Experiment:
    """The tenant's experiment with id ``ref``, or else with key ``ref``."""
    for column in (Experiment.id, Experiment.key):
        experiment = await session.scalar(
            select(Experiment).where(Experiment.tenant_id == scope.tenant_id, column == ref)
        )
        if experiment is not None:
            return experiment
    raise NotFoundException(f"no experiment {ref!r}")


async def list_experiments(
    session: AsyncSession, scope: TenantScope, *, status: str | None, limit: int, cursor: str | None
) -> Page[ExperimentRead]:
    where = [Experiment.status == status] if status is not None else []
    return await tenant_page(
        session, Experiment, scope.tenant_id, to_read, limit=limit, cursor=cursor, where=where
    )


def _unprocessable(field: str, message: str) -> UnprocessableError:
    return UnprocessableError(f"{field}: {message}", field=field)


async def _check_definition(
    session: AsyncSession,
    services: AppServices,
    tenant_id: str,
    variants: list[VariantDefinition],
    primary: str,
    secondaries: list[str],
    metrics: dict[str, MetricDefinition],
) -> None:
    """What the schema alone cannot check: distinct keys, known metrics, overlays that validate."""
    seen: set[str] = set()
    for index, variant in enumerate(variants):
        if variant.key in seen:
            raise _unprocessable(f"variants[{index}].key", f"{variant.key!r} names another variant too")
        seen.add(variant.key)
    known = ", ".join([*BUILTIN_METRICS, *metrics])
    custom = msgspec.to_builtins(metrics)
    if definition(primary, custom) is None:
        raise _unprocessable("primary_metric", f"unknown metric {primary!r}; use one of {known}")
    for index, name in enumerate(secondaries):
        field = f"secondary_metrics[{index}]"
        if definition(name, custom) is None:
            raise _unprocessable(field, f"unknown metric {name!r}; use one of {known}")
        if name == primary or name in secondaries[:index]:
            raise _unprocessable(field, f"{name!r} is already measured")
    for index, variant in enumerate(variants):
        await check_overlays(
            session, services, tenant_id, variant.config, prefix=f"variants[{index}].config."
        )


async def create_experiment(
    session: AsyncSession, services: AppServices, scope: TenantScope, data: ExperimentCreate
) -> Experiment:
    taken = await session.scalar(
        select(Experiment.id).where(Experiment.tenant_id == scope.tenant_id, Experiment.key == data.key)
    )
    if taken is not None:
        raise ConflictError(f"key: an experiment {data.key!r} already exists", field="key")
    await _check_definition(
        session,
        services,
        scope.tenant_id,
        data.variants,
        data.primary_metric,
        data.secondary_metrics,
        data.metrics,
    )
    fields = msgspec.to_builtins(data)
    experiment = Experiment(tenant_id=scope.tenant_id, status="draft", **fields)
    session.add(experiment)
    await session.flush()
    record_change(
        session,
        scope.principal,
        "experiment.create",
        "experiment",
        experiment.id,
        tenant_id=scope.tenant_id,
        detail={"key": experiment.key},
    )
    await session.commit()
    return experiment


def _require_status(experiment: Experiment, allowed: tuple[str, ...], doing: str) -> None:
    if experiment.status not in allowed:
        raise ConflictError(
            f"status: experiment {experiment.key!r} is {experiment.status}; only a "
            f"{' or '.join(allowed)} experiment can be {doing}",
            field="status",
        )


async def update_experiment(
    session: AsyncSession, services: AppServices, scope: TenantScope, ref: str, data: ExperimentUpdate
) -> Experiment:
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("draft",), "changed")
    changed = {
        f.name: getattr(data, f.name)
        for f in msgspec.structs.fields(data)
        if getattr(data, f.name) is not msgspec.UNSET
    }
    if not changed:
        return experiment
    current = to_read(experiment)
    await _check_definition(
        session,
        services,
        scope.tenant_id,
        changed.get("variants", current.variants),
        changed.get("primary_metric", current.primary_metric),
        changed.get("secondary_metrics", current.secondary_metrics),
        changed.get("metrics", current.metrics),
    )
    for name, value in changed.items():
        setattr(experiment, name, msgspec.to_builtins(value))
    record_change(
        session,
        scope.principal,
        "experiment.update",
        "experiment",
        experiment.id,
        tenant_id=scope.tenant_id,
        detail={"fields": sorted(changed)},
    )
    await session.commit()
    return experiment


async def _check_startable(
    session: AsyncSession, services: AppServices, scope: TenantScope, experiment: Experiment
) -> None:
    read = to_read(experiment)
    if len(read.variants) < 2:
        raise _unprocessable("variants", "an experiment needs a control and at least one other variant")
    total = math.fsum(v.weight for v in read.variants)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise _unprocessable("variants", f"the weights add up to {total:g}; they must add up to 1")
    # The tenant's plugins may have changed since the draft was written.
    await _check_definition(
        session,
        services,
        scope.tenant_id,
        read.variants,
        read.primary_metric,
        read.secondary_metrics,
        read.metrics,
    )
    # Two running experiments setting the same plugin field would fight over every call they share.
    keys = overlay_keys(experiment.variants)
    running = await session.scalars(
        select(Experiment).where(
            Experiment.tenant_id == scope.tenant_id,
            Experiment.status == "running",
            Experiment.id != experiment.id,
        )
    )
    for other in running:
        shared = sorted(keys & overlay_keys(other.variants))
        if shared:
            raise ConflictError(
                f"variants: running experiment {other.key!r} already varies {', '.join(shared)}; "
                "stop it first",
                field="variants",
            )


async def start_experiment(
    session: AsyncSession, services: AppServices, scope: TenantScope, ref: str
) -> Experiment:
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("draft",), "started")
    await _check_startable(session, services, scope, experiment)
    experiment.status = "running"
    experiment.started_at = utcnow()
    bump_config_version(scope.tenant)
    record_change(
        session, scope.principal, "experiment.start", "experiment", experiment.id, tenant_id=scope.tenant_id
    )
    await session.commit()
    return experiment


async def stop_experiment(
    session: AsyncSession, scope: TenantScope, ref: str, winner: str | None
) -> Experiment:
    """Stop a running experiment; without a ``winner``, the variant the analysis says to ship, if any."""
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("running",), "stopped")
    keys = [variant["key"] for variant in experiment.variants]
    if winner is not None and winner not in keys:
        raise _unprocessable("winner", f"{winner!r} is not a variant; use one of {', '.join(keys)}")
    if winner is None:
        recommendation = (await build_analysis(session, experiment)).recommendation
        winner = recommendation.removeprefix("ship:") if recommendation.startswith("ship:") else None
    experiment.status = "completed"
    experiment.winner = winner
    experiment.stopped_at = utcnow()
    bump_config_version(scope.tenant)
    record_change(
        session,
        scope.principal,
        "experiment.stop",
        "experiment",
        experiment.id,
        tenant_id=scope.tenant_id,
        detail={"winner": winner},
    )
    publish(
        session, scope.tenant_id, "experiment.completed", msgspec.to_builtins(to_read(experiment)), utcnow()
    )
    await session.commit()
    return experiment


async def archive_experiment(session: AsyncSession, scope: TenantScope, ref: str) -> Experiment:
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("completed",), "archived")
    experiment.status = "archived"
    record_change(
        session, scope.principal, "experiment.archive", "experiment", experiment.id, tenant_id=scope.tenant_id
    )
    await session.commit()
    return experiment


async def delete_experiment(session: AsyncSession, scope: TenantScope, ref: str) -> None:
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("draft", "archived"), "deleted")
    await session.delete(experiment)
    record_change(
        session,
        scope.principal,
        "experiment.delete",
        "experiment",
        experiment.id,
        tenant_id=scope.tenant_id,
        detail={"key": experiment.key},
    )
    await session.commit()


def _unit_id(experiment: Experiment, unit_id: str) -> str:
    unit = unit_of(experiment, unit_id)
    if not unit:
        raise _unprocessable("unit_id", "must not be blank")
    return unit


async def assign(session: AsyncSession, scope: TenantScope, ref: str, unit_id: str) -> AssignmentRead:
    """The unit's variant, stored on first sight: the same unit always gets the same answer."""
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("running",), "assigned to")
    unit = _unit_id(experiment, unit_id)
    assignment, bucket = await assign_unit(session, experiment, unit, utcnow())
    await session.commit()
    variant = assignment.variant if assignment is not None else None
    return AssignmentRead(experiment=experiment.key, unit_id=unit, variant=variant, bucket=bucket)


async def add_result(session: AsyncSession, scope: TenantScope, ref: str, data: ResultCreate) -> ResultRead:
    """Fold one observation into the sums, assigning the unit first if it has not been seen yet."""
    experiment = await experiment_of_tenant(session, scope, ref)
    _require_status(experiment, ("running",), "given results")
    measured = experiment_metrics(experiment)
    if data.metric not in measured:
        raise _unprocessable(
            "metric",
            f"experiment {experiment.key!r} does not measure {data.metric!r}; it measures "
            f"{', '.join(measured)}",
        )
    metric = definition(data.metric, experiment.metrics)
    assert metric is not None  # every measured metric was checked when the experiment was written
    if not math.isfinite(data.value):
        raise _unprocessable("value", "must be a finite number")
    if metric.type == "binary" and data.value not in (0.0, 1.0):
        raise _unprocessable("value", f"{data.metric!r} is binary: send 0 or 1, not {data.value:g}")
    call_id = None
    if data.call_sid is not None:
        call = await call_by_sid(session, data.call_sid)
        if call is None or call.tenant_id != scope.tenant_id:
            raise _unprocessable("call_sid", f"no call {data.call_sid!r}")
        call_id = call.id
    unit = _unit_id(experiment, data.unit_id)
    now = utcnow()
    assignment, bucket = await assign_unit(session, experiment, unit, now)  # the stored one, if any
    if assignment is None:
        raise ConflictError(
            f"unit_id: {unit!r} falls outside the experiment's coverage (bucket {bucket}), so it "
            "is not in the experiment and its results are not counted",
            field="unit_id",
        )
    result = await record_result(
        session, experiment, assignment, data.metric, metric, data.value, now, call_id=call_id
    )
    await session.flush()
    read = ResultRead(
        id=result.id, unit_id=unit, variant=assignment.variant, metric=data.metric, value=result.value
    )
    await session.commit()
    return read

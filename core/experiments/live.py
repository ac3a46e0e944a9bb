"""Experiments on live calls: enrol a call when it starts, and record its outcome when it ends.

At a call's first webhook the caller (or the call) is assigned to each running experiment of
the tenant and the variants' plugin overlays are kept on the call's row; every webhook of the
call then builds its plugin configs with those overlays, so plugins see their variant through
their normal config. When the call ends, its outcome metrics join the running sums.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls.models import Call
from core.experiments.metrics import call_metrics, definition, experiment_metrics
from core.experiments.models import Experiment
from core.experiments.units import assign_unit, assignment_of, record_result

log = structlog.get_logger(__name__)


def unit_of_call(experiment: Experiment, call: Call) -> str:
    """The unit a call counts as: its caller, or the call itself."""
    return call.from_number if experiment.unit == "caller" else call.call_sid


def overlay_keys(variants: list[dict[str, Any]]) -> set[str]:
    """The plugin settings an experiment's variants change, as ``plugin.field``."""
    return {
        f"{plugin}.{field}"
        for variant in variants
        for plugin, overlay in (variant.get("config") or {}).items()
        for field in overlay
    }


async def enrol_call(db: AsyncSession, call: Call, now: datetime) -> dict[str, dict[str, Any]]:
    """Assign the call to the tenant's running experiments; the plugin overlays its variants add.

    The assignments are recorded on the call (``experiments``). Starting an experiment refuses
    to overlap another running one on the same setting; should two overlap anyway (started
    concurrently), the older one wins for this call and the other leaves it out.
    """
    running = await db.scalars(
        select(Experiment)
        .where(Experiment.tenant_id == call.tenant_id, Experiment.status == "running")
        .order_by(Experiment.started_at, Experiment.id)
    )
    overlays: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    enrolled: list[dict[str, str]] = []
    for experiment in running:
        keys = overlay_keys(experiment.variants)
        if keys & taken:
            log.warning("experiment.overlap_skipped", experiment=experiment.key, keys=sorted(keys & taken))
            continue
        assignment, _bucket = await assign_unit(db, experiment, unit_of_call(experiment, call), now)
        if assignment is None:
            continue  # outside the experiment's coverage
        taken |= keys
        variant = next(v for v in experiment.variants if v["key"] == assignment.variant)
        for plugin, overlay in (variant.get("config") or {}).items():
            overlays[plugin] = {**overlays.get(plugin, {}), **overlay}
        enrolled.append({"experiment": experiment.key, "variant": assignment.variant})
    call.experiments = enrolled
    return overlays


async def record_call_outcome(db: AsyncSession, call: Call, now: datetime) -> None:
    """Add a finished call's metrics to each experiment it was enrolled in that is still running."""
    if not call.experiments:
        return
    keys = [entry["experiment"] for entry in call.experiments]
    experiments = await db.scalars(
        select(Experiment).where(
            Experiment.tenant_id == call.tenant_id, Experiment.key.in_(keys), Experiment.status == "running"
        )
    )
    values = call_metrics(call)
    for experiment in experiments:
        assignment = await assignment_of(db, experiment, unit_of_call(experiment, call))
        if assignment is None:
            continue
        for name in experiment_metrics(experiment):
            metric = definition(name, experiment.metrics)
            if metric is None or name not in values:
                continue  # a custom metric: the tenant records it through the results API
            await record_result(db, experiment, assignment, name, metric, values[name], now, call_id=call.id)

"""Stored assignments and running sums: what the analysis reads must equal the sums over units' values."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from core.experiments.metrics import BUILTIN_METRICS, MetricDefinition
from core.experiments.models import Experiment, ExperimentAssignment, ExperimentResult, ExperimentStat
from core.experiments.units import UNITS, assign_unit, record_result
from core.tenancy.models import Tenant

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
VARIANTS = [
    {"key": "control", "name": "Control", "weight": 0.5, "config": {}},
    {"key": "warm", "name": "Warm", "weight": 0.5, "config": {"greeting": {"template": "Hi!"}}},
]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(database_url)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    await engine.dispose()


async def _experiment(db: AsyncSession, unit: str = "caller", **fields: object) -> Experiment:
    tenant = Tenant(slug="acme", name="Acme", timezone="UTC", languages=["en-US"])
    db.add(tenant)
    await db.flush()
    experiment = Experiment(
        tenant_id=tenant.id,
        key="greeting-warmth",
        name="Warm greeting",
        type="greeting",
        unit=unit,
        status="running",
        variants=VARIANTS,
        primary_metric="booked",
        **fields,
    )
    db.add(experiment)
    await db.commit()
    return experiment


async def _stats(db: AsyncSession, experiment: Experiment) -> dict[tuple[str, str], tuple[int, float, float]]:
    rows = await db.scalars(select(ExperimentStat).where(ExperimentStat.experiment_id == experiment.id))
    return {(r.variant, r.metric): (r.n, r.sum, r.sum_squares) for r in rows}


async def test_a_unit_keeps_its_variant_and_is_counted_once(db: AsyncSession) -> None:
    experiment = await _experiment(db)

    first, bucket = await assign_unit(db, experiment, "+1 (415) 555-0100", NOW)
    again, again_bucket = await assign_unit(db, experiment, "+14155550100", NOW)
    await db.commit()

    assert first is not None and again is not None
    assert (again.id, again.variant, again_bucket) == (first.id, first.variant, bucket)
    assert first.unit_id == "+14155550100"
    assert await _stats(db, experiment) == {(first.variant, UNITS): (1, 0.0, 0.0)}


async def test_changing_weights_later_moves_nobody(db: AsyncSession) -> None:
    experiment = await _experiment(db)
    callers = [f"+1415555{n:04d}" for n in range(200)]
    before = {c: (await assign_unit(db, experiment, c, NOW))[0].variant for c in callers}
    await db.commit()

    experiment.variants = [{**VARIANTS[0], "weight": 0.1}, {**VARIANTS[1], "weight": 0.9}]
    await db.commit()
    after = {c: (await assign_unit(db, experiment, c, NOW))[0].variant for c in callers}

    assert after == before
    assert set(before.values()) == {"control", "warm"}


async def test_coverage_leaves_units_out_without_storing_them(db: AsyncSession) -> None:
    experiment = await _experiment(db, coverage=0.0)

    assignment, bucket = await assign_unit(db, experiment, "+14155550100", NOW)

    assert assignment is None and 0 <= bucket < 10_000
    assert list(await db.scalars(select(ExperimentAssignment))) == []


async def test_running_sums_equal_the_sums_over_unit_values(db: AsyncSession) -> None:
    experiment = await _experiment(db)
    rng = random.Random(7)
    per_unit: dict[str, dict[str, list[float]]] = {}
    variants: dict[str, str] = {}
    for _ in range(300):
        caller = f"+1415555{rng.randrange(60):04d}"
        assignment, _ = await assign_unit(db, experiment, caller, NOW)
        assert assignment is not None
        variants[caller] = assignment.variant
        observed = {"booked": float(rng.random() < 0.3), "turns": float(rng.randrange(1, 9))}
        observed["sentiment"] = rng.uniform(-1, 1)
        for metric, value in observed.items():
            await record_result(db, experiment, assignment, metric, BUILTIN_METRICS[metric], value, NOW)
            per_unit.setdefault(caller, {}).setdefault(metric, []).append(value)
    await db.commit()

    stats = await _stats(db, experiment)
    aggregate = {"booked": max, "turns": sum, "sentiment": lambda v: sum(v) / len(v)}
    for variant in ("control", "warm"):
        for metric, combine in aggregate.items():
            values = [combine(m[metric]) for c, m in per_unit.items() if variants[c] == variant]
            n, total, squares = stats[(variant, metric)]
            assert n == len(values)
            assert math.isclose(total, sum(values), rel_tol=1e-9, abs_tol=1e-9)
            assert math.isclose(squares, sum(v * v for v in values), rel_tol=1e-9, abs_tol=1e-9)
        units = sum(1 for c in per_unit if variants[c] == variant)
        assert stats[(variant, UNITS)][0] == units
    assert len(list(await db.scalars(select(ExperimentResult)))) == 900


async def test_a_call_unit_is_one_call_and_caps_apply_on_the_way_in(db: AsyncSession) -> None:
    experiment = await _experiment(db, unit="call")
    capped = MetricDefinition(aggregate="sum", cap=600.0)

    for sid, seconds in (("CA1", 120.0), ("CA2", 5000.0)):
        assignment, _ = await assign_unit(db, experiment, sid, NOW)
        assert assignment is not None and assignment.unit_id == sid
        await record_result(db, experiment, assignment, "duration_s", capped, seconds, NOW, call_id=sid)
    await db.commit()

    stats = await _stats(db, experiment)
    total = sum(v[1] for (variant, metric), v in stats.items() if metric == "duration_s")
    assert total == 720.0
    stored = sorted(r.value for r in await db.scalars(select(ExperimentResult)))
    assert stored == [120.0, 600.0]


async def test_concurrent_assignments_of_one_unit_store_and_count_it_once(database_url: str) -> None:
    engine = create_async_engine(database_url)
    async with AsyncSession(engine, expire_on_commit=False) as setup:
        experiment = await _experiment(setup)

    async def one() -> str:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            assignment, _ = await assign_unit(session, experiment, "+14155550100", NOW)
            await session.commit()
            assert assignment is not None
            return assignment.variant

    try:
        variants = await asyncio.gather(*(one() for _ in range(4)))
        async with AsyncSession(engine) as check:
            assert len(list(await check.scalars(select(ExperimentAssignment)))) == 1
            stats = await _stats(check, experiment)
    finally:
        await engine.dispose()
    assert len(set(variants)) == 1
    assert stats == {(variants[0], UNITS): (1, 0.0, 0.0)}

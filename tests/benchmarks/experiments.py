"""Experiments: assignment against the GrowthBook SDK's own hashing, and analysis time against result count.

Assignment is pure computation, so it is timed in this process against the SDK doing the same work
on the same unit ids in the same run, and every unit's variant is checked to agree. Stored assignment
(``assign_unit``, one commit per unit as a call's first webhook does it) is timed on each database.

Analysis reads only the running sums (``ExperimentStat``), so its time should not grow with the number
of recorded results. On each database one running experiment (two variants; ``booked`` primary,
``duration_s`` and ``turns`` secondary) is grown to 10^3, 10^5 and 10^7 recorded results, and
``build_analysis`` is timed at each size, in turns with a reference experiment that stays at 10^3
results in the same tables: the machine drifts between steps, and the reference drifts with it.

How the results get there (recording 10^7 through ``record_result`` one at a time would take hours):

* Each unit is a caller with one call that records ``booked``, ``duration_s`` and ``turns`` once each,
  so result ``r`` is unit ``r // 3``'s metric ``r % 3`` and a unit's value is its one result.
* The first 10^3 go through the real path: ``assign_unit`` (hashing), then ``record_result`` for each
  metric and a commit per call, timed. The running sums they leave are checked against the same sums
  computed with numpy, which is how every later result's sums are computed; a mismatch stops the run.
* Later results are drawn with numpy (seeded per block of units, so both databases get the same data),
  inserted in bulk (PostgreSQL: ``COPY`` through asyncpg, with foreign-key triggers off for the load
  when the role may do that; SQLite: ``executemany`` in one transaction, foreign keys checked), and
  their per-variant sums added with ``add_to_stat``. PostgreSQL then runs the ``VACUUM (ANALYZE)``
  that autovacuum would otherwise start in the middle of the timing, and a ``CHECKPOINT``; both
  databases then ``sync`` so the load's writes are not still going out while the analysis is timed.
  All of that counts as load time.
* Bulk units' variants are drawn at the experiment's weights instead of hashed, and their result ids
  are sequential UUID-shaped strings (loading 10^7 random UUIDs into a primary key mostly measures the
  disk). They get no ``ExperimentAssignment`` rows (their ``$units`` sums are added all the same);
  ``ExperimentUnitMetric`` rows are loaded up to the 10^5 step and skipped for the 10^7 step. The
  analysis reads none of these tables.
"""

from __future__ import annotations

import asyncio
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
import numpy as np
from growthbook import Experiment as GbExperiment
from growthbook import GrowthBook
from growthbook.core import chooseVariation, gbhash, getBucketRanges
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.db.engine import create_engine, create_session_factory
from core.db.migrate import upgrade_database
from core.experiments.assignment import assign
from core.experiments.metrics import BUILTIN_METRICS
from core.experiments.models import (
    Experiment,
    ExperimentAssignment,
    ExperimentResult,
    ExperimentStat,
)
from core.experiments.report import build_analysis
from core.experiments.units import UNITS, add_to_stat, assign_unit, record_result
from core.tenancy.models import Tenant
from tests.benchmarks.harness import Figures, summarise
from tests.db_support import create_throwaway_postgres, drop_postgres_database, postgres_available

SEED = 20261124
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
METRICS = ("booked", "duration_s", "turns")
VARIANTS = [
    {"key": "control", "name": "Control", "weight": 0.5, "config": {}},
    {"key": "warm", "name": "Warm greeting", "weight": 0.5, "config": {"greeting": {"template": "Hi!"}}},
]
VARIANT_KEYS = [variant["key"] for variant in VARIANTS]
# What the generated calls look like per variant: booking rate, mean seconds on the line, mean turns.
BOOKING_RATE = (0.30, 0.32)
MEAN_DURATION_S = (120.0, 115.0)
MEAN_TURNS = (6.0, 6.2)

# The GrowthBook comparison: (experiment key, weights, coverage). Coverage below 1 leaves some units out.
SDK_EXPERIMENTS: list[tuple[str, list[float], float]] = [
    ("greeting-warmth", [0.5, 0.5], 1.0),
    ("hold-music", [0.5, 0.25, 0.25], 0.8),
]
ASSIGN_REPEATS = 3  # best of, interleaved, so every implementation sees the same machine state

BLOCK_UNITS = 1 << 16  # units per seeded block of generated data, and per bulk insert batch
UNIT_ROWS_UP_TO = 10**6  # load ExperimentUnitMetric rows for steps up to this many results
WARMUP = 20

RESULT_COLUMNS = (
    "id",
    "tenant_id",
    "experiment_id",
    "unit_id",
    "variant",
    "metric",
    "value",
    "call_id",
    "recorded_at",
)
UNIT_COLUMNS = ("experiment_id", "unit_id", "metric", "variant", "total", "count", "maximum", "value")


@dataclass(frozen=True)
class Options:
    assign_units: int = 200_000  # distinct unit ids hashed per implementation and experiment
    stored_units: int = 3_000  # units stored through assign_unit, per database
    sizes: tuple[int, ...] = (10**3, 10**5, 10**7)  # recorded results at which analysis is timed
    analysis_runs: int = 200  # build_analysis runs per size, each in a fresh session


def progress(message: str) -> None:
    """Where the run is, on stderr: stdout carries only the tables."""
    print(f"[experiments {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def table(title: str, note: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A markdown table in the shape ``harness.report`` prints (first column left, the rest right)."""
    print(f"\n## {title} ({note})\n")
    print("| " + " | ".join(headers) + " |")
    print("| --- | " + " | ".join("---:" for _ in headers[1:]) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def e164_units(count: int, seed: int) -> list[str]:
    """``count`` distinct North American numbers in E.164, in random order."""
    rng = np.random.default_rng(seed)
    areas = rng.integers(201, 990, size=count).tolist()
    lines = rng.permutation(10**7)[:count].tolist()
    return [f"+1{area}{line:07d}" for area, line in zip(areas, lines, strict=True)]


# --- Assignment: Frontdesk's assign() against the GrowthBook SDK --------------------------------------


def frontdesk_assign(key: str, unit: str, weights: list[float], coverage: float) -> int:
    return assign(key, unit, weights, coverage).variant_index


def sdk_hash_path(key: str, unit: str, weights: list[float], coverage: float) -> int:
    """What GrowthBook's ``run`` computes for a unit once it is past targeting: hash, ranges, lookup."""
    return chooseVariation(gbhash(key, unit, 2), getBucketRanges(len(weights), coverage, weights))  # type: ignore[arg-type]


def sdk_run(key: str, unit: str, weights: list[float], coverage: float) -> int:
    experiment = GbExperiment(
        key=key, variations=list(range(len(weights))), weights=weights, coverage=coverage, hashVersion=2
    )
    result = GrowthBook(attributes={"id": unit}).run(experiment)
    return result.variationId if result.inExperiment else -1


IMPLEMENTATIONS: list[tuple[str, Callable[[str, str, list[float], float], int]]] = [
    ("growthbook SDK: gbhash v2 + getBucketRanges + chooseVariation", sdk_hash_path),
    ("growthbook SDK: GrowthBook(...).run(Experiment(...))", sdk_run),
    ("Frontdesk: assign()", frontdesk_assign),
]


def assignment_throughput(options: Options) -> None:
    units = e164_units(options.assign_units, SEED)
    rows: list[list[str]] = []
    for key, weights, coverage in SDK_EXPERIMENTS:
        best = [math.inf] * len(IMPLEMENTATIONS)
        chosen: list[list[int]] = [[] for _ in IMPLEMENTATIONS]
        for _ in range(ASSIGN_REPEATS):
            for index, (_label, implementation) in enumerate(IMPLEMENTATIONS):
                started = time.perf_counter()
                variants = [implementation(key, unit, weights, coverage) for unit in units]
                best[index] = min(best[index], time.perf_counter() - started)
                chosen[index] = variants
        reference = chosen[0]
        for (label, _implementation), variants in zip(IMPLEMENTATIONS, chosen, strict=True):
            if variants != reference:
                unit, theirs, ours = next(
                    (u, r, v) for u, r, v in zip(units, reference, variants, strict=True) if r != v
                )
                raise RuntimeError(
                    f"{label} disagrees with the SDK's hash path in {key!r}: unit {unit} got {ours}, "
                    f"the SDK gives {theirs}"
                )
        split = ", ".join(f"{reference.count(v)}" for v in [*range(len(weights)), -1])
        progress(
            f"{key}: all {len(units)} units agree across implementations (per variant, then out: {split})"
        )
        shape = f"{len(weights)} variants {'/'.join(f'{w:g}' for w in weights)}, coverage {coverage:g}"
        for index, (label, _implementation) in enumerate(IMPLEMENTATIONS):
            per_unit = best[index] / len(units)
            ratio = best[index] / best[0]
            rows.append(
                [f"{shape}: {label}", f"{1 / per_unit:,.0f}", f"{per_unit * 1e9:,.0f}", f"{ratio:.2f}x"]
            )
    table(
        "Assignment: Frontdesk against the GrowthBook SDK",
        f"{len(units):,} distinct E.164 unit ids, best of {ASSIGN_REPEATS} interleaved passes, "
        "every unit's variant identical across the three",
        ["experiment: implementation", "assignments/s", "ns per assignment", "time vs SDK hash path"],
        rows,
    )


# --- Generated results ---------------------------------------------------------------------------------


def _draw_block(block: int) -> np.ndarray:
    """One block of units' data, rows (variant index, booked, duration_s, turns); same seed, same data."""
    rng = np.random.default_rng([SEED, block])
    variant = (rng.random(BLOCK_UNITS) >= VARIANTS[0]["weight"]).astype(np.int64)
    booked = (rng.random(BLOCK_UNITS) < np.take(BOOKING_RATE, variant)).astype(np.float64)
    duration = np.rint(rng.gamma(2.0, np.take(MEAN_DURATION_S, variant) / 2.0))
    turns = rng.poisson(np.take(MEAN_TURNS, variant)).astype(np.float64)
    return np.stack([variant.astype(np.float64), booked, duration, turns])


def unit_values(first: int, stop: int) -> np.ndarray:
    """Generated data of units ``first`` to ``stop - 1``: shape (4, stop - first), rows as ``_draw_block``."""
    parts = []
    for block in range(first // BLOCK_UNITS, (stop - 1) // BLOCK_UNITS + 1):
        base = block * BLOCK_UNITS
        parts.append(_draw_block(block)[:, max(first, base) - base : min(stop, base + BLOCK_UNITS) - base])
    return np.concatenate(parts, axis=1)


def unit_id(index: int) -> str:
    return f"+1415{index:07d}"


def result_masks(first_unit: int, stop_unit: int, r0: int, r1: int) -> list[np.ndarray]:
    """Per metric, which of these units' results fall in results ``r0`` to ``r1 - 1``."""
    units = np.arange(first_unit, stop_unit)
    return [(3 * units + m >= r0) & (3 * units + m < r1) for m in range(len(METRICS))]


Sums = dict[tuple[str, str], tuple[int, float, float]]


def expected_sums(values: np.ndarray, variants: np.ndarray, masks: list[np.ndarray]) -> Sums:
    """What ``record_result`` adds for these results (one result per unit and metric), and the ``$units``
    a unit adds when its first result (``booked``) arrives."""
    sums: Sums = {}
    for v, key in enumerate(VARIANT_KEYS):
        in_variant = variants == v
        sums[(key, UNITS)] = (int(np.count_nonzero(masks[0] & in_variant)), 0.0, 0.0)
        for m, metric in enumerate(METRICS):
            chosen = values[1 + m][masks[m] & in_variant]
            sums[(key, metric)] = (int(chosen.size), float(chosen.sum()), float(np.square(chosen).sum()))
    return sums


def bulk_batches(
    r0: int, r1: int, tenant_id: str, experiment_id: str, recorded_at: Any, with_units: bool
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], Sums]]:
    """Rows of results ``r0`` to ``r1 - 1`` (and their unit rows) in batches, with each batch's sums."""
    first, stop = r0 // 3, -(-r1 // 3)
    for b0 in range(first, stop, BLOCK_UNITS):
        b1 = min(stop, b0 + BLOCK_UNITS)
        values = unit_values(b0, b1)
        variants = values[0].astype(np.int64)
        masks = result_masks(b0, b1, r0, r1)
        ids = [unit_id(i) for i in range(b0, b1)]
        keys = [VARIANT_KEYS[v] for v in variants.tolist()]
        results: list[tuple[Any, ...]] = []
        units: list[tuple[Any, ...]] = []
        for m, metric in enumerate(METRICS):
            chosen = np.nonzero(masks[m])[0]
            numbers = (3 * (chosen + b0) + m).tolist()
            observed = values[1 + m][chosen].tolist()
            for j, number, value in zip(chosen.tolist(), numbers, observed, strict=True):
                results.append(
                    (
                        f"{experiment_id[:8]}-0000-4000-8000-{number:012x}",
                        tenant_id,
                        experiment_id,
                        ids[j],
                        keys[j],
                        metric,
                        value,
                        None,
                        recorded_at,
                    )
                )
            if with_units:
                units.extend(
                    (experiment_id, ids[j], metric, keys[j], value, 1, value, value)
                    for j, value in zip(chosen.tolist(), observed, strict=True)
                )
        yield results, units, expected_sums(values, variants, masks)


# --- One database -----------------------------------------------------------------------------------------


@dataclass
class Step:
    results: int  # results recorded so far
    rows: int  # the experiment's rows in experiment_results, counted
    load_s: float  # time to bring the experiment from the previous step to this one
    analysis: Figures
    reference: Figures  # the 10^3-result reference experiment, timed alternately with it


async def stored_assignment(
    factory: async_sessionmaker[AsyncSession], experiment: Experiment, units: list[str]
) -> Figures:
    """``assign_unit`` plus a commit per unit, each in its own session, as a call's first webhook."""
    latencies: list[float] = []
    started = time.perf_counter()
    for index, unit in enumerate(units):
        began = time.perf_counter()
        async with factory() as db:
            await assign_unit(db, experiment, unit, NOW)
            await db.commit()
        if index >= WARMUP:
            latencies.append(time.perf_counter() - began)
        if index == WARMUP - 1:
            started = time.perf_counter()
    return summarise(latencies, time.perf_counter() - started, len(latencies))


async def stats_of(factory: async_sessionmaker[AsyncSession], experiment_id: str) -> Sums:
    async with factory() as db:
        rows = await db.scalars(select(ExperimentStat).where(ExperimentStat.experiment_id == experiment_id))
        return {(r.variant, r.metric): (r.n, r.sum, r.sum_squares) for r in rows}


def add_sums(total: Sums, more: Sums) -> None:
    for key, (n, s, q) in more.items():
        n0, s0, q0 = total.get(key, (0, 0.0, 0.0))
        total[key] = (n0 + n, s0 + s, q0 + q)


def check_sums(label: str, stored: Sums, expected: Sums) -> None:
    """The stored running sums must be the sums over the generated values: else the load is wrong."""
    for key in sorted(set(stored) | set(expected)):
        n, s, q = stored.get(key, (0, 0.0, 0.0))
        en, es, eq = expected.get(key, (0, 0.0, 0.0))
        if n != en or not math.isclose(s, es, rel_tol=1e-12) or not math.isclose(q, eq, rel_tol=1e-12):
            raise RuntimeError(f"{label}: running sums of {key} are {(n, s, q)}, expected {(en, es, eq)}")


async def record_real(
    factory: async_sessionmaker[AsyncSession], experiment: Experiment, count: int
) -> tuple[Figures, Sums]:
    """Results 0 to ``count - 1`` through ``assign_unit`` and ``record_result``, as a live call records them.

    Units are assigned first (untimed, one commit each); then each unit's call records its metrics
    and commits in its own session, timed per call. Returns the per-call figures and the sums expected.
    """
    stop = -(-count // 3)
    values = unit_values(0, stop)
    assignments: list[ExperimentAssignment] = []
    for index in range(stop):
        async with factory() as db:
            assignment, _bucket = await assign_unit(db, experiment, unit_id(index), NOW)
            await db.commit()
        assert assignment is not None  # coverage is 1
        assignments.append(assignment)
    hashed = np.array([VARIANT_KEYS.index(a.variant) for a in assignments], dtype=np.int64)
    masks = result_masks(0, stop, 0, count)
    latencies: list[float] = []
    started = time.perf_counter()
    for index, assignment in enumerate(assignments):
        began = time.perf_counter()
        async with factory() as db:
            for m, metric in enumerate(METRICS):
                if masks[m][index]:
                    value = float(values[1 + m][index])
                    await record_result(
                        db, experiment, assignment, metric, BUILTIN_METRICS[metric], value, NOW
                    )
            await db.commit()
        latencies.append(time.perf_counter() - began)
    wall = time.perf_counter() - started
    figures = summarise(latencies, wall, len(latencies))
    figures["results_per_s"] = count / wall
    figures["ms_per_result"] = wall / count * 1000
    return figures, expected_sums(values, hashed, masks)


async def bulk_load(
    engine: AsyncEngine,
    factory: async_sessionmaker[AsyncSession],
    experiment: Experiment,
    r0: int,
    r1: int,
    recorded_at: Any,
    with_units: bool,
) -> Sums:
    """Results ``r0`` to ``r1 - 1`` inserted in bulk, their sums added with ``add_to_stat`` (module doc)."""
    sums: Sums = {}
    postgres = engine.dialect.name == "postgresql"
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        results_sql = (
            f"INSERT INTO experiment_results ({', '.join(RESULT_COLUMNS)})"
            f" VALUES ({', '.join('?' for _ in RESULT_COLUMNS)})"
        )
        units_sql = (
            f"INSERT INTO experiment_unit_metrics ({', '.join(UNIT_COLUMNS)})"
            f" VALUES ({', '.join('?' for _ in UNIT_COLUMNS)})"
        )
        batches = bulk_batches(r0, r1, experiment.tenant_id, experiment.id, recorded_at, with_units)
        if postgres:
            async with driver.transaction():
                if await driver.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
                    # Foreign-key triggers off for this transaction, as pg_restore --disable-triggers
                    # does: every row names the one tenant and experiment that exist, and checking
                    # that 10^7 times would be two thirds of the load time.
                    await driver.execute("SET LOCAL session_replication_role = replica")
                for results, units, batch_sums in batches:
                    await driver.copy_records_to_table(
                        "experiment_results", records=results, columns=RESULT_COLUMNS
                    )
                    if units:
                        await driver.copy_records_to_table(
                            "experiment_unit_metrics", records=units, columns=UNIT_COLUMNS
                        )
                    add_sums(sums, batch_sums)
        else:
            for results, units, batch_sums in batches:
                await driver.executemany(results_sql, results)
                if units:
                    await driver.executemany(units_sql, units)
                add_sums(sums, batch_sums)
            await driver.commit()
    async with factory() as db:
        for (variant, metric), (n, total, squares) in sorted(sums.items()):
            await add_to_stat(db, experiment.id, variant, metric, n, total, squares)
        await db.commit()
    if postgres:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            # What autovacuum would start on its own after this many inserts, in the middle of the timing.
            await raw.driver_connection.execute(
                "VACUUM (ANALYZE) experiment_results, experiment_unit_metrics"
            )
            if await raw.driver_connection.fetchval(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ):
                await raw.driver_connection.execute("CHECKPOINT")
    # The load's gigabytes still being written out would otherwise slow the timing that follows.
    await asyncio.to_thread(os.sync)
    return sums


async def time_analysis(
    factory: async_sessionmaker[AsyncSession], experiment_ids: list[str], runs: int
) -> list[Figures]:
    """``build_analysis`` of each experiment ``runs`` times, taking turns (so a machine slower for a
    while slows all of them alike), each in a fresh session with the experiment read in it (untimed)."""
    latencies: list[list[float]] = [[] for _ in experiment_ids]
    for index in range(runs + 3):
        for turn in range(len(experiment_ids)):
            which = (index + turn) % len(experiment_ids)
            async with factory() as db:
                experiment = await db.get(Experiment, experiment_ids[which])
                assert experiment is not None
                began = time.perf_counter()
                analysis = await build_analysis(db, experiment)
                elapsed = time.perf_counter() - began
            if index == 0 and which == 0:
                size = len(msgspec.json.encode(analysis))  # a Struct the API can send as it is
                recommendation = getattr(analysis, "recommendation", "?")
                srm = getattr(analysis, "srm_flagged", "?")
                progress(f"analysis: {size:,} bytes of JSON, recommendation {recommendation}, SRM {srm}")
            if index >= 3:  # the first runs warm caches and the connection pool
                latencies[which].append(elapsed)
    return [summarise(times, sum(times), len(times)) for times in latencies]


async def create_experiment(
    factory: async_sessionmaker[AsyncSession], tenant: Tenant, key: str
) -> Experiment:
    async with factory() as db:
        experiment = Experiment(
            tenant_id=tenant.id,
            key=key,
            name=key.replace("-", " ").capitalize(),
            type="greeting",
            unit="caller",
            status="running",
            variants=VARIANTS,
            primary_metric="booked",
            secondary_metrics=["duration_s", "turns"],
            started_at=NOW,
        )
        db.add(experiment)
        await db.commit()
        return experiment


async def count_results(factory: async_sessionmaker[AsyncSession], experiment_id: str) -> int:
    async with factory() as db:
        statement = select(func.count()).where(ExperimentResult.experiment_id == experiment_id)
        return int(await db.scalar(statement) or 0)


async def run_database(name: str, url: str, options: Options) -> dict[str, Any]:
    await upgrade_database(url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    try:
        async with factory() as db:
            tenant = Tenant(slug="bench", name="Bench Dental", timezone="UTC", languages=["en-US"])
            db.add(tenant)
            await db.commit()

        progress(f"{name}: assign_unit for {options.stored_units} units")
        stored = await create_experiment(factory, tenant, "bench-stored-assignment")
        assigned = await stored_assignment(
            factory, stored, e164_units(options.stored_units + WARMUP, SEED + 1)
        )

        experiment = await create_experiment(factory, tenant, "greeting-warmth")
        first = options.sizes[0]
        progress(f"{name}: {first} results through record_result")
        began = time.perf_counter()
        recorded, expected = await record_real(factory, experiment, first)
        first_load = time.perf_counter() - began
        check_sums(f"{name}, record_result", await stats_of(factory, experiment.id), expected)
        async with engine.connect() as connection:
            recorded_at = (
                await connection.execute(text("SELECT recorded_at FROM experiment_results"))
            ).first()
        assert recorded_at is not None
        # A second experiment that stays at the first size: timed in turns with the growing one at
        # every step, it tells a change with the result count from the machine's own drift.
        reference = await create_experiment(factory, tenant, "reference")
        loaded = await bulk_load(engine, factory, reference, 0, first, recorded_at[0], True)
        check_sums(f"{name}, reference", await stats_of(factory, reference.id), loaded)
        ids = [experiment.id, reference.id]
        rows = await count_results(factory, experiment.id)
        steps = [Step(first, rows, first_load, *await time_analysis(factory, ids, options.analysis_runs))]
        for size in options.sizes[1:]:
            previous = steps[-1].results
            with_units = size <= UNIT_ROWS_UP_TO
            progress(f"{name}: bulk-loading results {previous:,} to {size:,} (unit rows: {with_units})")
            began = time.perf_counter()
            sums = await bulk_load(engine, factory, experiment, previous, size, recorded_at[0], with_units)
            load_s = time.perf_counter() - began
            add_sums(expected, sums)
            check_sums(f"{name}, {size:,} results", await stats_of(factory, experiment.id), expected)
            rows = await count_results(factory, experiment.id)
            progress(f"{name}: {rows:,} rows loaded in {load_s:.1f} s; timing the analysis")
            steps.append(Step(size, rows, load_s, *await time_analysis(factory, ids, options.analysis_runs)))
        return {"assigned": assigned, "recorded": recorded, "steps": steps}
    finally:
        await engine.dispose()


# --- The run ------------------------------------------------------------------------------------------


def _size(n: int) -> str:
    exponent = round(math.log10(n)) if n > 0 else 0
    return f"10^{exponent}" if 10**exponent == n else f"{n:,}"


async def run(options: Options | None = None) -> None:
    options = options or Options()
    started = time.perf_counter()
    progress(f"assignment throughput, {options.assign_units:,} units")
    assignment_throughput(options)

    measured: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-experiments-") as tmp:
        measured.append(
            ("SQLite", await run_database("SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db", options))
        )
    if await postgres_available():
        url = await create_throwaway_postgres("frontdesk_bench_exp")
        try:
            measured.append(("PostgreSQL", await run_database("PostgreSQL", url, options)))
        finally:
            await drop_postgres_database(url)
    else:
        print("\nPostgreSQL not reachable on 127.0.0.1:5432: skipped")

    table(
        "Stored assignment: assign_unit",
        f"{options.stored_units:,} new units one after another, a session and a commit each",
        ["database", "assignments/s", "p50 ms", "p99 ms"],
        [
            [name, f"{f['rps']:.0f}", f"{f['p50_ms']:.2f}", f"{f['p99_ms']:.2f}"]
            for name, figures in measured
            for f in [figures["assigned"]]
        ],
    )
    table(
        "Recording results: record_result",
        f"the first {options.sizes[0]:,} results, {len(METRICS)} per call, a session and a commit per call",
        ["database", "results/s", "ms per result", "p50 ms per call", "p99 ms per call"],
        [
            [
                name,
                f"{f['results_per_s']:.0f}",
                f"{f['ms_per_result']:.2f}",
                f"{f['p50_ms']:.2f}",
                f"{f['p99_ms']:.2f}",
            ]
            for name, figures in measured
            for f in [figures["recorded"]]
        ],
    )
    for name, figures in measured:
        steps: list[Step] = figures["steps"]
        base = steps[0].analysis["p50_ms"]
        table(
            f"{name}: analysis time against recorded results",
            f"build_analysis, {options.analysis_runs} runs per size, a fresh session each, in turns with "
            f"a {options.sizes[0]:,}-result reference experiment whose rows are in the table too",
            [
                "recorded results",
                "its rows in experiment_results",
                "load s",
                "p50 ms",
                "p99 ms",
                f"p50 vs {_size(options.sizes[0])} step",
                "p50 vs reference, same step",
            ],
            [
                [
                    _size(step.results),
                    f"{step.rows:,}",
                    f"{step.load_s:.1f}",
                    f"{step.analysis['p50_ms']:.2f}",
                    f"{step.analysis['p99_ms']:.2f}",
                    f"{step.analysis['p50_ms'] / base:.2f}x",
                    f"{step.analysis['p50_ms'] / step.reference['p50_ms']:.2f}x",
                ]
                for step in steps
            ],
        )
    progress(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    asyncio.run(run())

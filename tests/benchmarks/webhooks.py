"""Webhook delivery throughput: ``frontdesk worker`` processes draining the outbox to a local receiver.

Each run writes ``events`` fresh outbox events (a call.completed-sized payload) for one
subscription, starts the workers, and times them until every delivery has succeeded: fan-out,
claims, signing, the POST and the bookkeeping included. Latency is each attempt's own time (claim
to recorded result). The baseline is the receiver driven directly by one client process with
the same concurrency, in the same run: the ceiling a dispatcher could reach.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.db.base import utcnow
from core.db.engine import create_engine
from core.db.migrate import upgrade_database
from core.runtime import open_services
from core.settings import Settings
from core.tenancy.models import Tenant
from core.webhooks.models import DeliveryAttempt, OutboxEvent, WebhookDelivery, WebhookSubscription
from core.webhooks.signing import new_secret
from tests.benchmarks.harness import ROOT, Figures, free_port, start_server, wait_ready

SECRET_KEY = "bench-secret"
CONCURRENCY = 16


@dataclass
class Options:
    events: int = 2000
    concurrency: int = CONCURRENCY


def sample_data(n: int) -> dict[str, object]:
    transcript = [
        {"role": role, "text": f"line {i} of the conversation about a cleaning", "at": "2026-11-24T15:02:11Z"}
        for i, role in enumerate(["assistant", "caller"] * 6)
    ]
    return {"id": f"call-{n}", "call_sid": f"CA{n:032d}", "outcome": "booked", "transcript": transcript}


async def prepare(database_url: str, receiver: str, events: int) -> None:
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY, auto_migrate=False)
    async with open_services(settings) as services, services.session_factory() as db:
        tenant = await db.scalar(select(Tenant).where(Tenant.slug == "bench"))
        if tenant is None:
            tenant = Tenant(slug="bench", name="Bench", timezone="UTC")
            db.add(tenant)
            await db.flush()
            db.add(
                WebhookSubscription(
                    tenant_id=tenant.id,
                    target_url=f"{receiver}/hook",
                    event="call.completed",
                    secret=services.secret_box.encrypt(new_secret()),
                    created_at=datetime(2020, 1, 1, tzinfo=UTC),
                )
            )
        now = utcnow()
        db.add_all(
            OutboxEvent(tenant_id=tenant.id, type="call.completed", data=sample_data(n), occurred_at=now)
            for n in range(events)
        )
        await db.commit()


async def counts(engine: AsyncEngine) -> tuple[int, int]:
    async with AsyncSession(engine) as db:
        undispatched = await db.scalar(select(func.count()).where(OutboxEvent.dispatched_at.is_(None)))
        unfinished = await db.scalar(select(func.count()).where(WebhookDelivery.status != "succeeded"))
        return int(undispatched or 0), int(unfinished or 0)


async def attempt_latencies(engine: AsyncEngine, since: datetime) -> list[float]:
    async with AsyncSession(engine) as db:
        rows = await db.execute(
            select(DeliveryAttempt.started_at, DeliveryAttempt.finished_at).where(
                DeliveryAttempt.started_at >= since, DeliveryAttempt.finished_at.is_not(None)
            )
        )
        return [(finished - started).total_seconds() for started, finished in rows]


def start_workers(
    database_url: str, count: int, concurrency: int, workdir: Path
) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "FRONTDESK_DATABASE_URL": database_url,
        "FRONTDESK_SECRET_KEY": SECRET_KEY,
        "FRONTDESK_AUTO_MIGRATE": "0",
        "FRONTDESK_WEBHOOKS_ALLOW_PRIVATE": "1",
        "FRONTDESK_WEBHOOK_POLL_S": "0.05",
        "FRONTDESK_WEBHOOK_CONCURRENCY": str(concurrency),
        "FRONTDESK_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "core.cli", "worker"]
    return [subprocess.Popen(command, cwd=workdir, env=env) for _ in range(count)]


async def run_workers(
    database_url: str, receiver: str, workers: int, options: Options, workdir: Path
) -> Figures:
    await prepare(database_url, receiver, options.events)
    engine = create_engine(database_url)
    running = start_workers(database_url, workers, options.concurrency, workdir)
    started_at, started = utcnow(), time.perf_counter()
    try:
        while True:
            undispatched, unfinished = await counts(engine)
            if undispatched == 0 and unfinished == 0:
                break
            if time.perf_counter() - started > 600:
                raise RuntimeError(
                    f"deliveries did not finish: {undispatched} events, {unfinished} deliveries left"
                )
            await asyncio.sleep(0.2)
        wall = time.perf_counter() - started
        latencies = sorted(await attempt_latencies(engine, started_at))
    finally:
        for process in running:
            process.terminate()
        for process in running:
            process.wait(timeout=30)
        await engine.dispose()
    return {
        "rps": options.events / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
    }


async def run_baseline(receiver: str, options: Options) -> Figures:
    """The receiver driven directly: signed-size JSON POSTs from one process, same concurrency."""
    body = httpx.Request("POST", receiver, json={"type": "call.completed", "data": sample_data(0)}).read()
    latencies: list[float] = []
    counter = iter(range(options.events))
    limits = httpx.Limits(max_connections=options.concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:

        async def one() -> None:
            for _ in counter:
                begun = time.perf_counter()
                response = await http.post(
                    f"{receiver}/hook", content=body, headers={"content-type": "application/json"}
                )
                response.raise_for_status()
                latencies.append(time.perf_counter() - begun)

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(options.concurrency)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": options.events / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
    }


async def run(database_urls: list[tuple[str, str]], options: Options) -> list[tuple[str, Figures]]:
    """The baseline, then one worker per backend and two workers on PostgreSQL."""
    workdir = Path(tempfile.mkdtemp(prefix="frontdesk-bench-hooks-"))
    port = free_port()
    receiver_process = start_server("tests.benchmarks.receiver_app:create_app", port, {**os.environ}, ROOT)
    receiver = f"http://127.0.0.1:{port}"
    results: list[tuple[str, Figures]] = []
    try:
        await wait_ready(f"{receiver}/count")
        results.append(("receiver driven directly (baseline)", await run_baseline(receiver, options)))
        for name, url in database_urls:
            await upgrade_database(url)
            worker_counts = (1, 2) if name == "PostgreSQL" else (1,)
            for workers in worker_counts:
                figures = await run_workers(url, receiver, workers, options, workdir)
                label = (
                    f"{name}: {workers} worker{'s' if workers > 1 else ''} x {options.concurrency} in flight"
                )
                results.append((label, figures))
    finally:
        receiver_process.terminate()
        receiver_process.wait(timeout=10)
    return results


def report(results: list[tuple[str, Figures]], options: Options) -> None:
    baseline = results[0][1]
    note = f"{options.events} events per row, {options.concurrency} in flight per worker"
    print(f"\n## Webhook delivery ({note})\n")
    print("| scenario | deliveries/s | share of baseline | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, figures in results:
        share = figures["rps"] / baseline["rps"]
        rps, p50, p99 = figures["rps"], figures["p50_ms"], figures["p99_ms"]
        print(f"| {label} | {rps:.0f} | {share:.0%} | {p50:.2f} | {p99:.2f} |")

"""Shared benchmark machinery: Frontdesk and a bare Litestar baseline as subprocesses on loopback.

Both servers run under uvicorn the way ``frontdesk serve`` runs (core.ops.server), with the same
number of worker processes (one unless ``--workers``); one client process drives them.
Client and servers share this machine's cores, so compare ratios within a run, not absolutes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ADMIN_KEY = "fd_bench_admin_key"
TWILIO_TOKEN = "bench-twilio-token"

Figures = dict[str, float]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    factory: str, port: int, env: dict[str, str], cwd: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """``factory`` served as ``frontdesk serve`` serves Frontdesk (core.ops.server), ``workers`` processes."""
    command = [
        sys.executable,
        "-m",
        "core.ops.server",
        factory,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    return subprocess.Popen(command, cwd=cwd, env=env)


async def wait_ready(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


@dataclass
class Servers:
    app: str  # Frontdesk's base URL
    baseline: str  # the bare Litestar app's base URL


def server_env(database_url: str, app_port: int, **extra: str) -> dict[str, str]:
    """The environment a benchmark's Frontdesk server runs with (``extra``: more FRONTDESK_* values)."""
    return {
        **os.environ,
        "FRONTDESK_DATABASE_URL": database_url,
        "FRONTDESK_ADMIN_API_KEY": ADMIN_KEY,
        "FRONTDESK_LOG_LEVEL": "WARNING",
        "FRONTDESK_SECRET_KEY": "bench-secret",
        "FRONTDESK_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "FRONTDESK_PUBLIC_URL": f"http://127.0.0.1:{app_port}",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


async def migrate(env: dict[str, str], workdir: Path) -> None:
    """Bring a PostgreSQL database to the newest revision (SQLite servers migrate themselves)."""
    if not env["FRONTDESK_DATABASE_URL"].startswith("sqlite"):
        command = [sys.executable, "-m", "core.cli", "db", "upgrade"]
        await asyncio.to_thread(
            subprocess.run, command, env=env, check=True, cwd=workdir, stdout=subprocess.DEVNULL
        )


@asynccontextmanager
async def servers(database_url: str, workers: int = 1) -> AsyncIterator[Servers]:
    """Frontdesk (demo tenants applied) and the baseline app, on fresh ports, stopped afterwards;
    each runs ``workers`` server processes."""
    workdir = Path(tempfile.mkdtemp(prefix="frontdesk-bench-"))
    app_port, base_port = free_port(), free_port()
    env = server_env(database_url, app_port, FRONTDESK_TENANTS_DIR=str(ROOT / "tenants"))
    await migrate(env, workdir)
    running = [
        start_server("core.app:create_app", app_port, env, workdir, workers),
        start_server("tests.benchmarks.baseline_app:create_app", base_port, env, workdir, workers),
    ]
    try:
        await wait_ready(f"http://127.0.0.1:{app_port}/health")
        await wait_ready(f"http://127.0.0.1:{base_port}/fixed")
        yield Servers(app=f"http://127.0.0.1:{app_port}", baseline=f"http://127.0.0.1:{base_port}")
    finally:
        for server in running:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def summarise(latencies: list[float], wall: float, count: int) -> Figures:
    ordered = sorted(latencies)
    return {
        "rps": count / wall,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
    }


async def measure(
    send: Callable[[int], Awaitable[httpx.Response]], requests: int, concurrency: int, warmup: int = 50
) -> Figures:
    """``requests`` calls of ``send`` from ``concurrency`` workers; any 4xx/5xx stops the run."""
    latencies: list[float] = []
    counter = iter(range(requests))

    async def worker() -> None:
        for index in counter:
            started = time.perf_counter()
            response = await send(index)
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 400:
                raise RuntimeError(f"benchmark request failed: {response.status_code} {response.text[:200]}")

    for index in range(min(warmup, requests)):
        await send(-1 - index)
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return summarise(latencies, time.perf_counter() - started, requests)


def report(title: str, results: list[tuple[str, Figures]], note: str) -> None:
    baseline = results[0][1]
    print(f"\n## {title} ({note})\n")
    print("| scenario | req/s | p50 ms | p99 ms | p50 vs baseline |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, figures in results:
        ratio = figures["p50_ms"] / baseline["p50_ms"]
        rps, p50, p99 = figures["rps"], figures["p50_ms"], figures["p99_ms"]
        print(f"| {label} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {ratio:.1f}x |")

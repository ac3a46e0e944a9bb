"""``make bench``: admin API latency and throughput against a bare Litestar baseline, same run, same setup.

Both servers run as uvicorn subprocesses on loopback (one worker each); one client process drives
them with a fixed concurrency. Client and servers share this machine's cores, so figures are for
comparison within a run, not absolute capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from db_support import create_throwaway_postgres, drop_postgres_database, postgres_available  # noqa: E402

ADMIN_KEY = "fd_bench_admin_key"
TENANT = "bright-smile-dental"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        factory,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, cwd=env.get("BENCH_CWD", ROOT), env=env)


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


async def measure(
    client: httpx.AsyncClient,
    send: Callable[[httpx.AsyncClient, int], object],
    requests: int,
    concurrency: int,
) -> dict[str, float]:
    latencies: list[float] = []
    counter = iter(range(requests))

    async def worker() -> None:
        for index in counter:
            started = time.perf_counter()
            response = await send(client, index)  # type: ignore[misc]
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 400:
                raise RuntimeError(f"benchmark request failed: {response.status_code} {response.text[:200]}")

    for _ in range(min(50, requests)):  # warm-up: connections, caches, JIT-free but pool-filled
        await send(client, 0)  # type: ignore[misc]
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": requests / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def run_backend(
    name: str, database_url: str, requests: int, concurrency: int
) -> list[tuple[str, dict]]:
    workdir = Path(tempfile.mkdtemp(prefix="frontdesk-bench-"))
    env = {
        **os.environ,
        "FRONTDESK_DATABASE_URL": database_url,
        "FRONTDESK_ADMIN_API_KEY": ADMIN_KEY,
        "FRONTDESK_TENANTS_DIR": str(ROOT / "tenants"),
        "FRONTDESK_LOG_LEVEL": "WARNING",
        "FRONTDESK_SECRET_KEY": "bench-secret",
        "BENCH_CWD": str(workdir),
    }
    if not database_url.startswith("sqlite"):
        await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "core.cli", "db", "upgrade"],
            env=env,
            check=True,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
        )
    app_port, base_port = free_port(), free_port()
    servers = [
        start_server("core.app:create_app", app_port, env),
        start_server("tests.benchmarks.baseline_app:create_app", base_port, {**env, "PYTHONPATH": str(ROOT)}),
    ]
    try:
        await wait_ready(f"http://127.0.0.1:{app_port}/health")
        await wait_ready(f"http://127.0.0.1:{base_port}/fixed")
        auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
        app = f"http://127.0.0.1:{app_port}"
        scenarios: list[tuple[str, Callable]] = [
            ("baseline: bare Litestar GET /fixed", lambda c, i: c.get(f"http://127.0.0.1:{base_port}/fixed")),
            ("GET /health (database round trip)", lambda c, i: c.get(f"{app}/health")),
            (
                "GET tenant (auth + casbin + read)",
                lambda c, i: c.get(f"{app}/api/v1/tenants/{TENANT}", headers=auth),
            ),
            (
                "GET knowledge page (50 entries max)",
                lambda c, i: c.get(f"{app}/api/v1/tenants/{TENANT}/knowledge", headers=auth),
            ),
            (
                "PUT plugin config (validate + write + audit)",
                lambda c, i: c.put(
                    f"{app}/api/v1/tenants/{TENANT}/plugins/screening",
                    headers=auth,
                    json={"config": {"blocklist": [f"+1555000{i % 10000:04d}"]}},
                ),
            ),
        ]
        results = []
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            for label, send in scenarios:
                results.append((label, await measure(client, send, requests, concurrency)))
        return results
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def report(backend: str, results: list[tuple[str, dict]], requests: int, concurrency: int) -> None:
    baseline = results[0][1]
    print(f"\n## {backend} ({requests} requests per row, concurrency {concurrency})\n")
    print("| scenario | req/s | p50 ms | p99 ms | p50 vs baseline |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, figures in results:
        ratio = figures["p50_ms"] / baseline["p50_ms"]
        rps, p50, p99 = figures["rps"], figures["p50_ms"], figures["p99_ms"]
        print(f"| {label} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {ratio:.1f}x |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite+aiosqlite:///{tmp}/bench.db"
        report(
            "SQLite",
            await run_backend("sqlite", sqlite, args.requests, args.concurrency),
            args.requests,
            args.concurrency,
        )
    if await postgres_available():
        url = await create_throwaway_postgres("frontdesk_bench")
        try:
            report(
                "PostgreSQL",
                await run_backend("postgres", url, args.requests, args.concurrency),
                args.requests,
                args.concurrency,
            )
        finally:
            await drop_postgres_database(url)
    else:
        print("\nPostgreSQL not reachable on 127.0.0.1:5432: skipped")


if __name__ == "__main__":
    asyncio.run(main())

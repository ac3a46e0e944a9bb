"""``make bench``: Frontdesk's paths against a bare Litestar baseline, on SQLite and PostgreSQL, same run.

``--only calls|admin|experiments|webhooks|relay`` runs one part (repeat the flag for several); the
default runs all.
The experiments part (``tests/benchmarks/experiments.py``) needs no servers and makes its own databases.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from db_support import create_throwaway_postgres, drop_postgres_database, postgres_available  # noqa: E402

from tests.benchmarks import admin_api, call_path, experiments, relay, webhooks  # noqa: E402
from tests.benchmarks.harness import report, servers  # noqa: E402

PARTS = ("calls", "admin", "experiments", "webhooks", "relay")


async def run_backend(name: str, url: str, args: argparse.Namespace) -> None:
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    workers = f", {args.workers} server workers" if args.workers > 1 else ""
    async with (
        servers(url, args.workers) as running,
        httpx.AsyncClient(limits=limits, timeout=30) as http,
    ):
        if "calls" in args.only:
            calls = await call_path.run(http, running, args.calls, args.concurrency)
            report(
                f"{name}: call path",
                calls,
                f"{args.calls} calls of 4 webhooks, concurrency {args.concurrency}{workers}",
            )
        if "admin" in args.only:
            admin = await admin_api.run(http, running, args.requests, args.concurrency)
            report(
                f"{name}: admin API",
                admin,
                f"{args.requests} requests per row, concurrency {args.concurrency}",
            )


async def run_servers(args: argparse.Namespace) -> None:
    """The call path and the admin API, against servers on SQLite and then on PostgreSQL."""
    with tempfile.TemporaryDirectory() as tmp:
        await run_backend("SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db", args)
    if await postgres_available():
        url = await create_throwaway_postgres("frontdesk_bench")
        try:
            await run_backend("PostgreSQL", url, args)
        finally:
            await drop_postgres_database(url)
    else:
        print("\nPostgreSQL not reachable on 127.0.0.1:5432: skipped")


async def run_webhooks(options: webhooks.Options) -> None:
    """Workers draining the outbox: one on SQLite, one and two on PostgreSQL."""
    with tempfile.TemporaryDirectory() as tmp:
        urls = [("SQLite", f"sqlite+aiosqlite:///{tmp}/hooks.db")]
        postgres = (
            await create_throwaway_postgres("frontdesk_bench_hooks") if await postgres_available() else None
        )
        if postgres:
            urls.append(("PostgreSQL", postgres))
        try:
            webhooks.report(await webhooks.run(urls, options), options)
        finally:
            if postgres:
                await drop_postgres_database(postgres)


async def run_relay(options: relay.Options) -> None:
    """ConversationRelay sessions against one server, on SQLite and then on PostgreSQL."""
    with tempfile.TemporaryDirectory() as tmp:
        relay.report("SQLite", await relay.run(f"sqlite+aiosqlite:///{tmp}/relay.db", options), options)
    if await postgres_available():
        url = await create_throwaway_postgres("frontdesk_bench_relay")
        try:
            relay.report("PostgreSQL", await relay.run(url, options), options)
        finally:
            await drop_postgres_database(url)
    else:
        print("\nPostgreSQL not reachable on 127.0.0.1:5432: relay skipped")


def sizes(text: str) -> tuple[int, ...]:
    """``1e3,1e5,1e7`` (or ``1000,100000``) as ascending integers."""
    values = tuple(int(float(part)) for part in text.split(","))
    if list(values) != sorted(set(values)) or values[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive and ascending")
    return values


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes for Frontdesk and for the baseline alike"
    )
    parser.add_argument("--only", action="append", choices=PARTS, help="run only this part (repeatable)")
    defaults = experiments.Options()
    parser.add_argument("--assign-units", type=int, default=defaults.assign_units)
    parser.add_argument("--stored-units", type=int, default=defaults.stored_units)
    parser.add_argument(
        "--result-sizes", type=sizes, default=defaults.sizes, help="recorded results (default 1e3,1e5,1e7)"
    )
    parser.add_argument("--analysis-runs", type=int, default=defaults.analysis_runs)
    parser.add_argument(
        "--events", type=int, default=webhooks.Options().events, help="webhook events per row"
    )
    parser.add_argument(
        "--relay-sessions",
        type=sizes,
        default=relay.Options().levels,
        help="concurrent relay sessions per level (default 1,10,50,100,200)",
    )
    args = parser.parse_args()
    args.only = args.only or list(PARTS)
    if "calls" in args.only or "admin" in args.only:
        await run_servers(args)
    if "experiments" in args.only:
        options = experiments.Options(
            assign_units=args.assign_units,
            stored_units=args.stored_units,
            sizes=args.result_sizes,
            analysis_runs=args.analysis_runs,
        )
        await experiments.run(options)
    if "webhooks" in args.only:
        await run_webhooks(webhooks.Options(events=args.events))
    if "relay" in args.only:
        await run_relay(relay.Options(levels=args.relay_sessions))


if __name__ == "__main__":
    asyncio.run(main())

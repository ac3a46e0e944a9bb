"""``make bench``: Frontdesk's paths against a bare Litestar baseline, on SQLite and PostgreSQL, same run."""

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

from tests.benchmarks import admin_api, call_path  # noqa: E402
from tests.benchmarks.harness import report, servers  # noqa: E402


async def run_backend(name: str, url: str, args: argparse.Namespace) -> None:
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with servers(url) as running, httpx.AsyncClient(limits=limits, timeout=30) as http:
        calls = await call_path.run(http, running, args.calls, args.concurrency)
        report(
            f"{name}: call path", calls, f"{args.calls} calls of 4 webhooks, concurrency {args.concurrency}"
        )
        admin = await admin_api.run(http, running, args.requests, args.concurrency)
        report(
            f"{name}: admin API", admin, f"{args.requests} requests per row, concurrency {args.concurrency}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
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


if __name__ == "__main__":
    asyncio.run(main())

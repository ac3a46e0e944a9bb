"""The admin API's authenticated read and write paths against the bare baseline."""

from __future__ import annotations

import httpx

from tests.benchmarks.harness import ADMIN_KEY, Figures, Servers, measure

TENANT = "bright-smile-dental"


async def run(
    http: httpx.AsyncClient, servers: Servers, requests: int, concurrency: int
) -> list[tuple[str, Figures]]:
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    app = servers.app
    scenarios = [
        ("baseline: bare Litestar GET /fixed", lambda i: http.get(f"{servers.baseline}/fixed")),
        ("GET /health (database round trip)", lambda i: http.get(f"{app}/health")),
        (
            "GET tenant (auth + casbin + read)",
            lambda i: http.get(f"{app}/api/v1/tenants/{TENANT}", headers=auth),
        ),
        (
            "GET knowledge page (50 entries max)",
            lambda i: http.get(f"{app}/api/v1/tenants/{TENANT}/knowledge", headers=auth),
        ),
        (
            "PUT plugin config (validate + write + audit)",
            lambda i: http.put(
                f"{app}/api/v1/tenants/{TENANT}/plugins/screening",
                headers=auth,
                json={"config": {"blocklist": [f"+1555000{abs(i) % 10000:04d}"]}},
            ),
        ),
    ]
    return [(label, await measure(send, requests, concurrency)) for label, send in scenarios]

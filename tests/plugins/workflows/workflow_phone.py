"""A tenant on the phone with an industry workflow installed, and Twilio's side of the wire to call it.

Imported by the workflow tests (``from tests.plugins.workflows.workflow_phone import workflow_line``).
The line runs the real app with only the built-in plugins (the offline model answers), signs
every webhook as Twilio does, and captures the texts the tenant sends through Twilio's Messages
API in ``sent``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import httpx
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

ACCOUNT = "AC" + "7" * 32
ALL_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
# Every day listed with no hours: the business is always closed.
NEVER_OPEN: dict[str, list[list[str]]] = {"mon": []}


def twilio_messages_api(sent: list[dict[str, str]]) -> httpx.MockTransport:
    """Twilio's Messages endpoint as it answers a create: 201 with the message resource."""

    def handle(request: httpx.Request) -> httpx.Response:
        form = {key: values[0] for key, values in parse_qs(request.content.decode()).items()}
        sent.append({"url": str(request.url), **form})
        resource = {"sid": "SM" + "9" * 32, "status": "queued", "to": form["To"], "from": form["From"]}
        return httpx.Response(201, json={**resource, "body": form["Body"]})

    return httpx.MockTransport(handle)


def morning_zone(now: datetime | None = None) -> tuple[str, date]:
    """A fixed-offset timezone where it is between 9 and 10 in the morning now, and its date today.

    Same-day slots depend on the real clock; in this zone the rest of the day is always ahead.
    """
    now = now or datetime.now(UTC)
    offset = (9 - now.hour) % 24
    offset = offset - 24 if offset > 14 else offset
    name = "Etc/UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"
    return name, now.astimezone(ZoneInfo(name)).date()


@asynccontextmanager
async def workflow_line(
    make_settings,
    plugins: dict[str, dict[str, Any]],
    *,
    business: dict[str, Any] | None = None,
    timezone: str | None = None,
) -> AsyncIterator[SimpleNamespace]:
    """Acme's line with ``plugins`` installed (each with its config), on its own Twilio account."""
    sent: list[dict[str, str]] = []
    app = create_app(
        phone_settings(make_settings, turn_budget_s=5.0),
        outbound_http=httpx.AsyncClient(transport=twilio_messages_api(sent)),
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, plugins)
        patch: dict[str, Any] = {"twilio_account_sid": ACCOUNT, "business": business or {"hours": ALL_DAY}}
        if timezone is not None:
            patch["timezone"] = timezone
        assert (await client.patch("/api/v1/tenants/acme", json=patch)).status_code == 200
        yield SimpleNamespace(
            client=client,
            twilio=twilio,
            sent=sent,
            call=lambda caller=CALLER: SimulatedCall(twilio, caller, NUMBER),
        )


async def leads(client: AsyncTestClient) -> list[dict[str, Any]]:
    return (await client.get("/api/v1/tenants/acme/leads")).json()["items"]


async def lead_of(client: AsyncTestClient) -> dict[str, Any]:
    """The one lead the tenant has, with only what the tests compare."""
    (lead,) = await leads(client)
    return {key: lead[key] for key in ("name", "phone", "intent", "workflow", "fields", "score")}


async def call_detail(client: AsyncTestClient, call_sid: str) -> dict[str, Any]:
    return (await client.get(f"/api/v1/tenants/acme/calls/{call_sid}")).json()


def local_clock(iso: str, timezone: str) -> tuple[date, str]:
    moment = datetime.fromisoformat(iso).astimezone(ZoneInfo(timezone))
    return moment.date(), moment.strftime("%H:%M")

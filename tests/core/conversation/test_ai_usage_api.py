"""Whole calls through the signed Twilio path with models that report their cost: what the API shows.

The tenant's chain is ``metered_flaky`` (billed, then fails), ``metered_steady`` (answers), and
the offline model: each turn bills two requests, 1200 input and 50 output tokens, $0.01.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace

import pytest
from db_support import fetch_all
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.app import create_app
from core.conversation.usage import month_of, months_up_to
from core.db.base import utcnow
from core.settings import Settings
from core.telephony.simulator import SimulatedCall
from core.webhooks.models import OutboxEvent
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

API = "/api/v1/tenants/acme"


@pytest.fixture
async def metered(make_settings: Callable[..., Settings]) -> AsyncIterator[SimpleNamespace]:
    app = create_app(
        phone_settings(make_settings), extra_plugins=[("metered_llm", load_test_plugin("metered_llm"))]
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"metered_llm": {"cost_usd": 0.005}})
        yield SimpleNamespace(client=client, call=lambda: SimulatedCall(twilio, CALLER, NUMBER))


async def converse(line: SimpleNamespace, *lines: str) -> SimulatedCall:
    call = line.call()
    await call.start()
    for text in lines:
        step = await call.say(text)
        assert step.says == [f"Metered: {text}"]
    await call.hang_up(duration_s=30)
    return call


async def test_call_detail_and_completed_event_carry_the_calls_usage(metered, database_url: str) -> None:
    call = await converse(metered, "do you take my insurance", "and on saturdays")

    detail = (await metered.client.get(f"{API}/calls/{call.call_sid}")).json()
    # Two turns, each: the flaky model read 200 tokens (no price), the steady one 1000 in, 50 out.
    assert detail["usage"] == {"input_tokens": 2400, "output_tokens": 100, "cost_usd": 0.01}
    completed = await fetch_all(database_url, select(OutboxEvent).where(OutboxEvent.type == "call.completed"))
    assert [event.data["usage"] for event in completed] == [detail["usage"]]


async def test_usage_report_shows_the_months_and_the_budget(metered, database_url: str) -> None:
    assert (await metered.client.patch(API, json={"ai_monthly_budget_usd": 0.015})).status_code == 200
    await converse(metered, "hello there")
    report = (await metered.client.get(f"{API}/usage")).json()
    this_month = month_of(utcnow())
    assert report["budget_usd"] == 0.015
    assert [m["month"] for m in report["months"]] == months_up_to(this_month, 6)
    assert report["months"][0] == {
        "month": months_up_to(this_month, 6)[0],
        "requests": 0,
        "input_tokens": 0,
        "output_tokens": 0,
        "cost_usd": 0.0,
        "budget_exceeded_at": None,
    }
    assert report["current"] == {
        "month": this_month,
        "requests": 2,
        "input_tokens": 1200,
        "output_tokens": 50,
        "cost_usd": 0.005,
        "budget_exceeded_at": None,
        "remaining_usd": 0.01,
        "degraded": False,
    }
    assert report["months"][-1] == {
        key: value for key, value in report["current"].items() if key not in ("remaining_usd", "degraded")
    }

    # Two more turns reach the budget ($0.015); the turn after is the offline model's, free.
    call = metered.call()
    await call.start()
    assert [(await call.say(text)).says for text in ("one", "two")] == [["Metered: one"], ["Metered: two"]]
    past_budget = await call.say("three")
    assert past_budget.says and past_budget.says != ["Metered: three"]
    await call.hang_up(duration_s=30)
    current = (await metered.client.get(f"{API}/usage?months=1")).json()["current"]
    assert (current["requests"], current["cost_usd"], current["remaining_usd"], current["degraded"]) == (
        6,
        0.015,
        0.0,
        True,
    )
    assert current["budget_exceeded_at"] is not None
    exceeded = await fetch_all(
        database_url, select(OutboxEvent).where(OutboxEvent.type == "ai.budget_exceeded")
    )
    assert [(e.data["month"], e.data["cost_usd"], e.data["budget_usd"]) for e in exceeded] == [
        (this_month, 0.015, 0.015)
    ]
    # Subscribers can ask for it, and see the real payload as its sample.
    samples = (await metered.client.get(f"{API}/hooks/samples/ai.budget_exceeded")).json()
    assert samples == [exceeded[0].data]

    # Raising the budget puts the tenant back within it at once.
    assert (await metered.client.patch(API, json={"ai_monthly_budget_usd": 1})).status_code == 200
    current = (await metered.client.get(f"{API}/usage")).json()["current"]
    assert (current["remaining_usd"], current["degraded"]) == (0.985, False)


async def test_a_tenant_without_budget_is_never_degraded(metered) -> None:
    await converse(metered, "hello")
    report = (await metered.client.get(f"{API}/usage?months=2")).json()
    assert report["budget_usd"] is None
    assert len(report["months"]) == 2
    assert (
        report["current"]["cost_usd"],
        report["current"]["remaining_usd"],
        report["current"]["degraded"],
    ) == (
        0.005,
        None,
        False,
    )


@pytest.mark.parametrize("months", ["0", "37", "many"])
async def test_months_out_of_range_is_400_naming_it(metered, months: str) -> None:
    response = await metered.client.get(f"{API}/usage?months={months}")
    assert response.status_code == 400, response.text
    assert [item["key"] for item in response.json()["extra"]] == ["months"]

"""Metering model usage: per call, per tenant month, the budget crossed once, and the offline fallback.

These drive ``core.conversation.usage`` with a turn's own database session, on SQLite and
PostgreSQL, the way the turn of a call does; ``test_ai_usage_api.py`` drives whole calls.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from db_support import fetch_all, fetch_one, insert
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.models import AuditEntry
from core.calls.models import Call
from core.conversation.models import AiUsageMonth
from core.conversation.usage import (
    degraded,
    month_of,
    months_up_to,
    record_usage,
    within_budget,
)
from core.db.engine import create_engine, create_session_factory
from core.providers import Usage
from core.tenancy.models import Tenant
from core.webhooks.models import OutboxEvent

NOVEMBER = datetime(2026, 11, 24, 15, 4, 40, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC)


def billed(cost: float | None, input_tokens: int = 1000, output_tokens: int = 50) -> Usage:
    return Usage(
        provider="openai",
        model="gpt-4o-mini",
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=cost,
    )


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[object]:
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def make_tenant(database_url: str, budget: float | None) -> SimpleNamespace:
    """A tenant row, and its id and slug (the row itself is detached once written)."""
    tenant_id = str(uuid.uuid4())
    tenant = Tenant(
        id=tenant_id,
        slug="acme",
        name="Acme Dental",
        timezone="America/Chicago",
        ai_monthly_budget_usd=budget,
    )
    await insert(database_url, tenant)
    return SimpleNamespace(id=tenant_id, slug="acme")


async def make_call(database_url: str, tenant: SimpleNamespace, sid: str) -> None:
    call = Call(
        tenant_id=tenant.id,
        call_sid=sid,
        channel="voice",
        from_number="+15550007777",
        to_number="+15551230001",
        status="in-progress",
        language="en-US",
    )
    await insert(database_url, call)


async def insert_budget(database_url: str, tenant_id: str, budget: float | None) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(Tenant).where(Tenant.id == tenant_id).values(ai_monthly_budget_usd=budget)
            )
    finally:
        await engine.dispose()


async def turn_session(db: AsyncSession, tenant_id: str, call_sid: str, now: datetime) -> SimpleNamespace:
    """What ``record_usage`` and ``within_budget`` read of a call's session, loaded in ``db``."""
    tenant = await db.get(Tenant, tenant_id)
    call = await db.scalar(select(Call).where(Call.call_sid == call_sid))
    # End the read, as a turn does before it writes (SQLite cannot upgrade a stale read to a write).
    await db.commit()
    return SimpleNamespace(db=db, tenant=tenant, call=call, now=now)


async def one_turn(
    sessions, tenant: SimpleNamespace, call_sid: str, usage: list[Usage], now: datetime = NOVEMBER
):
    async with sessions() as db:
        session = await turn_session(db, tenant.id, call_sid, now)
        await record_usage(session, usage)
        await db.commit()


async def test_usage_is_summed_on_the_call_and_the_month(database_url: str, sessions) -> None:
    tenant = await make_tenant(database_url, budget=None)
    await make_call(database_url, tenant, "CA-one")
    await make_call(database_url, tenant, "CA-two")
    # Turn 1: a provider failed after reading the prompt (no price table), the next answered.
    await one_turn(sessions, tenant, "CA-one", [billed(None, 200, 0), billed(0.0125, 1200, 80)])
    await one_turn(sessions, tenant, "CA-one", [billed(0.0075, 900, 40)])
    await one_turn(sessions, tenant, "CA-two", [billed(0.02, 2000, 100)])
    # December is a new month for the same tenant.
    await one_turn(sessions, tenant, "CA-two", [billed(0.5, 10, 1)], now=DECEMBER)

    one = await fetch_one(database_url, select(Call).where(Call.call_sid == "CA-one"))
    assert (one.llm_input_tokens, one.llm_output_tokens) == (2300, 120)
    assert one.llm_cost_usd == pytest.approx(0.02)
    two = await fetch_one(database_url, select(Call).where(Call.call_sid == "CA-two"))
    assert (two.llm_input_tokens, two.llm_output_tokens, two.llm_cost_usd) == (2010, 101, pytest.approx(0.52))

    months = await fetch_all(database_url, select(AiUsageMonth).order_by(AiUsageMonth.month))
    assert [(m.month, m.requests, m.input_tokens, m.output_tokens) for m in months] == [
        ("2026-11", 4, 4300, 220),
        ("2026-12", 1, 10, 1),
    ]
    assert [m.cost_usd for m in months] == [pytest.approx(0.04), pytest.approx(0.5)]
    assert [m.budget_exceeded_at for m in months] == [None, None]
    assert await fetch_all(database_url, select(OutboxEvent)) == []


async def test_no_usage_writes_nothing(database_url: str, sessions) -> None:
    tenant = await make_tenant(database_url, budget=0.0)
    await make_call(database_url, tenant, "CA-offline")
    await one_turn(sessions, tenant, "CA-offline", [])
    assert await fetch_all(database_url, select(AiUsageMonth)) == []
    assert await fetch_all(database_url, select(OutboxEvent)) == []


async def test_crossing_the_budget_marks_the_month_and_tells_the_owner_once(
    database_url: str, sessions
) -> None:
    tenant = await make_tenant(database_url, budget=0.025)
    await make_call(database_url, tenant, "CA-budget")

    async def allowed(now: datetime = NOVEMBER) -> bool:
        async with sessions() as db:
            return await within_budget(await turn_session(db, tenant.id, "CA-budget", now))

    assert await allowed()
    await one_turn(sessions, tenant, "CA-budget", [billed(0.01)])
    await one_turn(sessions, tenant, "CA-budget", [billed(0.01)])
    assert await allowed()
    assert await fetch_all(database_url, select(OutboxEvent)) == []

    crossed_at = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    await one_turn(sessions, tenant, "CA-budget", [billed(0.01)], now=crossed_at)  # 0.03 >= 0.025
    await one_turn(sessions, tenant, "CA-budget", [billed(0.01)], now=datetime(2026, 11, 26, tzinfo=UTC))
    assert not await allowed()
    # A new month starts within budget again.
    assert await allowed(DECEMBER)

    month = await fetch_one(database_url, select(AiUsageMonth))
    assert month.budget_exceeded_at == crossed_at
    assert month.cost_usd == pytest.approx(0.04)
    events = await fetch_all(database_url, select(OutboxEvent))
    assert [(e.type, e.tenant_id, e.occurred_at) for e in events] == [
        ("ai.budget_exceeded", tenant.id, crossed_at)
    ]
    data = events[0].data
    assert data == {
        "id": "acme:2026-11",
        "tenant": "acme",
        "month": "2026-11",
        "budget_usd": 0.025,
        "cost_usd": pytest.approx(0.03),
        "requests": 3,
        "input_tokens": 3000,
        "output_tokens": 150,
        "exceeded_at": "2026-11-25T09:30:00Z",
        "call_sid": "CA-budget",
        "fallback": "offline",
    }
    audit = await fetch_all(database_url, select(AuditEntry))
    assert [(a.action, a.actor, a.object_type, a.object_id, a.tenant_id) for a in audit] == [
        ("ai.budget_exceeded", "system", "ai_usage_month", "2026-11", tenant.id)
    ]
    assert audit[0].detail["call_sid"] == "CA-budget"


async def test_a_budget_lowered_below_the_spend_degrades_and_tells_the_owner_once(
    database_url: str, sessions
) -> None:
    tenant = await make_tenant(database_url, budget=None)
    await make_call(database_url, tenant, "CA-lowered")
    await one_turn(sessions, tenant, "CA-lowered", [billed(0.3)])
    await insert_budget(database_url, tenant.id, 0.25)
    lowered_seen_at = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    for _ in range(2):  # two turns find the tenant over budget; only the first tells the owner
        async with sessions() as db:
            assert not await within_budget(await turn_session(db, tenant.id, "CA-lowered", lowered_seen_at))
            await db.commit()

    assert (await fetch_one(database_url, select(AiUsageMonth))).budget_exceeded_at == lowered_seen_at
    events = await fetch_all(database_url, select(OutboxEvent))
    assert [(e.type, e.data["cost_usd"], e.data["budget_usd"]) for e in events] == [
        ("ai.budget_exceeded", 0.3, 0.25)
    ]
    assert len(await fetch_all(database_url, select(AuditEntry))) == 1


async def test_a_budget_of_zero_keeps_the_tenant_on_the_offline_model(database_url: str, sessions) -> None:
    tenant = await make_tenant(database_url, budget=0.0)
    await make_call(database_url, tenant, "CA-zero")
    async with sessions() as db:
        assert not await within_budget(await turn_session(db, tenant.id, "CA-zero", NOVEMBER))


async def test_unpriced_requests_under_a_zero_budget_are_not_news(database_url: str, sessions) -> None:
    tenant = await make_tenant(database_url, budget=0.0)
    await make_call(database_url, tenant, "CA-unpriced")
    await one_turn(sessions, tenant, "CA-unpriced", [billed(None)])
    async with sessions() as db:
        assert not await within_budget(await turn_session(db, tenant.id, "CA-unpriced", NOVEMBER))
        await db.commit()
    month = await fetch_one(database_url, select(AiUsageMonth))
    assert (month.requests, month.budget_exceeded_at) == (1, None)
    assert await fetch_all(database_url, select(OutboxEvent)) == []


async def test_no_budget_is_never_exceeded(database_url: str, sessions) -> None:
    tenant = await make_tenant(database_url, budget=None)
    await make_call(database_url, tenant, "CA-free")
    await one_turn(sessions, tenant, "CA-free", [billed(1000.0)])
    async with sessions() as db:
        assert await within_budget(await turn_session(db, tenant.id, "CA-free", NOVEMBER))
    assert (await fetch_one(database_url, select(AiUsageMonth))).budget_exceeded_at is None


async def test_two_workers_adding_to_one_month_at_once_lose_nothing(database_url: str, sessions) -> None:
    """Two calls' turns in flight together: both additions land, and the owner is told once."""
    tenant = await make_tenant(database_url, budget=0.01)
    await make_call(database_url, tenant, "CA-first")
    await make_call(database_url, tenant, "CA-second")
    async with sessions() as first_db, sessions() as second_db:
        first = await turn_session(first_db, tenant.id, "CA-first", NOVEMBER)
        second = await turn_session(second_db, tenant.id, "CA-second", NOVEMBER)
        await record_usage(first, [billed(0.01)])  # crosses; its transaction is still open
        racing = asyncio.create_task(record_usage(second, [billed(0.01, 500, 5)]))
        await asyncio.sleep(0.2)  # let the second write reach the database and wait there
        assert not racing.done()  # the month row is held by the first turn until it commits
        await first_db.commit()
        await racing
        await second_db.commit()

    month = await fetch_one(database_url, select(AiUsageMonth))
    assert (month.requests, month.input_tokens, month.output_tokens) == (2, 1500, 55)
    assert month.cost_usd == pytest.approx(0.02)
    events = await fetch_all(database_url, select(OutboxEvent))
    assert [(e.type, e.data["call_sid"]) for e in events] == [("ai.budget_exceeded", "CA-first")]
    assert len(await fetch_all(database_url, select(AuditEntry))) == 1


def test_degraded_keeps_only_the_offline_model() -> None:
    offline, hosted, backup = object(), object(), object()
    chain = [("openai", hosted), ("anthropic", backup), ("offline", offline)]
    assert degraded(chain) == [("offline", offline)]
    assert degraded([("openai", hosted)]) == []


def test_months_are_utc_calendar_months() -> None:
    # 19:30 on 30 November in Chicago is already December in UTC.
    assert month_of(datetime(2026, 12, 1, 1, 30, tzinfo=UTC)) == "2026-12"
    assert month_of(datetime(2026, 11, 30, 23, 59)) == "2026-11"  # naive: taken as UTC
    assert months_up_to("2027-02", 4) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_up_to("2026-11", 1) == ["2026-11"]

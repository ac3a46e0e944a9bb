"""Token usage and cost of conversation models: per call, per tenant and month, against a budget.

Every model request of a turn (failed providers' and the sentiment judge's included) is added to
the call's row and to the tenant's month row, in the turn's transaction. The month row changes by
one atomic upsert, so workers answering the same tenant's calls at once cannot lose an addition.
The first turn that takes a month's cost to the tenant's ``ai_monthly_budget_usd`` marks the month
and tells the owner (an ``ai.budget_exceeded`` webhook event and an audit entry); while the cost
stays at or over the budget, ``within_budget`` is False and the tenant's calls are answered by the
offline model alone (``degraded``). Months are UTC calendar months.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.services import record_change
from core.authz.principal import SYSTEM_PRINCIPAL
from core.conversation.models import AiUsageMonth
from core.conversation.schemas import CurrentUsage, UsageMonthRead, UsageReport
from core.db.upsert import insert_for
from core.providers import Usage
from core.tenancy.models import Tenant
from core.webhooks.outbox import publish

if TYPE_CHECKING:
    from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

BUDGET_EXCEEDED_EVENT = "ai.budget_exceeded"
# The conversation model that costs nothing per request: all a tenant over its budget keeps.
OFFLINE_PROVIDER = "offline"
# Costs are sums of small floats; reports round them to a millionth of a dollar.
COST_DIGITS = 6

ProviderT = TypeVar("ProviderT")


def month_of(moment: datetime) -> str:
    """The UTC calendar month of ``moment`` as stored, e.g. "2026-11" (a naive time is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m")


def months_up_to(month: str, count: int) -> list[str]:
    """``count`` calendar months ending with ``month``, oldest first."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def over_budget(budget_usd: float | None, cost_usd: float) -> bool:
    """Whether a month that cost ``cost_usd`` has used up the budget (None: no budget, never)."""
    return budget_usd is not None and cost_usd >= budget_usd


def _exceeds(budget_usd: float | None, cost_usd: float) -> bool:
    # What the owner is told about: spend that reached the budget. A budget of 0 that nothing was
    # spent against is the owner's choice of the offline model, not news.
    return over_budget(budget_usd, cost_usd) and cost_usd > 0


async def record_usage(session: CallSession, usage: Sequence[Usage]) -> None:
    """Add ``usage`` to the call's and the tenant's month's totals; mark the month if it hit the budget."""
    if not usage:
        return
    input_tokens = sum(item.input_tokens for item in usage)
    output_tokens = sum(item.output_tokens for item in usage)
    # A provider without a price table reports None: its tokens count, its cost cannot.
    cost_usd = sum(item.cost_usd or 0.0 for item in usage)
    call = session.call
    call.llm_input_tokens = (call.llm_input_tokens or 0) + input_tokens
    call.llm_output_tokens = (call.llm_output_tokens or 0) + output_tokens
    call.llm_cost_usd = (call.llm_cost_usd or 0.0) + cost_usd
    month = month_of(session.now)
    totals = await _add_to_month(
        session.db, call.tenant_id, month, len(usage), input_tokens, output_tokens, cost_usd, session.now
    )
    budget = session.tenant.ai_monthly_budget_usd
    if budget is not None and _exceeds(budget, totals["cost_usd"]):
        await _mark_exceeded(session, month, budget, totals)


async def _add_to_month(
    db: AsyncSession,
    tenant_id: str,
    month: str,
    requests: int,
    input_tokens: int,
    output_tokens: int,
    cost_usd: float,
    now: datetime,
) -> dict[str, Any]:
    """Add to the month's row in one atomic statement (created on first use); its new totals."""
    insert = insert_for(db, AiUsageMonth)
    statement = insert.values(
        tenant_id=tenant_id,
        month=month,
        requests=requests,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=cost_usd,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "month"],
        set_={
            "requests": AiUsageMonth.requests + statement.excluded.requests,
            "input_tokens": AiUsageMonth.input_tokens + statement.excluded.input_tokens,
            "output_tokens": AiUsageMonth.output_tokens + statement.excluded.output_tokens,
            "cost_usd": AiUsageMonth.cost_usd + statement.excluded.cost_usd,
            # ON CONFLICT does not run the column's onupdate.
            "updated_at": statement.excluded.updated_at,
        },
    ).returning(
        AiUsageMonth.requests, AiUsageMonth.input_tokens, AiUsageMonth.output_tokens, AiUsageMonth.cost_usd
    )
    row = (await db.execute(statement)).one()
    return dict(row._mapping)


async def _mark_exceeded(session: CallSession, month: str, budget: float, totals: dict[str, Any]) -> None:
    """Set the month's ``budget_exceeded_at`` if no turn has yet, and then (only then) tell the owner."""
    tenant = session.tenant
    marked = await session.db.execute(
        update(AiUsageMonth)
        .where(
            AiUsageMonth.tenant_id == tenant.id,
            AiUsageMonth.month == month,
            AiUsageMonth.budget_exceeded_at.is_(None),
        )
        .values(budget_exceeded_at=session.now)
        .execution_options(synchronize_session=False)
    )
    # On PostgreSQL the upsert above holds the row's lock until commit, so a concurrent turn waits
    # and then finds the month marked: exactly one turn tells the owner.
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        return
    cost = round(totals["cost_usd"], COST_DIGITS)
    payload = {
        "id": f"{tenant.slug}:{month}",
        "tenant": tenant.slug,
        "month": month,
        "budget_usd": budget,
        "cost_usd": cost,
        "requests": totals["requests"],
        "input_tokens": totals["input_tokens"],
        "output_tokens": totals["output_tokens"],
        "exceeded_at": msgspec.to_builtins(session.now),
        "call_sid": session.call.call_sid,
        "fallback": OFFLINE_PROVIDER,
    }
    publish(session.db, tenant.id, BUDGET_EXCEEDED_EVENT, payload, session.now)
    record_change(
        session.db,
        SYSTEM_PRINCIPAL,
        BUDGET_EXCEEDED_EVENT,
        "ai_usage_month",
        month,
        tenant_id=tenant.id,
        detail={"budget_usd": budget, "cost_usd": cost, "call_sid": session.call.call_sid},
    )
    log.warning("ai.budget_exceeded", tenant=tenant.slug, month=month, budget_usd=budget, cost_usd=cost)


async def within_budget(session: CallSession) -> bool:
    """False when the tenant has a budget and this month's cost has reached it."""
    budget = session.tenant.ai_monthly_budget_usd
    if budget is None:
        return True
    month = month_of(session.now)
    row = (
        await session.db.execute(
            select(
                AiUsageMonth.requests,
                AiUsageMonth.input_tokens,
                AiUsageMonth.output_tokens,
                AiUsageMonth.cost_usd,
                AiUsageMonth.budget_exceeded_at,
            ).where(AiUsageMonth.tenant_id == session.tenant.id, AiUsageMonth.month == month)
        )
    ).one_or_none()
    cost = row.cost_usd if row is not None else 0.0
    if not over_budget(budget, cost):
        return True
    if row is not None and row.budget_exceeded_at is None and _exceeds(budget, cost):
        # The budget was lowered below what the month had cost: the offline model's turns cost
        # nothing, so no later turn would reach it and tell the owner.
        await _mark_exceeded(session, month, budget, dict(row._mapping))
    return False


def degraded(providers: Sequence[tuple[str, ProviderT]]) -> list[tuple[str, ProviderT]]:
    """The chain a tenant over its budget keeps: the offline model alone (empty when not installed)."""
    return [(name, provider) for name, provider in providers if name == OFFLINE_PROVIDER]


async def usage_report(db: AsyncSession, tenant: Tenant, now: datetime, months: int) -> UsageReport:
    """The tenant's last ``months`` months of usage (this one last) and where it stands on its budget."""
    wanted = months_up_to(month_of(now), months)
    rows = {
        row.month: row
        for row in await db.scalars(
            select(AiUsageMonth).where(AiUsageMonth.tenant_id == tenant.id, AiUsageMonth.month >= wanted[0])
        )
    }
    listed = [_month_read(month, rows.get(month)) for month in wanted]
    budget = tenant.ai_monthly_budget_usd
    this_month = listed[-1]
    current = CurrentUsage(
        **msgspec.structs.asdict(this_month),
        remaining_usd=None if budget is None else round(max(0.0, budget - this_month.cost_usd), COST_DIGITS),
        degraded=over_budget(budget, this_month.cost_usd),
    )
    return UsageReport(budget_usd=budget, months=listed, current=current)


def _month_read(month: str, row: AiUsageMonth | None) -> UsageMonthRead:
    if row is None:
        return UsageMonthRead(
            month=month, requests=0, input_tokens=0, output_tokens=0, cost_usd=0.0, budget_exceeded_at=None
        )
    return UsageMonthRead(
        month=month,
        requests=row.requests,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        cost_usd=round(row.cost_usd, COST_DIGITS),
        budget_exceeded_at=row.budget_exceeded_at,
    )

"""Wire shapes of a tenant's conversation model usage and budget (msgspec at the boundary)."""

from __future__ import annotations

from datetime import datetime

import msgspec


class UsageMonthRead(msgspec.Struct, kw_only=True):
    """One calendar month (UTC) of a tenant's model requests, tokens and cost."""

    month: str  # "2026-11"
    requests: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    # When the month's cost first reached the budget (the owner was told then); null: not reached.
    budget_exceeded_at: datetime | None


class CurrentUsage(UsageMonthRead, kw_only=True):
    """This month, with what is left of the budget and whether calls are on the offline model."""

    # Null when the tenant has no budget.
    remaining_usd: float | None
    degraded: bool


class UsageReport(msgspec.Struct, kw_only=True):
    budget_usd: float | None
    # The last ``months`` months, oldest first, the current one last; months without use are zeros.
    months: list[UsageMonthRead]
    current: CurrentUsage

"""Wire shape of a tenant's analytics (API.md "Calls and outcomes")."""

from __future__ import annotations

from datetime import datetime

import msgspec


class SentimentSummary(msgspec.Struct, kw_only=True):
    """The callers' mood over the period: the mean of the calls that have a score, -1..1."""

    average: float | None
    # Calls with a sentiment (at least one scored caller turn); the others do not count.
    scored_calls: int


class AnalyticsReport(msgspec.Struct, kw_only=True):
    since: datetime | None
    until: datetime | None
    calls: int
    # Calls by outcome; calls still in progress (no outcome yet) are under "in_progress".
    outcomes: dict[str, int]
    # Calls by the hour of day they started, 0..23 in the tenant's timezone.
    calls_by_hour: list[int]
    average_duration_s: float | None
    # Shares of all calls, 0..1 (None without calls).
    spam_rate: float | None
    booking_rate: float | None
    sentiment: SentimentSummary

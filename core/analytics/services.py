"""Analytics over a tenant's calls in a period, from one grouped query and the calls' start times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.schemas import AnalyticsReport, SentimentSummary
from core.calls.models import Call
from core.tenancy.models import Tenant

IN_PROGRESS = "in_progress"
# Averages and rates are reported to three decimals, like the per-turn sentiment scores.
DIGITS = 3


async def tenant_analytics(
    db: AsyncSession, tenant: Tenant, since: datetime | None, until: datetime | None
) -> AnalyticsReport:
    """The tenant's calls started in ``[since, until)`` (either end open when None), summed up."""
    where = [Call.tenant_id == tenant.id]
    if since is not None:
        where.append(Call.started_at >= since)
    if until is not None:
        where.append(Call.started_at < until)
    grouped = await db.execute(
        select(
            Call.outcome,
            func.count(),
            func.sum(Call.duration_s),
            func.count(Call.duration_s),
            func.sum(Call.sentiment),
            func.count(Call.sentiment),
        )
        .where(*where)
        .group_by(Call.outcome)
    )
    outcomes: dict[str, int] = {}
    duration_sum = duration_count = sentiment_count = 0
    sentiment_sum = 0.0
    for outcome, count, durations, timed, moods, scored in grouped:
        outcomes[outcome or IN_PROGRESS] = count
        duration_sum += durations or 0
        duration_count += timed
        sentiment_sum += moods or 0.0
        sentiment_count += scored
    calls = sum(outcomes.values())
    zone = ZoneInfo(tenant.timezone or "UTC")
    by_hour = [0] * 24
    for started_at in await db.scalars(select(Call.started_at).where(*where)):
        by_hour[_aware(started_at).astimezone(zone).hour] += 1
    return AnalyticsReport(
        since=since,
        until=until,
        calls=calls,
        outcomes=dict(sorted(outcomes.items())),
        calls_by_hour=by_hour,
        average_duration_s=_ratio(duration_sum, duration_count),
        spam_rate=_ratio(outcomes.get("spam_blocked", 0), calls),
        booking_rate=_ratio(outcomes.get("booked", 0), calls),
        sentiment=SentimentSummary(
            average=_ratio(sentiment_sum, sentiment_count), scored_calls=sentiment_count
        ),
    )


def _ratio(part: float, whole: int) -> float | None:
    return round(part / whole, DIGITS) if whole else None


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the database stores UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

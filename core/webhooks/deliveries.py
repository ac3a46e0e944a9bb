"""The delivery log: what was sent where, every attempt, and replays of one delivery or a range."""

from __future__ import annotations

from litestar.exceptions import NotFoundException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import ConflictError, UnprocessableError
from core.audit.services import record_change
from core.db.base import utcnow
from core.db.paging import Page, tenant_page
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.webhooks.models import (
    FAILED,
    PENDING,
    SUBSCRIPTION_ACTIVE,
    DeliveryAttempt,
    OutboxEvent,
    WebhookDelivery,
)
from core.webhooks.outbox import ALL_EVENTS
from core.webhooks.schemas import AttemptRead, DeliveryDetail, DeliveryRead, ReplayRange, ReplayResult
from core.webhooks.subscriptions import event_names, subscription_of_tenant

RECENT_SAMPLES = 3


def to_read(delivery: WebhookDelivery) -> DeliveryRead:
    return DeliveryRead(
        id=delivery.id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        occurred_at=delivery.occurred_at,
        subscription_id=delivery.subscription_id,
        connector=delivery.connector,
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if delivery.status == PENDING else None,
        last_attempt_at=delivery.last_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
    )


async def list_deliveries(
    session: AsyncSession,
    scope: TenantScope,
    *,
    hook_id: str | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> Page[DeliveryRead]:
    """A subscription's deliveries (or all of the tenant's, connectors included), oldest first."""
    where = []
    if hook_id is not None:
        await subscription_of_tenant(session, scope, hook_id)
        where.append(WebhookDelivery.subscription_id == hook_id)
    if status is not None:
        where.append(WebhookDelivery.status == status)
    return await tenant_page(
        session, WebhookDelivery, scope.tenant_id, to_read, limit=limit, cursor=cursor, where=where
    )


async def delivery_of_hook(
    session: AsyncSession, scope: TenantScope, hook_id: str, delivery_id: str
) -> WebhookDelivery:
    await subscription_of_tenant(session, scope, hook_id)
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != hook_id:
        raise NotFoundException(f"no delivery {delivery_id!r} of hook {hook_id!r}")
    return delivery


async def delivery_detail(
    session: AsyncSession, scope: TenantScope, hook_id: str, delivery_id: str
) -> DeliveryDetail:
    delivery = await delivery_of_hook(session, scope, hook_id, delivery_id)
    event = await session.get(OutboxEvent, delivery.event_id)
    attempts = await session.scalars(
        select(DeliveryAttempt)
        .where(DeliveryAttempt.delivery_id == delivery.id)
        .order_by(DeliveryAttempt.number)
    )
    read = to_read(delivery)
    return DeliveryDetail(
        **{field: getattr(read, field) for field in read.__struct_fields__},
        payload={"type": event.type, "timestamp": event.occurred_at, "data": event.data} if event else {},
        attempt_log=[
            AttemptRead(
                number=attempt.number,
                worker=attempt.worker,
                started_at=attempt.started_at,
                finished_at=attempt.finished_at,
                status_code=attempt.status_code,
                error=attempt.error,
                response_body=attempt.response_body,
            )
            for attempt in attempts
        ],
    )


def _requeue(delivery: WebhookDelivery) -> None:
    """Due now, with the retry schedule starting over from here; the ``webhook-id`` stays."""
    delivery.status = PENDING
    delivery.schedule_base = delivery.attempts
    delivery.next_attempt_at = utcnow()


async def replay_delivery(
    session: AsyncSession, scope: TenantScope, hook_id: str, delivery_id: str
) -> DeliveryRead:
    delivery = await delivery_of_hook(session, scope, hook_id, delivery_id)
    subscription = await subscription_of_tenant(session, scope, hook_id)
    if subscription.status != SUBSCRIPTION_ACTIVE:
        raise ConflictError(f"hook {hook_id!r} was removed ({subscription.removed_reason}); subscribe again")
    if delivery.status == PENDING:
        raise ConflictError(f"delivery {delivery_id!r} is still being delivered")
    _requeue(delivery)
    record_change(
        session, scope.principal, "hook.replay", "hook_delivery", delivery_id, tenant_id=scope.tenant_id
    )
    await session.commit()
    return to_read(delivery)


async def replay_range(
    session: AsyncSession, scope: TenantScope, hook_id: str, data: ReplayRange
) -> ReplayResult:
    """Send again the deliveries of events in [since, until): the failed ones, or all finished ones."""
    subscription = await subscription_of_tenant(session, scope, hook_id)
    if subscription.status != SUBSCRIPTION_ACTIVE:
        raise ConflictError(f"hook {hook_id!r} was removed ({subscription.removed_reason}); subscribe again")
    until = data.until or utcnow()
    if until <= data.since:
        raise UnprocessableError("until: must be after since", field="until")
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.subscription_id == hook_id,
        WebhookDelivery.occurred_at >= data.since,
        WebhookDelivery.occurred_at < until,
        WebhookDelivery.status != PENDING,
    )
    if data.status == "failed":
        stmt = stmt.where(WebhookDelivery.status == FAILED)
    deliveries = list(await session.scalars(stmt))
    for delivery in deliveries:
        _requeue(delivery)
    record_change(
        session,
        scope.principal,
        "hook.replay_range",
        "hook",
        hook_id,
        tenant_id=scope.tenant_id,
        detail={"since": data.since.isoformat(), "until": until.isoformat(), "count": len(deliveries)},
    )
    await session.commit()
    return ReplayResult(replayed=len(deliveries))


async def samples(
    session: AsyncSession, services: AppServices, scope: TenantScope, event: str
) -> list[dict[str, object]]:
    """Zapier's ``performList``: the latest real payloads of ``event``, else the registered sample."""
    known = event_names(services)
    if event != ALL_EVENTS and event not in known:
        raise NotFoundException(f"no event type {event!r}; known: {', '.join(known)}")
    stmt = select(OutboxEvent).where(OutboxEvent.tenant_id == scope.tenant_id)
    if event != ALL_EVENTS:
        stmt = stmt.where(OutboxEvent.type == event)
    recent = list(await session.scalars(stmt.order_by(OutboxEvent.occurred_at.desc()).limit(RECENT_SAMPLES)))
    if recent:
        return [dict(row.data) for row in recent]
    registrations = services.providers.of_kind("event_type")
    names = known if event == ALL_EVENTS else [event]
    return [
        dict(registrations[name].provider.sample)  # type: ignore[attr-defined]
        for name in names
        if name in registrations and registrations[name].provider.sample  # type: ignore[attr-defined]
    ][:RECENT_SAMPLES]

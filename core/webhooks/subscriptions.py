"""Subscribing, listing, unsubscribing and rotating secrets: the REST Hooks side of webhooks."""

from __future__ import annotations

from datetime import datetime, timedelta

from litestar.exceptions import NotFoundException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import UnprocessableError
from core.audit.services import record_change
from core.db.base import utcnow
from core.security.crypto import SecretBox
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.webhooks.guard import TargetRefused
from core.webhooks.models import (
    CANCELLED,
    PENDING,
    SUBSCRIPTION_ACTIVE,
    SUBSCRIPTION_REMOVED,
    WebhookDelivery,
    WebhookSubscription,
)
from core.webhooks.outbox import ALL_EVENTS, EVENT_TYPES
from core.webhooks.schemas import HookCreate, HookCreated, HookRead, SecretRotate, SecretRotated
from core.webhooks.signing import new_secret


def event_names(services: AppServices) -> list[str]:
    """The core events and any a plugin registered with ``register_event_types``."""
    registered = services.providers.of_kind("event_type")
    return list(dict.fromkeys([*EVENT_TYPES, *registered]))


def signing_secrets(box: SecretBox, subscription: WebhookSubscription, now: datetime) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous during its grace."""
    found = [box.decrypt(subscription.secret)]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        found.append(box.decrypt(subscription.previous_secret))
    return found


def to_read(subscription: WebhookSubscription) -> HookRead:
    expires = subscription.previous_secret_expires_at
    return HookRead(
        id=subscription.id,
        target_url=subscription.target_url,
        event=subscription.event,
        description=subscription.description,
        status=subscription.status,
        created_at=subscription.created_at,
        removed_at=subscription.removed_at,
        removed_reason=subscription.removed_reason,
        previous_secret_expires_at=expires if expires is not None and expires > utcnow() else None,
    )


async def check_target(services: AppServices, url: str) -> None:
    """422 naming ``target_url`` and the rule when the platform will not send there."""
    try:
        await services.webhook_guard.check(url)
    except TargetRefused as exc:
        raise UnprocessableError(f"target_url: {exc}", field="target_url") from None


async def subscribe(
    session: AsyncSession, services: AppServices, scope: TenantScope, data: HookCreate
) -> HookCreated:
    known = event_names(services)
    if data.event != ALL_EVENTS and data.event not in known:
        raise UnprocessableError(
            f"event: unknown event {data.event!r}; use one of {', '.join(known)} or '*'", field="event"
        )
    await check_target(services, data.target_url)
    secret = new_secret()
    subscription = WebhookSubscription(
        tenant_id=scope.tenant_id,
        target_url=data.target_url,
        event=data.event,
        description=data.description,
        secret=services.secret_box.encrypt(secret),
        created_at=utcnow(),
    )
    session.add(subscription)
    await session.flush()
    record_change(
        session,
        scope.principal,
        "hook.subscribe",
        "hook",
        subscription.id,
        tenant_id=scope.tenant_id,
        detail={"event": data.event, "target_url": data.target_url},
    )
    await session.commit()
    return HookCreated(
        id=subscription.id,
        target_url=subscription.target_url,
        event=subscription.event,
        secret=secret,
        created_at=subscription.created_at,
    )


async def subscription_of_tenant(
    session: AsyncSession, scope: TenantScope, hook_id: str
) -> WebhookSubscription:
    subscription = await session.get(WebhookSubscription, hook_id)
    if subscription is None or subscription.tenant_id != scope.tenant_id:
        raise NotFoundException(f"no hook {hook_id!r}")
    return subscription


async def list_subscriptions(session: AsyncSession, scope: TenantScope, status: str | None) -> list[HookRead]:
    stmt = select(WebhookSubscription).where(WebhookSubscription.tenant_id == scope.tenant_id)
    if status is not None:
        stmt = stmt.where(WebhookSubscription.status == status)
    rows = await session.scalars(stmt.order_by(WebhookSubscription.created_at, WebhookSubscription.id))
    return [to_read(row) for row in rows]


async def unsubscribe(session: AsyncSession, scope: TenantScope, hook_id: str) -> None:
    """Remove a subscription (idempotent): nothing more is sent, the delivery log stays."""
    subscription = await subscription_of_tenant(session, scope, hook_id)
    if subscription.status == SUBSCRIPTION_REMOVED:
        return
    await remove(session, subscription, "unsubscribed", utcnow())
    record_change(session, scope.principal, "hook.unsubscribe", "hook", hook_id, tenant_id=scope.tenant_id)
    await session.commit()


async def remove(
    session: AsyncSession, subscription: WebhookSubscription, reason: str, now: datetime
) -> None:
    """Mark a subscription removed and cancel what it still had waiting."""
    subscription.status = SUBSCRIPTION_REMOVED
    subscription.removed_at = now
    subscription.removed_reason = reason
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription.id, WebhookDelivery.status == PENDING)
        .values(status=CANCELLED, last_error=f"subscription removed: {reason}")
    )


async def rotate_secret(
    session: AsyncSession, services: AppServices, scope: TenantScope, hook_id: str, data: SecretRotate
) -> SecretRotated:
    """A new signing secret; the old one keeps signing beside it for ``grace_hours``."""
    subscription = await subscription_of_tenant(session, scope, hook_id)
    if subscription.status != SUBSCRIPTION_ACTIVE:
        raise NotFoundException(f"hook {hook_id!r} was removed")
    secret = new_secret()
    now = utcnow()
    if data.grace_hours > 0:
        subscription.previous_secret = subscription.secret
        subscription.previous_secret_expires_at = now + timedelta(hours=data.grace_hours)
    else:
        subscription.previous_secret = None
        subscription.previous_secret_expires_at = None
    subscription.secret = services.secret_box.encrypt(secret)
    record_change(
        session,
        scope.principal,
        "hook.rotate_secret",
        "hook",
        hook_id,
        tenant_id=scope.tenant_id,
        detail={"grace_hours": data.grace_hours},
    )
    await session.commit()
    return SecretRotated(
        id=subscription.id, secret=secret, previous_secret_expires_at=subscription.previous_secret_expires_at
    )

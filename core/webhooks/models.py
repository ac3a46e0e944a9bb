"""The outbox: events written with the change that caused them, and their deliveries.

An event is one row of ``outbox_events``, added in the same transaction as the call, lead or
appointment it describes. The dispatcher fans each event out into one ``webhook_deliveries``
row per subscription (and per CRM connector) that wants it, then works the deliveries; every
try is one ``webhook_attempts`` row, unique per delivery and attempt number, so no two
workers can ever make the same attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, TimestampMixin, new_id, utcnow

SUBSCRIPTION_ACTIVE = "active"
SUBSCRIPTION_REMOVED = "removed"

PENDING = "pending"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
DELIVERY_STATUSES = (PENDING, SUCCEEDED, FAILED, CANCELLED)


def new_message_id() -> str:
    """A Standard Webhooks message id: ``msg_`` and 32 hex digits."""
    return "msg_" + new_id().replace("-", "")


class WebhookSubscription(IdMixin, TimestampMixin, Base):
    """A target URL that wants one event type (``*``: every type) of one tenant."""

    __tablename__ = "webhook_subscriptions"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    target_url: Mapped[str] = mapped_column(String(2048))
    event: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(200))
    # The whsec_ signing secrets, encrypted with the deployment key. During a rotation's grace
    # period the previous one signs too, so receivers can switch over without losing a delivery.
    secret: Mapped[str] = mapped_column(Text)
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=SUBSCRIPTION_ACTIVE)
    removed_at: Mapped[datetime | None]
    removed_reason: Mapped[str | None] = mapped_column(String(200))


Index("ix_webhook_subscriptions_tenant_status", WebhookSubscription.tenant_id, WebhookSubscription.status)


class OutboxEvent(Base):
    """One event as it happened; ``dispatched_at`` is set once it has been fanned out."""

    __tablename__ = "outbox_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]


Index("ix_outbox_events_undispatched", OutboxEvent.dispatched_at, OutboxEvent.occurred_at)
Index("ix_outbox_events_tenant_type", OutboxEvent.tenant_id, OutboxEvent.type, OutboxEvent.occurred_at)


class WebhookDelivery(TimestampMixin, Base):
    """One event for one subscription or connector; its id is the ``webhook-id`` on every try."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_message_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(ForeignKey("outbox_events.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime]
    subscription_id: Mapped[str | None] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    connector: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Attempts made before the last replay: the retry schedule starts again from a replay.
    schedule_base: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None]


Index("ix_webhook_deliveries_due", WebhookDelivery.status, WebhookDelivery.next_attempt_at)
Index("ix_webhook_deliveries_tenant_status", WebhookDelivery.tenant_id, WebhookDelivery.status)


class DeliveryAttempt(IdMixin, Base):
    """One try of a delivery: when, by which worker, and what the receiver answered."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"))
    tenant_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    response_body: Mapped[str | None] = mapped_column(String(1000))

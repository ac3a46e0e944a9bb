"""Wire shapes of webhook subscriptions, deliveries and replays (API.md "Webhooks")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

TargetUrl = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
EventName = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
DeliveryStatus = Literal["pending", "succeeded", "failed", "cancelled"]


class HookCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Zapier's REST Hook subscribe body; ``event`` ``*`` takes every event type."""

    target_url: TargetUrl
    event: EventName
    description: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class HookCreated(msgspec.Struct, kw_only=True):
    id: str
    target_url: str
    event: str
    secret: str  # shown once: the receiver verifies signatures with it
    created_at: datetime


class HookRead(msgspec.Struct, kw_only=True):
    id: str
    target_url: str
    event: str
    description: str | None
    status: str
    created_at: datetime
    removed_at: datetime | None
    removed_reason: str | None
    # While a rotation's grace period lasts, deliveries carry the old secret's signature too.
    previous_secret_expires_at: datetime | None


class SecretRotate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Hours the old secret keeps signing beside the new one (0: stop at once)."""

    grace_hours: Annotated[float, msgspec.Meta(ge=0, le=168)] = 24.0


class SecretRotated(msgspec.Struct, kw_only=True):
    id: str
    secret: str
    previous_secret_expires_at: datetime | None


class AttemptRead(msgspec.Struct, kw_only=True):
    number: int
    worker: str
    started_at: datetime
    finished_at: datetime | None
    status_code: int | None
    error: str | None
    response_body: str | None


class DeliveryRead(msgspec.Struct, kw_only=True):
    id: str  # the webhook-id header, the same on every try
    event_id: str
    event_type: str
    occurred_at: datetime
    subscription_id: str | None
    connector: str | None
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryDetail(DeliveryRead, kw_only=True):
    payload: dict[str, Any]
    attempt_log: list[AttemptRead]


class ReplayRange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Deliveries of events that happened in [since, until); by default only the failed ones."""

    since: datetime
    until: datetime | None = None
    status: Literal["failed", "all"] = "failed"


class ReplayResult(msgspec.Struct, kw_only=True):
    replayed: int


class EventTypeRead(msgspec.Struct, kw_only=True):
    name: str
    description: str

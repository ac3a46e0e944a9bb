"""Writing events into the outbox, in the caller's transaction, with their public payloads.

Nothing here talks to the network: an event becomes visible to the dispatcher only when the
transaction that made the change commits, and disappears with it if it rolls back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls.models import Call
from core.calls.views import call_detail, lead_read, message_read
from core.leads.models import Lead
from core.messages.models import Message
from core.scheduling.models import Appointment
from core.scheduling.schemas import AppointmentRead
from core.webhooks.models import OutboxEvent

# API.md "Webhooks": the events a subscription may ask for.
EVENT_TYPES = (
    "call.started",
    "call.completed",
    "lead.created",
    "appointment.booked",
    "message.taken",
    "sms.received",
    "experiment.completed",
    "ai.budget_exceeded",
)
ALL_EVENTS = "*"


def publish(
    session: AsyncSession, tenant_id: str, event_type: str, data: dict[str, Any], at: datetime
) -> None:
    """Add one event to the outbox; it is delivered once this session commits."""
    session.add(OutboxEvent(tenant_id=tenant_id, type=event_type, data=data, occurred_at=at))


async def publish_call_event(
    session: AsyncSession, call: Call, event_type: str, data: dict[str, Any], at: datetime
) -> None:
    """Publish the webhook event a call event stands for, if it is one subscribers can receive."""
    payload = await _call_payload(session, call, event_type, data, at)
    if payload is not None:
        publish(session, call.tenant_id, event_type, payload, at)


async def publish_completed_call(session: AsyncSession, call: Call, at: datetime) -> None:
    """``call.completed``, and ``lead.created`` for a voice call's lead, now that its fields are final."""
    if call.lead_id:
        lead = await session.get(Lead, call.lead_id)
        if lead is not None:
            publish(session, call.tenant_id, "lead.created", _with_call(lead_read(lead), call), at)
    detail = await call_detail(session, call)
    publish(session, call.tenant_id, "call.completed", {"id": call.id, **msgspec.to_builtins(detail)}, at)


async def _call_payload(
    session: AsyncSession, call: Call, event_type: str, data: dict[str, Any], at: datetime
) -> dict[str, Any] | None:
    if event_type == "call.started":
        return {
            "id": call.id,
            "call_sid": call.call_sid,
            "from": call.from_number,
            "to": call.to_number,
            "channel": call.channel,
            "language": call.language,
            "started_at": msgspec.to_builtins(call.started_at),
        }
    if event_type == "sms.received":
        return {
            "id": data.get("message_sid") or f"{call.id}:{call.turn_count}",
            "call_sid": call.call_sid,
            "from": call.from_number,
            "to": call.to_number,
            "body": data.get("body", ""),
            "received_at": msgspec.to_builtins(at),
        }
    if event_type == "appointment.booked":
        appointment = await session.get(Appointment, data.get("appointment_id"))
        return _with_call(AppointmentRead.of(appointment), call) if appointment else None
    if event_type == "message.taken":
        message = await session.get(Message, data.get("message_id"))
        return _with_call(message_read(message), call) if message else None
    if event_type == "lead.created" and call.channel == "sms":
        # A voice call's lead is published with its final fields when the call completes; a text
        # thread has no end, so its lead goes out as soon as it is captured.
        lead = await session.get(Lead, data.get("lead_id"))
        return _with_call(lead_read(lead), call) if lead else None
    return None


def _with_call(record: msgspec.Struct, call: Call) -> dict[str, Any]:
    return {**msgspec.to_builtins(record), "call_sid": call.call_sid}

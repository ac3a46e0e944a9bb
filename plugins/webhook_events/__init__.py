"""The webhook events Frontdesk publishes, with the sample payloads Zapier and Make show first."""

from __future__ import annotations

from core import EventType, Register, hookimpl

NAME = "webhook_events"

_CALL = {
    "id": "0b6f3c2e-5d1a-4c8e-9f21-7a3d2b1c0e9f",
    "call_sid": "CA1f2e3d4c5b6a79880716253443526170",
    "from": "+15551230099",
    "to": "+15551230001",
    "channel": "voice",
    "language": "en-US",
    "started_at": "2026-11-24T15:02:11Z",
}
_LEAD = {
    "id": "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "call_id": _CALL["id"],
    "call_sid": _CALL["call_sid"],
    "name": "Dana Whitfield",
    "phone": "+15551230099",
    "intent": "refinance",
    "workflow": "mortgage",
    "fields": {
        "loan_amount": 320000,
        "property_value": 540000,
        "credit_band": "excellent",
        "timeline": "asap",
    },
    "score": 86.0,
    "created_at": "2026-11-24T15:04:40Z",
}

EVENT_TYPES = (
    EventType(
        name="call.started",
        description="A call (or a text thread) reached the receptionist.",
        sample=_CALL,
    ),
    EventType(
        name="call.completed",
        description="A call ended: outcome, duration, summary, transcript and what it produced.",
        sample={
            **_CALL,
            "status": "completed",
            "ended_at": "2026-11-24T15:05:02Z",
            "duration_s": 171,
            "outcome": "booked",
            "summary": "booked; 5 caller turn(s); 171 s",
            "transcript": [
                {
                    "role": "assistant",
                    "text": "Thanks for calling. How can I help?",
                    "at": "2026-11-24T15:02:11Z",
                    "sentiment": None,
                },
                {
                    "role": "caller",
                    "text": "I'd like a cleaning next Tuesday at 3.",
                    "at": "2026-11-24T15:02:19Z",
                    "sentiment": 0.361,
                },
            ],
            "lead": None,
            "appointment_id": "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
            "message_id": None,
            "transferred_to": None,
            "sentiment": 0.4,
            "screening": {"decision": "allow", "reasons": ["stir_shaken:A"]},
            "experiments": [{"experiment": "greeting-warmth", "variant": "warm"}],
            "recording_url": None,
            "recording_duration_s": None,
            "usage": {"input_tokens": 6120, "output_tokens": 412, "cost_usd": 0.0214},
        },
    ),
    EventType(
        name="lead.created",
        description="A caller was captured as a lead, with their industry workflow's fields and score.",
        sample=_LEAD,
    ),
    EventType(
        name="appointment.booked",
        description="The receptionist booked an appointment.",
        sample={
            "id": "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
            "call_sid": _CALL["call_sid"],
            "start": "2026-12-01T15:00:00Z",
            "end": "2026-12-01T15:30:00Z",
            "service": "cleaning",
            "name": "Dana Whitfield",
            "phone": "+15551230099",
            "status": "booked",
            "call_id": _CALL["id"],
            "resource": "default",
            "notes": None,
            "created_at": "2026-11-24T15:04:51Z",
        },
    ),
    EventType(
        name="message.taken",
        description="The receptionist took a message or a voicemail.",
        sample={
            "id": "2a3b4c5d-6e7f-4081-92a3-b4c5d6e7f809",
            "call_sid": _CALL["call_sid"],
            "call_id": _CALL["id"],
            "kind": "message",
            "caller_name": "Dana Whitfield",
            "callback_number": "+15551230099",
            "body": "Please call me back about my insurance claim.",
            "recording_url": None,
            "recording_duration_s": None,
            "status": "new",
            "created_at": "2026-11-24T15:04:12Z",
        },
    ),
    EventType(
        name="sms.received",
        description="A text message arrived on one of the tenant's numbers.",
        sample={
            "id": "SM0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "call_sid": "SM0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "from": "+15551230099",
            "to": "+15551230001",
            "body": "Are you open on Saturday?",
            "received_at": "2026-11-24T15:10:00Z",
        },
    ),
    EventType(
        name="experiment.completed",
        description="An A/B experiment was stopped, with its winning variant if there is one.",
        sample={
            "id": "6f5e4d3c-2b1a-4098-8776-5544332211ff",
            "key": "greeting-warmth",
            "name": "Warmer greeting",
            "status": "completed",
            "winner": "warm",
            "stopped_at": "2026-11-24T16:00:00Z",
        },
    ),
    EventType(
        name="ai.budget_exceeded",
        description="The month's conversation model cost reached the tenant's budget; calls now use the"
        " offline model until the month ends or the budget is raised.",
        sample={
            "id": "acme-dental:2026-11",
            "tenant": "acme-dental",
            "month": "2026-11",
            "budget_usd": 50.0,
            "cost_usd": 50.0132,
            "requests": 4210,
            "input_tokens": 9120400,
            "output_tokens": 802310,
            "exceeded_at": "2026-11-24T15:04:40Z",
            "call_sid": _CALL["call_sid"],
            "fallback": "offline",
        },
    ),
)


@hookimpl
def register_event_types(register: Register) -> None:
    for event_type in EVENT_TYPES:
        register(event_type.name, event_type)

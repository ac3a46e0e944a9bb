"""Wire shapes of calls (API.md "Calls and outcomes"), messages and leads."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

Outcome = Literal[
    "booked", "message_taken", "transferred", "answered", "voicemail", "spam_blocked", "abandoned", "failed"
]


class TranscriptLine(msgspec.Struct, kw_only=True):
    role: str
    text: str
    at: datetime
    # A caller line's mood, -1..1 (None: an assistant line, or not measured).
    sentiment: float | None = None


class Screening(msgspec.Struct, kw_only=True):
    decision: str | None
    reasons: list[str]


class CallUsage(msgspec.Struct, kw_only=True):
    """What the conversation models cost on a call (every provider tried, failed ones included)."""

    input_tokens: int
    output_tokens: int
    cost_usd: float


class CallSummary(msgspec.Struct, kw_only=True, rename={"from_": "from"}):
    call_sid: str
    from_: str
    to: str
    channel: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: int | None
    language: str
    outcome: str | None
    summary: str | None


class CallDetail(CallSummary, kw_only=True):
    transcript: list[TranscriptLine]
    lead: dict[str, Any] | None
    appointment_id: str | None
    message_id: str | None
    transferred_to: str | None
    sentiment: float | None
    screening: Screening
    experiments: list[dict[str, Any]]
    # The whole-call recording (when the tenant records calls): Twilio's media URL and length.
    recording_url: str | None
    recording_duration_s: int | None
    usage: CallUsage


class MessageRead(msgspec.Struct, kw_only=True):
    id: str
    call_id: str | None
    kind: str
    caller_name: str | None
    callback_number: str | None
    body: str
    recording_url: str | None
    recording_duration_s: int | None
    status: str
    created_at: datetime


class LeadRead(msgspec.Struct, kw_only=True):
    id: str
    call_id: str | None
    name: str | None
    phone: str | None
    intent: str | None
    workflow: str | None
    fields: dict[str, Any]
    score: float | None
    created_at: datetime

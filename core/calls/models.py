"""Calls: one versioned row per call, its transcript, its events, and the answers Twilio was given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, TimestampMixin, utcnow


class Call(IdMixin, TimestampMixin, Base):
    """All of a call's state: any worker can serve any webhook of any call from this row."""

    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("call_sid"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    call_sid: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))  # voice | sms | relay
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))  # Twilio's CallStatus, or ours for SMS
    language: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
    duration_s: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)
    screening: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"decision", "reasons"}
    # The conversation's working memory (dialogue state, counters), owned by the engine.
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    sentiment: Mapped[float | None] = mapped_column(Float)
    lead_id: Mapped[str | None] = mapped_column(String(36))
    appointment_id: Mapped[str | None] = mapped_column(String(36))
    message_id: Mapped[str | None] = mapped_column(String(36))
    transferred_to: Mapped[str | None] = mapped_column(String(32))
    experiments: Mapped[list[Any]] = mapped_column(default=list)
    # The whole-call recording, when the tenant records calls (set by Twilio's status callback).
    recording_sid: Mapped[str | None] = mapped_column(String(64))
    recording_url: Mapped[str | None] = mapped_column(Text)
    recording_duration_s: Mapped[int | None] = mapped_column(Integer)
    # What the conversation models cost on this call (every provider tried, failed ones included).
    llm_input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    llm_output_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    llm_cost_usd: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # Optimistic concurrency: two workers writing the same call cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


Index("ix_calls_tenant_started", Call.tenant_id, Call.started_at)
Index("ix_calls_tenant_from", Call.tenant_id, Call.from_number, Call.started_at)


class CallTurn(IdMixin, Base):
    """One line of the transcript."""

    __tablename__ = "call_turns"
    __table_args__ = (UniqueConstraint("call_id", "seq"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # caller | assistant
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    sentiment: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CallResponse(IdMixin, Base):
    """What we answered one Twilio request: a retry or replay gets the same answer and no side effect."""

    __tablename__ = "call_responses"
    __table_args__ = (UniqueConstraint("call_id", "request_key"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    request_key: Mapped[str] = mapped_column(String(64))  # "voice", "turn:3", "status:completed"
    status_code: Mapped[int] = mapped_column(Integer, default=200)
    media_type: Mapped[str] = mapped_column(String(64), default="application/xml")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CallEventRecord(IdMixin, Base):
    """Everything that happened on a call, in order: started, screened, turn, booked, completed…"""

    __tablename__ = "call_events"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

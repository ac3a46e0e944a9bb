"""The public shape of calls, leads and messages: one place for the API and webhook payloads."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.calls.models import Call
from core.calls.schemas import CallDetail, CallUsage, LeadRead, MessageRead, Screening, TranscriptLine
from core.leads.models import Lead
from core.messages.models import Message


def summary_fields(call: Call) -> dict[str, object]:
    return {
        "call_sid": call.call_sid,
        "from_": call.from_number,
        "to": call.to_number,
        "channel": call.channel,
        "status": call.status,
        "started_at": call.started_at,
        "ended_at": call.ended_at,
        "duration_s": call.duration_s,
        "language": call.language,
        "outcome": call.outcome,
        "summary": call.summary,
    }


def lead_read(lead: Lead) -> LeadRead:
    return LeadRead(
        id=lead.id,
        call_id=lead.call_id,
        name=lead.name,
        phone=lead.phone,
        intent=lead.intent,
        workflow=lead.workflow,
        fields=dict(lead.fields),
        score=lead.score,
        created_at=lead.created_at,
    )


def message_read(message: Message) -> MessageRead:
    return MessageRead(
        id=message.id,
        call_id=message.call_id,
        kind=message.kind,
        caller_name=message.caller_name,
        callback_number=message.callback_number,
        body=message.body,
        recording_url=message.recording_url,
        recording_duration_s=message.recording_duration_s,
        status=message.status,
        created_at=message.created_at,
    )


async def call_detail(session: AsyncSession, call: Call) -> CallDetail:
    """A call with its transcript, screening, lead and what it produced (``GET .../calls/{sid}``)."""
    lines = await calls.transcript(session, call.id)
    lead = await session.get(Lead, call.lead_id) if call.lead_id else None
    return CallDetail(
        **summary_fields(call),
        transcript=[
            TranscriptLine(role=line.role, text=line.text, at=line.at, sentiment=line.sentiment)
            for line in lines
        ],
        lead=msgspec.to_builtins(lead_read(lead)) if lead else None,
        appointment_id=call.appointment_id,
        message_id=call.message_id,
        transferred_to=call.transferred_to,
        sentiment=call.sentiment,
        screening=Screening(
            decision=call.screening.get("decision"), reasons=list(call.screening.get("reasons", []))
        ),
        experiments=list(call.experiments),
        recording_url=call.recording_url,
        recording_duration_s=call.recording_duration_s,
        usage=CallUsage(
            input_tokens=call.llm_input_tokens or 0,
            output_tokens=call.llm_output_tokens or 0,
            cost_usd=round(call.llm_cost_usd or 0.0, 6),
        ),
    )

"""Admin API: a tenant's calls with transcripts, the messages taken, and the leads captured."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Router, get
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.calls import services as calls
from core.calls.models import Call
from core.calls.schemas import (
    CallDetail,
    CallSummary,
    LeadRead,
    MessageRead,
    Outcome,
    Screening,
    TranscriptLine,
)
from core.db.paging import DEFAULT_LIMIT, Page, tenant_page
from core.leads.models import Lead
from core.messages.models import Message
from core.tenancy.deps import TenantScope


def _summary_fields(call: Call) -> dict[str, object]:
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


class CallController(Controller):
    path = "/tenants/{slug:str}/calls"
    tags = ["calls"]

    @get("/", operation_id="listCalls", opt=permission("calls", "read"))
    async def list_calls(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
        outcome: Outcome | None = None,
        since: datetime | None = None,
    ) -> Page[CallSummary]:
        """Calls oldest first, filtered by outcome and start time."""
        where = []
        if outcome is not None:
            where.append(Call.outcome == outcome)
        if since is not None:
            where.append(Call.started_at >= since)
        return await tenant_page(
            db_session,
            Call,
            tenant_scope.tenant_id,
            lambda c: CallSummary(**_summary_fields(c)),
            limit=limit,
            cursor=cursor,
            where=where,
        )

    @get("/{call_sid:str}", operation_id="getCall", opt=permission("calls", "read"))
    async def get_call(
        self, call_sid: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> CallDetail:
        """One call: transcript, screening, outcome and what it produced."""
        call = await calls.call_by_sid(db_session, call_sid)
        if call is None or call.tenant_id != tenant_scope.tenant_id:
            raise NotFoundException(f"no call {call_sid!r}")
        lines = await calls.transcript(db_session, call.id)
        lead = await db_session.get(Lead, call.lead_id) if call.lead_id else None
        return CallDetail(
            **_summary_fields(call),
            transcript=[TranscriptLine(role=line.role, text=line.text, at=line.at) for line in lines],
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
        )


class MessageController(Controller):
    path = "/tenants/{slug:str}/messages"
    tags = ["calls"]

    @get("/", operation_id="listMessages", opt=permission("calls", "read"))
    async def list_messages(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[MessageRead]:
        """Messages taken by the receptionist and voicemails, oldest first."""
        return await tenant_page(
            db_session, Message, tenant_scope.tenant_id, message_read, limit=limit, cursor=cursor
        )


class LeadController(Controller):
    path = "/tenants/{slug:str}/leads"
    tags = ["calls"]

    @get("/", operation_id="listLeads", opt=permission("calls", "read"))
    async def list_leads(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[LeadRead]:
        """Leads captured on calls, oldest first."""
        return await tenant_page(
            db_session, Lead, tenant_scope.tenant_id, lead_read, limit=limit, cursor=cursor
        )


calls_router = Router(path="/api/v1", route_handlers=[CallController, MessageController, LeadController])

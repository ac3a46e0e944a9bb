"""Admin API: a tenant's calls with transcripts, the messages taken, and the leads captured."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Router, get
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.calls import services as calls
from core.calls.models import Call
from core.calls.schemas import CallDetail, CallSummary, LeadRead, MessageRead, Outcome
from core.calls.views import call_detail, lead_read, message_read, summary_fields
from core.db.paging import DEFAULT_LIMIT, Page, tenant_page
from core.leads.models import Lead
from core.messages.models import Message
from core.tenancy.deps import TenantScope


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
            lambda c: CallSummary(**summary_fields(c)),
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
        return await call_detail(db_session, call)


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

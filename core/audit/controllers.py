"""Admin API: the tenant's audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Router, get
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.audit.models import AuditEntry
from core.db.paging import DEFAULT_LIMIT, Page, fetch_page
from core.tenancy.deps import TenantScope


class AuditEntryRead(msgspec.Struct, kw_only=True):
    id: str
    actor: str
    action: str
    object_type: str
    object_id: str | None
    detail: dict[str, Any]
    at: datetime


class AuditController(Controller):
    path = "/tenants/{slug:str}/audit"
    tags = ["audit"]

    @get("/", operation_id="listAuditLog", opt=permission("audit", "read"))
    async def list_entries(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[AuditEntryRead]:
        """Every admin change to this tenant: who, what, when (oldest first)."""
        stmt = select(AuditEntry).where(AuditEntry.tenant_id == tenant_scope.tenant_id)
        rows, next_cursor = await fetch_page(
            db_session, stmt, AuditEntry, limit=limit, cursor=cursor, time_attr="at"
        )
        return Page(
            items=[
                AuditEntryRead(
                    id=r.id,
                    actor=r.actor,
                    action=r.action,
                    object_type=r.object_type,
                    object_id=r.object_id,
                    detail=r.detail,
                    at=r.at,
                )
                for r in rows
            ],
            next_cursor=next_cursor,
        )


audit_router = Router(path="/api/v1", route_handlers=[AuditController])

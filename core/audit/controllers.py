"""Admin API: the tenant's audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Router, get
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.audit.models import AuditEntry
from core.db.paging import DEFAULT_LIMIT, Page, tenant_page
from core.tenancy.deps import TenantScope


class AuditEntryRead(msgspec.Struct, kw_only=True):
    id: str
    actor: str
    action: str
    object_type: str
    object_id: str | None
    detail: dict[str, Any]
    at: datetime


def audit_read(entry: AuditEntry) -> AuditEntryRead:
    return AuditEntryRead(
        id=entry.id,
        actor=entry.actor,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        detail=entry.detail,
        at=entry.at,
    )


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
        return await tenant_page(
            db_session,
            AuditEntry,
            tenant_scope.tenant_id,
            audit_read,
            limit=limit,
            cursor=cursor,
            time_attr="at",
        )


audit_router = Router(path="/api/v1", route_handlers=[AuditController])

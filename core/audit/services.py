"""Writing the audit log, always inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.models import AuditEntry
from core.authz.principal import Principal


def record_change(
    session: AsyncSession,
    principal: Principal | str,
    action: str,
    object_type: str,
    object_id: str | None,
    *,
    tenant_id: str | None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    actor = principal if isinstance(principal, str) else principal.actor
    entry = AuditEntry(
        tenant_id=tenant_id,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
    session.add(entry)
    return entry

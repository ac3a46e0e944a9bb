"""The audit log: every admin change, who made it, what it was, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, utcnow


class AuditEntry(IdMixin, Base):
    __tablename__ = "audit_log"

    # Not a foreign key: the record of a tenant's deletion outlives the tenant.
    tenant_id: Mapped[str | None] = mapped_column(String(36))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_audit_log_tenant_at", AuditEntry.tenant_id, AuditEntry.at)

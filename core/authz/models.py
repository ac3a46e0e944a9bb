"""API keys (hashed at rest) and the casbin policy rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, utcnow


class ApiKey(IdMixin, Base):
    __tablename__ = "api_keys"

    # NULL for platform-level keys (platform admins).
    tenant_id: Mapped[str | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    # The first characters of the key, to recognise it in listings; never enough to use it.
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()


class CasbinRule(Base):
    """One casbin policy line (``p`` permission or ``g`` role assignment); the policy of record."""

    __tablename__ = "casbin_rules"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    ptype: Mapped[str] = mapped_column(String(8))
    v0: Mapped[str] = mapped_column(String(255), default="")
    v1: Mapped[str] = mapped_column(String(255), default="")
    v2: Mapped[str] = mapped_column(String(255), default="")
    v3: Mapped[str] = mapped_column(String(255), default="")
    v4: Mapped[str] = mapped_column(String(255), default="")
    v5: Mapped[str] = mapped_column(String(255), default="")

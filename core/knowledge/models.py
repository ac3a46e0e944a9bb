"""Knowledge entries: the questions a tenant's receptionist can answer, and the answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, TimestampMixin


class KnowledgeEntry(IdMixin, TimestampMixin, Base):
    __tablename__ = "knowledge_entries"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)


Index("ix_knowledge_entries_tenant_created", KnowledgeEntry.tenant_id, KnowledgeEntry.created_at)

"""Synthesised speech kept for ``<Play>``: one row per (voice, settings, text), shared by workers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow


class MediaClip(Base):
    """Audio bytes under an unguessable key (a hash of the tenant, voice, settings and text)."""

    __tablename__ = "media_clips"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    content_type: Mapped[str] = mapped_column(String(64))
    audio: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    # Which voice said it: "elevenlabs:<voice id>".
    voice: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)

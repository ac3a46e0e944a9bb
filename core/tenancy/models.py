"""Tenants (businesses and agencies), their phone numbers, knowledge and members."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db.base import Base, IdMixin, TimestampMixin, utcnow


class Tenant(IdMixin, TimestampMixin, Base):
    __tablename__ = "tenants"

    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # An agency (reseller) is a tenant that owns other tenants.
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    industry: Mapped[str | None] = mapped_column(String(63))
    timezone: Mapped[str] = mapped_column(String(63))
    languages: Mapped[list[Any]] = mapped_column(default=list)
    business: Mapped[dict[str, Any]] = mapped_column(default=dict)
    branding: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Per-tenant Twilio credentials; the auth token is encrypted with the deployment key.
    twilio_account_sid: Mapped[str | None] = mapped_column(String(64))
    twilio_auth_token_encrypted: Mapped[str | None] = mapped_column(Text)
    # Record whole calls (Twilio <Start><Recording>); the greeting then carries the disclosure.
    record_calls: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Bumped on every change to plugins, numbers or settings; caches key on it.
    config_version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped on every change to the knowledge base; cached answers key on it.
    knowledge_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Monthly spend on conversation models (USD) past which calls use the offline model; None: no cap.
    ai_monthly_budget_usd: Mapped[float | None] = mapped_column(Float)

    parent: Mapped[Tenant | None] = relationship(remote_side="Tenant.id", lazy="raise")


class PhoneNumber(IdMixin, Base):
    __tablename__ = "phone_numbers"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    # E.164; unique across the whole platform, so a call always resolves to one tenant.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    twilio_account_sid: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(100))
    # Per-number plugin config overlays: {plugin_name: {...}} over the tenant's config.
    plugin_config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Overrides the tenant's record_calls for calls to this number; None follows the tenant.
    record_calls: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Member(IdMixin, Base):
    """A person who signs in to a tenant's dashboard, with one role in that tenant."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("tenant_id", "email"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

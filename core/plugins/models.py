"""Plugin installs per tenant and platform-wide plugin defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, TimestampMixin


class PluginInstall(IdMixin, TimestampMixin, Base):
    """A plugin installed for one tenant, with that tenant's config layer (secrets encrypted)."""

    __tablename__ = "plugin_installs"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PlatformPluginDefault(TimestampMixin, Base):
    """The platform layer of a plugin's config, under every tenant's layer."""

    __tablename__ = "platform_plugin_defaults"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)

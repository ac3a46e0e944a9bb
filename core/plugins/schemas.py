"""Wire shapes of plugins and plugin installs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class PluginConfigBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    config: dict[str, Any] = {}


class PluginRead(msgspec.Struct, kw_only=True):
    name: str
    description: str
    default_installed: bool
    config_schema: dict[str, Any]
    secret_fields: list[str]
    platform_defaults: dict[str, Any]


class PluginInstallRead(msgspec.Struct, kw_only=True):
    name: str
    description: str
    config: dict[str, Any]  # the tenant's layer, secrets redacted
    created_at: datetime
    updated_at: datetime

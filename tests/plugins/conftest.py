"""Fixtures for the first-party plugins' tests: calls carrying configs built the host's way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core import CallContext, TenantIdentity
from core.plugins.catalog import PluginCatalog
from core.plugins.config import effective_config
from core.plugins.manager import build_plugin_manager

BRIGHT_SMILES = TenantIdentity(
    id="t-bright",
    slug="bright-smiles",
    name="Bright Smiles Dental",
    timezone="America/Chicago",
    languages=["en-US", "es-US"],
    business={"address": "12 Elm Street", "phone": "+15559870000"},
    industry="dental",
)


@pytest.fixture(scope="session")
def builtin_catalog() -> PluginCatalog:
    return PluginCatalog.from_manager(build_plugin_manager())


@pytest.fixture
def call_with(builtin_catalog) -> Callable[..., CallContext]:
    """``call_with({"greeting": {...tenant layer...}}, caller=...)``: a call to Bright Smiles."""

    def make(tenant_layers: dict[str, dict[str, Any]], **overrides: Any) -> CallContext:
        configs = {
            name: effective_config(builtin_catalog.get(name), platform={}, tenant=layer, environ={})
            for name, layer in tenant_layers.items()
        }
        fields: dict[str, Any] = {
            "call_sid": "CA0002",
            "tenant": BRIGHT_SMILES,
            "caller": "+15551230001",
            "called": "+15559870000",
            "language": "en-US",
            "plugin_configs": configs,
        }
        return CallContext(**(fields | overrides))

    return make

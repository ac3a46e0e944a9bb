"""Fixtures for the plugin host's tests: the test-only plugins of ``tests/plugins/`` and calls."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pluggy
import pytest

from core import CallContext, TenantIdentity
from core.plugins.catalog import PluginCatalog
from core.plugins.config import effective_config

TEST_PLUGINS = Path(__file__).parents[1] / "plugins"


def load_test_plugin(module_name: str) -> ModuleType:
    """A fresh copy of ``tests/plugins/<module_name>.py``, so module-level records start empty."""
    path = TEST_PLUGINS / f"{module_name}.py"
    spec = importlib.util.spec_from_file_location(f"frontdesk_tests_{module_name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def answering_plugin() -> ModuleType:
    return load_test_plugin("answering_plugin")


@pytest.fixture
def raising_plugin() -> ModuleType:
    return load_test_plugin("raising_plugin")


@pytest.fixture
def hanging_plugin() -> ModuleType:
    return load_test_plugin("hanging_plugin")


ACME = TenantIdentity(
    id="t-acme",
    slug="acme",
    name="Acme Dental",
    timezone="America/New_York",
    languages=["en-US", "es-US"],
    business={"address": "1 Main St"},
    industry="dental",
)


@pytest.fixture
def make_call() -> Callable[..., CallContext]:
    """``make_call(plugin_configs={...}, caller=...)``: a voice call to Acme Dental."""

    def make(plugin_configs: dict[str, msgspec.Struct] | None = None, **overrides: Any) -> CallContext:
        fields: dict[str, Any] = {
            "call_sid": "CA0001",
            "tenant": ACME,
            "caller": "+15551230001",
            "called": "+15559870000",
            "language": "en-US",
            "plugin_configs": plugin_configs or {},
        }
        return CallContext(**(fields | overrides))

    return make


@pytest.fixture
def configure() -> Callable[..., dict[str, msgspec.Struct]]:
    """``configure(pm, {plugin: tenant_layer})``: effective configs through the real config path."""

    def configure(
        pm: pluggy.PluginManager, tenant_layers: dict[str, dict[str, Any]]
    ) -> dict[str, msgspec.Struct]:
        catalog = PluginCatalog.from_manager(pm)
        return {
            name: effective_config(catalog.get(name), platform={}, tenant=layer, environ={})
            for name, layer in tenant_layers.items()
        }

    return configure

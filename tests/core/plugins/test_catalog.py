"""The plugin catalog: names, descriptions, Config types, schemas, secrets, defaults."""

from __future__ import annotations

import importlib
from typing import Annotated

import msgspec
import pluggy
import pytest

from core import Secret
from core.plugins.catalog import EmptyConfig, PluginCatalog, UnknownPluginError
from core.plugins.manager import build_plugin_manager
from plugins import BUILTIN_PLUGINS, greeting

BUILTIN_NAMES = frozenset(importlib.import_module(module).NAME for module in BUILTIN_PLUGINS)


class Retry(msgspec.Struct, kw_only=True):
    attempts: int = 3


class CrmPlugin:
    """Syncs calls to a CRM.

    More prose that is not part of the description.
    """

    NAME = "crm"

    class Config(msgspec.Struct, kw_only=True):
        api_key: Secret = None
        webhook_secret: Annotated[str | None, msgspec.Meta(extra={"secret": True})] = None
        region: str = "us"
        retry: Retry = msgspec.field(default_factory=Retry)


class BareEnabledPlugin:
    NAME = "bare"
    DEFAULT_INSTALLED = True


def config_object(schema: dict) -> dict:
    return schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]


@pytest.fixture
def catalog():
    pm = build_plugin_manager(extra_plugins=[("crm", CrmPlugin()), ("bare", BareEnabledPlugin())])
    return PluginCatalog.from_manager(pm)


def test_builtin_plugin_is_described_from_its_module(catalog):
    info = catalog.get("greeting")
    assert info.description == (
        "Answers the call with the tenant's own greeting, rendered from a per-tenant template."
    )
    assert info.config_type is greeting.Config
    assert info.default_installed is True
    assert info.secret_fields == ()
    properties = config_object(info.config_schema)["properties"]
    assert list(properties)[:2] == ["template", "after_hours_template"]
    assert {"voice", "language"} <= set(properties)
    assert properties["template"]["default"].startswith("Thank you for calling {{ business.name }}")


def test_secret_fields_are_found_and_write_only_in_the_schema(catalog):
    info = catalog.get("crm")
    assert info.secret_fields == ("api_key", "webhook_secret")
    assert info.description == "Syncs calls to a CRM."
    assert info.default_installed is False
    properties = config_object(info.config_schema)["properties"]
    assert [properties[name].get("writeOnly") for name in ("api_key", "webhook_secret", "region")] == [
        True,
        True,
        None,
    ]


def test_schema_refers_to_the_config_and_its_nested_structs(catalog):
    schema = catalog.get("crm").config_schema
    assert schema["$ref"] == "#/$defs/Config"
    assert config_object(schema)["properties"]["retry"] == {"$ref": "#/$defs/Retry"}
    assert schema["$defs"]["Retry"]["properties"] == {"attempts": {"type": "integer", "default": 3}}


def test_plugin_without_config_gets_an_empty_one(catalog):
    info = catalog.get("bare")
    assert info.config_type is EmptyConfig
    assert info.description == ""
    assert config_object(info.config_schema)["properties"] == {}
    assert config_object(info.config_schema)["additionalProperties"] is False


def test_unknown_name_lists_the_known_ones(catalog):
    with pytest.raises(UnknownPluginError) as raised:
        catalog.get("grreting")
    known = ", ".join(sorted([*BUILTIN_NAMES, "bare", "crm"]))
    assert str(raised.value) == f"unknown plugin 'grreting'; known plugins: {known}"
    assert raised.value.name == "grreting"


def test_all_is_sorted_by_name(catalog):
    assert [info.name for info in catalog.all()] == sorted([*BUILTIN_NAMES, "bare", "crm"])


# What a new tenant starts with: the receptionist itself. Connectors, industry workflows and
# the event-type registry are built in but installed (or, for event types, needed) by choice.
DEFAULT_BUILTINS = frozenset(
    {"calendar", "greeting", "offline_model", "routing", "screening", "twilio_voice"}
)


def test_default_installed_names(catalog):
    # "bare" says it is installed by default too; "crm" does not.
    assert catalog.default_installed_names() == frozenset({*DEFAULT_BUILTINS, "bare"})


def test_disabled_plugins_are_not_in_the_catalog():
    catalog = PluginCatalog.from_manager(build_plugin_manager(disabled=["screening"]))
    assert [info.name for info in catalog.all()] == sorted(BUILTIN_NAMES - {"screening"})


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"Config": dict}, "Config must be a msgspec.Struct class"),
        ({"DEFAULT_INSTALLED": "yes"}, "DEFAULT_INSTALLED must be a bool"),
    ],
)
def test_malformed_plugin_declarations_are_refused(attributes, message):
    plugin = type("Malformed", (), {"NAME": "malformed", **attributes})()
    pm = build_plugin_manager(extra_plugins=[("malformed", plugin)])
    with pytest.raises(pluggy.PluginValidationError, match=message):
        PluginCatalog.from_manager(pm)

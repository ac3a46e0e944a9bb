"""The one configuration path: layering, references, errors naming the field, secrets at rest."""

from __future__ import annotations

import msgspec
import pytest

from core import ConfigFieldError, Secret
from core.plugins.catalog import PluginCatalog
from core.plugins.config import (
    REDACTED,
    PluginConfigError,
    effective_config,
    merge_layers,
    prepare_for_storage,
    redact,
    validate_config,
)
from core.plugins.manager import build_plugin_manager
from core.security.crypto import SecretBox


class Retry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    attempts: int = 3
    backoff_s: float = 1.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ConfigFieldError("attempts", "must be at least 1")


class CrmPlugin:
    """Syncs calls to a CRM."""

    NAME = "crm"

    # No forbid_unknown_fields at the top: the host refuses unknown keys itself.
    class Config(msgspec.Struct, kw_only=True):
        api_key: Secret = None
        region: str = "us"
        timeout_s: int = 10
        tags: list[str] = []
        retry: Retry = msgspec.field(default_factory=Retry)


@pytest.fixture(scope="module")
def catalog() -> PluginCatalog:
    return PluginCatalog.from_manager(build_plugin_manager(extra_plugins=[("crm", CrmPlugin())]))


@pytest.fixture
def crm(catalog):
    return catalog.get("crm")


@pytest.fixture
def box() -> SecretBox:
    return SecretBox("test-deployment-key")


def config_error(info, layers, **kwargs) -> PluginConfigError:
    with pytest.raises(PluginConfigError) as raised:
        validate_config(info, layers, environ=kwargs.pop("environ", {}), **kwargs)
    return raised.value


def test_merge_is_deep_and_later_layers_win():
    platform = {"region": "us", "tags": ["a", "b"], "retry": {"attempts": 5, "backoff_s": 2.0}}
    tenant = {"tags": ["c"], "retry": {"attempts": 2}}
    number = {"region": "eu"}
    assert merge_layers(platform, tenant, number) == {
        "region": "eu",
        "tags": ["c"],  # lists replace, they do not concatenate
        "retry": {"attempts": 2, "backoff_s": 2.0},
    }
    assert platform == {"region": "us", "tags": ["a", "b"], "retry": {"attempts": 5, "backoff_s": 2.0}}


def test_a_reference_replaces_whatever_it_overrides():
    merged = merge_layers({"api_key": {"$encrypted": "token"}}, {"api_key": {"$env": "CRM_KEY"}})
    assert merged == {"api_key": {"$env": "CRM_KEY"}}


def test_effective_config_falls_back_number_then_tenant_then_platform(crm):
    config = effective_config(
        crm,
        platform={"region": "us", "timeout_s": 30, "retry": {"attempts": 5}},
        tenant={"region": "ca", "retry": {"backoff_s": 0.5}},
        number={"region": "eu"},
        environ={},
    )
    assert config == CrmPlugin.Config(region="eu", timeout_s=30, retry=Retry(attempts=5, backoff_s=0.5))
    without_number = effective_config(crm, platform={"region": "us"}, tenant={"region": "ca"}, environ={})
    assert without_number.region == "ca"


def test_env_references_are_resolved_by_the_host(crm):
    layers = [{"api_key": {"$env": "CRM_KEY"}, "timeout_s": {"$env": "CRM_TIMEOUT"}}]
    config = validate_config(crm, layers, environ={"CRM_KEY": "k-123", "CRM_TIMEOUT": "45"})
    # Environment values are strings; lax conversion makes "45" the int the field wants.
    assert (config.api_key, config.timeout_s) == ("k-123", 45)


def test_missing_env_variable_names_the_field(crm):
    error = config_error(crm, [{"tags": ["x", {"$env": "CRM_TAG"}]}])
    assert (error.field, error.message) == ("config.tags[1]", "environment variable CRM_TAG is not set")
    assert str(error) == "config.tags[1]: environment variable CRM_TAG is not set"


def test_env_variable_missing_only_in_a_shadowed_layer_is_fine(crm):
    config = validate_config(crm, [{"api_key": {"$env": "UNSET"}}, {"api_key": "direct"}], environ={})
    assert config.api_key == "direct"


def test_malformed_reference_is_refused(crm):
    error = config_error(crm, [{"api_key": {"$env": "CRM_KEY", "default": "x"}}])
    assert error.field == "config.api_key"
    assert "$env" in error.message


def test_unknown_field_is_refused_even_without_forbid_unknown_fields(crm):
    error = config_error(crm, [{"regoin": "eu"}])
    assert error.field == "config.regoin"
    assert error.message == (
        "unknown field of plugin 'crm' (accepted: api_key, region, timeout_s, tags, retry)"
    )


def test_unknown_field_in_a_strict_nested_struct_names_it(crm):
    assert config_error(crm, [{"retry": {"attempts": 2, "jitter": True}}]).field == "config.retry.jitter"


@pytest.mark.parametrize(
    ("layer", "field", "message"),
    [
        ({"timeout_s": "soon"}, "config.timeout_s", "Expected `int`, got `str`"),
        ({"tags": ["a", 2]}, "config.tags[1]", "Expected `str`, got `int`"),
        ({"retry": {"backoff_s": "x"}}, "config.retry.backoff_s", "Expected `float`, got `str`"),
        ({"retry": {"attempts": 0}}, "config.retry.attempts", "must be at least 1"),
        ({"retry": []}, "config.retry", "Expected `object`, got `array`"),
    ],
)
def test_invalid_values_name_their_field(crm, layer, field, message):
    error = config_error(crm, [layer])
    assert (error.field, error.message) == (field, message)


def test_a_layer_that_is_not_an_object_is_refused(crm):
    assert config_error(crm, [["region", "eu"]]).field == "config"


def test_validation_errors_from_builtin_plugins_name_their_field(catalog):
    error = config_error(catalog.get("greeting"), [{"template": "Hello {{ business.name "}])
    assert error.field == "config.template"
    blocklist = ["+15551230001", "+15551230002", "call me"]
    error = config_error(catalog.get("screening"), [{"blocklist": blocklist}])
    assert error.field == "config.blocklist[2]"


def test_secrets_are_encrypted_for_storage_and_decrypted_for_calls(crm, box):
    stored = prepare_for_storage(crm, {"api_key": "k-secret", "region": "eu"}, box)

    assert stored["region"] == "eu"
    assert set(stored["api_key"]) == {"$encrypted"}
    assert "k-secret" not in repr(stored)
    assert validate_config(crm, [stored], environ={}, box=box).api_key == "k-secret"


def test_env_references_and_unset_secrets_are_stored_as_they_are(crm, box):
    layer = {"api_key": {"$env": "CRM_KEY"}}
    assert prepare_for_storage(crm, layer, box) == layer
    assert prepare_for_storage(crm, {"region": "eu"}, box) == {"region": "eu"}


def test_encrypted_secret_without_a_key_or_with_another_key_names_the_field(crm, box):
    stored = prepare_for_storage(crm, {"api_key": "k-secret"}, box)
    assert config_error(crm, [stored]).field == "config.api_key"
    error = config_error(crm, [stored], box=SecretBox("another-deployment-key"))
    assert error.field == "config.api_key"
    assert "FRONTDESK_SECRET_KEY" in error.message


def test_redact_hides_secret_values_but_not_env_names(crm, box):
    stored = prepare_for_storage(crm, {"api_key": "k-secret", "region": "eu"}, box)
    assert redact(crm, stored) == {"api_key": REDACTED, "region": "eu"}
    assert redact(crm, {"api_key": {"$env": "CRM_KEY"}}) == {"api_key": {"$env": "CRM_KEY"}}
    assert redact(crm, {"api_key": "plain text never shown"}) == {"api_key": REDACTED}
    assert redact(crm, {"api_key": None}) == {"api_key": None}

"""The only way a plugin is configured: layered dicts validated into the plugin's ``Config``.

Layers, lowest first: platform defaults, the tenant's install, the phone number's overlay
(and an experiment variant's overlay on top, when one applies). Values may be references the
host resolves: ``{"$env": "NAME"}`` (an environment variable of the host process) and
``{"$encrypted": token}`` (a secret stored encrypted with the deployment key).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

import msgspec

from core.plugins.catalog import PluginInfo
from core.security.crypto import SecretBox, SecretDecryptionError

# A field holding a credential: stored encrypted, shown redacted, write-only in the JSON schema.
Secret = Annotated[str | None, msgspec.Meta(extra={"secret": True}, extra_json_schema={"writeOnly": True})]

REDACTED = "********"

_ENV = "$env"
_ENCRYPTED = "$encrypted"
_PATH = re.compile(r"^(?P<message>.*) - at `\$(?P<path>[^`]*)`$", re.DOTALL)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`$")


class ConfigFieldError(ValueError):
    """Raise from a Config's ``__post_init__`` to blame one field (named relative to that Struct)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


class PluginConfigError(ValueError):
    """Invalid plugin config; ``field`` is its path in the request body, e.g. ``config.blocklist[2]``."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def merge_layers(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge config layers; later layers win. Lists, scalars and references replace whole."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if not isinstance(layer, Mapping):
            raise PluginConfigError("config", f"must be an object, not {type(layer).__name__}")
        merged = _merge(merged, layer)
    return merged


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in over.items():
        current = result.get(key)
        if _is_section(current) and _is_section(value):
            result[key] = _merge(current, value)
        else:
            result[key] = value
    return result


def _is_section(value: object) -> bool:
    # A reference is a leaf: merging {"$env": ...} into {"$encrypted": ...} would make nonsense.
    return isinstance(value, Mapping) and not _is_reference(value)


def _is_reference(value: Mapping[str, Any]) -> bool:
    return any(isinstance(key, str) and key.startswith("$") for key in value)


def validate_config(
    info: PluginInfo,
    layers: Iterable[Mapping[str, Any]],
    *,
    environ: Mapping[str, str],
    box: SecretBox | None = None,
) -> msgspec.Struct:
    """Merge ``layers`` (lowest first), resolve references and convert to ``info.config_type``.

    Raises ``PluginConfigError`` naming the field at fault.
    """
    merged = merge_layers(*layers)
    _refuse_unknown_fields(info, merged)
    resolved = _resolve(merged, "config", environ, box)
    try:
        # Lax conversion: "$env" values are always strings, and "30" for an int field is what
        # an operator means; the result is still fully typed.
        return msgspec.convert(resolved, info.config_type, strict=False)
    except msgspec.ValidationError as exc:
        raise _field_error(exc) from exc


def effective_config(
    info: PluginInfo,
    *,
    platform: Mapping[str, Any],
    tenant: Mapping[str, Any],
    number: Mapping[str, Any] | None = None,
    environ: Mapping[str, str],
    box: SecretBox | None = None,
) -> msgspec.Struct:
    """The config a call sees: the number's layer over the tenant's over the platform's."""
    return validate_config(info, [platform, tenant, number or {}], environ=environ, box=box)


def prepare_for_storage(info: PluginInfo, config: Mapping[str, Any], box: SecretBox) -> dict[str, Any]:
    """Encrypt plain-text secrets before a layer is stored; ``$env`` references stay as they are."""
    stored = dict(config)
    for name in info.secret_fields:
        value = stored.get(name)
        if isinstance(value, str):
            stored[name] = {_ENCRYPTED: box.encrypt(value)}
    return stored


def redact(info: PluginInfo, stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored layer safe to show: secrets become ``REDACTED``; ``$env`` names stay visible."""
    shown = dict(stored)
    for name in info.secret_fields:
        value = shown.get(name)
        is_env_reference = isinstance(value, Mapping) and set(value) == {_ENV}
        if value is not None and not is_env_reference:
            shown[name] = REDACTED
    return shown


def _refuse_unknown_fields(info: PluginInfo, merged: Mapping[str, Any]) -> None:
    # Checked here rather than trusting forbid_unknown_fields, which third-party Configs may omit:
    # a misspelt key silently ignored is a setting the operator thinks they made.
    known = [field.encode_name for field in msgspec.structs.fields(info.config_type)]
    for key in merged:
        if key not in known:
            accepted = f"accepted: {', '.join(known)}" if known else "this plugin takes no configuration"
            raise PluginConfigError(f"config.{key}", f"unknown field of plugin {info.name!r} ({accepted})")


def _resolve(value: Any, path: str, environ: Mapping[str, str], box: SecretBox | None) -> Any:
    if isinstance(value, Mapping):
        if _is_reference(value):
            return _resolve_reference(value, path, environ, box)
        return {key: _resolve(item, f"{path}.{key}", environ, box) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, f"{path}[{index}]", environ, box) for index, item in enumerate(value)]
    return value


def _resolve_reference(
    reference: Mapping[str, Any], path: str, environ: Mapping[str, str], box: SecretBox | None
) -> str:
    (kind, argument), *rest = reference.items()
    if rest or kind not in (_ENV, _ENCRYPTED) or not isinstance(argument, str) or not argument:
        raise PluginConfigError(path, 'a reference is {"$env": "NAME"} or {"$encrypted": "<token>"}')
    if kind == _ENV:
        try:
            return environ[argument]
        except KeyError:
            raise PluginConfigError(path, f"environment variable {argument} is not set") from None
    if box is None:
        raise PluginConfigError(path, "is stored encrypted but no secret key is configured")
    try:
        return box.decrypt(argument)
    except SecretDecryptionError as exc:
        raise PluginConfigError(path, str(exc)) from None


def _field_error(exc: msgspec.ValidationError) -> PluginConfigError:
    """Turn msgspec's ``... - at `$.a[2]` `` into ``PluginConfigError("config.a[2]", ...)``."""
    match = _PATH.match(str(exc))
    message, path = (match["message"], match["path"]) if match else (str(exc), "")
    field = "config" + path
    blamed = exc.__cause__
    if isinstance(blamed, ConfigFieldError):
        message, field = blamed.message, _join(field, blamed.field)
    elif unknown := _UNKNOWN_FIELD.match(message):
        message, field = "unknown field", _join(field, unknown["field"])
    return PluginConfigError(field, message)


def _join(path: str, field: str) -> str:
    return path + field if field.startswith("[") else f"{path}.{field}"

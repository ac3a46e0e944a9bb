"""What each registered plugin is: its name, description, Config type and JSON schema."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable
from typing import Any

import msgspec
import pluggy


class EmptyConfig(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The Config of a plugin that declares none: it accepts only ``{}``."""


class UnknownPluginError(LookupError):
    """A plugin name that no registered plugin has; the message lists the known ones."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(f"unknown plugin {name!r}; known plugins: {', '.join(self.known) or 'none'}")


class PluginInfo(msgspec.Struct, kw_only=True, frozen=True):
    """A registered plugin as the admin API and the config path see it."""

    name: str
    description: str
    config_type: type[msgspec.Struct]
    default_installed: bool
    config_schema: dict[str, Any]
    secret_fields: tuple[str, ...]


class PluginCatalog:
    """The plugins of one manager, by name."""

    def __init__(self, infos: Iterable[PluginInfo]) -> None:
        self._infos = {info.name: info for info in infos}

    @classmethod
    def from_manager(cls, pm: pluggy.PluginManager) -> PluginCatalog:
        # Blocked (disabled) names stay in pluggy's table with a None plugin.
        registered = [(name, plugin) for name, plugin in pm.list_name_plugin() if plugin is not None]
        return cls(describe_plugin(name, plugin) for name, plugin in registered)

    def get(self, name: str) -> PluginInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise UnknownPluginError(name, self._infos) from None

    def all(self) -> list[PluginInfo]:
        return sorted(self._infos.values(), key=lambda info: info.name)

    def default_installed_names(self) -> frozenset[str]:
        """What a new tenant starts with, so it answers calls as soon as it has a number."""
        return frozenset(name for name, info in self._infos.items() if info.default_installed)


def describe_plugin(name: str, plugin: object) -> PluginInfo:
    """Read a plugin's ``Config``, ``DEFAULT_INSTALLED`` and docstring."""
    config_type = getattr(plugin, "Config", EmptyConfig)
    if not (isinstance(config_type, type) and issubclass(config_type, msgspec.Struct)):
        raise pluggy.PluginValidationError(plugin, f"plugin {name!r}: Config must be a msgspec.Struct class")
    default_installed = getattr(plugin, "DEFAULT_INSTALLED", False)
    if not isinstance(default_installed, bool):
        raise pluggy.PluginValidationError(plugin, f"plugin {name!r}: DEFAULT_INSTALLED must be a bool")
    secret_fields = _secret_fields(config_type)
    return PluginInfo(
        name=name,
        description=_first_line(inspect.getdoc(plugin)),
        config_type=config_type,
        default_installed=default_installed,
        config_schema=_schema(config_type, secret_fields),
        secret_fields=secret_fields,
    )


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0] if doc and doc.strip() else ""


def _secret_fields(config_type: type[msgspec.Struct]) -> tuple[str, ...]:
    """Encoded names of fields annotated with ``msgspec.Meta(extra={"secret": True})``."""
    hints = typing.get_type_hints(config_type, include_extras=True)
    secret = []
    for field in msgspec.structs.fields(config_type):
        hint = hints[field.name]
        metas = typing.get_args(hint)[1:] if typing.get_origin(hint) is typing.Annotated else ()
        if any(isinstance(meta, msgspec.Meta) and (meta.extra or {}).get("secret") for meta in metas):
            secret.append(field.encode_name)
    return tuple(secret)


def _schema(config_type: type[msgspec.Struct], secret_fields: tuple[str, ...]) -> dict[str, Any]:
    """msgspec's JSON schema of the Config: ``{"$ref": "#/$defs/<Config>", "$defs": {...}}``."""
    schema = msgspec.json.schema(config_type)
    config_object = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    # Mark secrets for forms and docs even when the plugin used the bare Meta(extra=...) form.
    for field_name in secret_fields:
        config_object["properties"][field_name]["writeOnly"] = True
    return schema

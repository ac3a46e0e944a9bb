"""Providers registered at startup (models, voices, calendars...), by kind and name."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import pluggy

from core.plugins.calling import arguments_for, call_order
from core.providers import (
    Calendar,
    CRMConnector,
    EventType,
    LLMProvider,
    ProviderKind,
    Register,
    Registration,
    Voice,
    Workflow,
)

# kind → (the hook that registers it, what a registered provider must be)
PROVIDER_KINDS: dict[ProviderKind, tuple[str, type]] = {
    "llm_provider": ("register_llm_providers", LLMProvider),
    "voice": ("register_voices", Voice),
    "calendar": ("register_calendars", Calendar),
    "crm_connector": ("register_crm_connectors", CRMConnector),
    "workflow": ("register_workflows", Workflow),
    "event_type": ("register_event_types", EventType),
}


class ProviderRegistrationError(ValueError):
    """A plugin registered something the host cannot use; raised at startup, naming the plugin."""


class UnknownProviderError(LookupError):
    """No provider of that kind has that name; the message lists the ones there are."""


class ProviderRegistry:
    """Every registered provider, one dict per kind, names unique within a kind."""

    def __init__(self, registrations: Iterable[Registration] = ()) -> None:
        self._by_kind: dict[ProviderKind, dict[str, Registration]] = {kind: {} for kind in PROVIDER_KINDS}
        for registration in registrations:
            self.add(registration)

    def add(self, registration: Registration) -> None:
        kind, name = registration.kind, registration.name
        _, expected = PROVIDER_KINDS[kind]
        if not isinstance(registration.provider, expected):
            raise ProviderRegistrationError(
                f"plugin {registration.plugin!r} registered {kind} {name!r} as a "
                f"{type(registration.provider).__name__}, not a {expected.__name__}"
            )
        existing = self._by_kind[kind].get(name)
        if existing is not None:
            raise ProviderRegistrationError(
                f"{kind} {name!r} is registered by both plugin {existing.plugin!r} and plugin "
                f"{registration.plugin!r}; disable one of them"
            )
        self._by_kind[kind][name] = registration

    def of_kind(self, kind: ProviderKind) -> Mapping[str, Registration]:
        return MappingProxyType(self._by_kind[kind])

    def get(self, kind: ProviderKind, name: str) -> Registration:
        try:
            return self._by_kind[kind][name]
        except KeyError:
            known = ", ".join(sorted(self._by_kind[kind])) or "none"
            raise UnknownProviderError(f"no {kind} named {name!r}; registered: {known}") from None


def collect_providers(pm: pluggy.PluginManager) -> ProviderRegistry:
    """Call every ``register_*`` hook once, recording which plugin registered what."""
    registry = ProviderRegistry()
    for kind, (hook_name, _) in PROVIDER_KINDS.items():
        caller = getattr(pm.hook, hook_name)
        for impl in call_order(caller):
            register = _register_callback(registry, kind, impl.plugin_name)
            try:
                result = impl.function(**arguments_for(impl, {"register": register}))
            except ProviderRegistrationError:
                raise
            except Exception as exc:
                raise ProviderRegistrationError(
                    f"plugin {impl.plugin_name!r} failed in {hook_name}: {exc!r}"
                ) from exc
            if inspect.isawaitable(result):
                if inspect.iscoroutine(result):
                    result.close()  # never awaited; close it to avoid the "never awaited" warning
                raise ProviderRegistrationError(
                    f"plugin {impl.plugin_name!r}: {hook_name} must be a plain (not async) function"
                )
    return registry


def _register_callback(registry: ProviderRegistry, kind: ProviderKind, plugin: str) -> Register:
    def register(name: str, provider: object, /, **metadata: Any) -> None:
        if not isinstance(name, str) or not name:
            raise ProviderRegistrationError(f"plugin {plugin!r} registered a {kind} without a name")
        registry.add(Registration(kind=kind, name=name, provider=provider, plugin=plugin, metadata=metadata))

    return register

"""Calling hooks for one tenant's call: only its installed plugins, awaited, failures isolated.

pluggy cannot await, and one plugin's bug must never cost a caller their call, so per-call
hooks are run implementation by implementation here rather than through ``HookCaller.__call__``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import pluggy
import structlog

log = structlog.get_logger(__name__)


class TenantHooks:
    """The hooks of one tenant at one config version: installed plugins only."""

    def __init__(self, pm: pluggy.PluginManager, installed: frozenset[str]) -> None:
        self._pm = pm
        self.installed = installed
        self._removed = [
            plugin for name, plugin in pm.list_name_plugin() if plugin is not None and name not in installed
        ]
        self._callers: dict[str, pluggy.HookCaller] = {}

    def caller(self, hook_name: str) -> pluggy.HookCaller:
        """The hook caller reaching only this tenant's installed plugins."""
        if hook_name not in self._callers:
            spec_caller = getattr(self._pm.hook, hook_name, None)
            if spec_caller is None or not spec_caller.has_spec():
                raise AttributeError(f"no hook named {hook_name!r}")
            self._callers[hook_name] = self._pm.subset_hook_caller(hook_name, remove_plugins=self._removed)
        return self._callers[hook_name]


class HookRouter:
    """Per-tenant hook callers, cached per (tenant, config version) in a bounded LRU.

    A tenant's config version changes whenever its installs do, so a cache entry never goes
    stale; old versions simply age out.
    """

    def __init__(self, pm: pluggy.PluginManager, *, max_tenants: int = 1024) -> None:
        self._pm = pm
        self._max_tenants = max_tenants
        self._cache: OrderedDict[tuple[str, int], TenantHooks] = OrderedDict()
        self._known = {name for name, plugin in pm.list_name_plugin() if plugin is not None}

    def for_tenant(self, tenant_id: str, config_version: int, installed: frozenset[str]) -> TenantHooks:
        key = (tenant_id, config_version)
        hooks = self._cache.get(key)
        if hooks is not None:
            self._cache.move_to_end(key)
            return hooks
        missing = installed - self._known
        if missing:
            # Installs are validated against the catalog, so this means a plugin was disabled
            # or uninstalled from the host since; calls still go through without it.
            log.warning("plugins.installed_but_absent", tenant_id=tenant_id, plugins=sorted(missing))
        hooks = self._cache[key] = TenantHooks(self._pm, installed)
        if len(self._cache) > self._max_tenants:
            self._cache.popitem(last=False)
        return hooks


def call_order(caller: pluggy.HookCaller) -> list[pluggy.HookImpl]:
    """Implementations in pluggy's order: last registered first, tryfirst/trylast honoured."""
    return list(reversed(caller.get_hookimpls()))


def arguments_for(impl: pluggy.HookImpl, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Only the arguments an implementation declares (pluggy lets it take fewer than the spec)."""
    return {name: kwargs[name] for name in impl.argnames}


# ``timeout`` is a deadline per implementation, which a caller's own asyncio.timeout could not
# give (one slow plugin would use up everyone's time): hence the ASYNC109 exemptions.
async def call_first(
    caller: pluggy.HookCaller,
    *,
    timeout: float | None = None,  # noqa: ASYNC109 - a per-implementation deadline, not the caller's
    **kwargs: Any,
) -> Any:
    """The first non-None result, or None. ``timeout`` (seconds) applies to each implementation."""
    _check_arguments(caller, kwargs)
    for impl in call_order(caller):
        result = await _run(caller.name, impl, kwargs, timeout)
        if result is not None:
            return result
    return None


async def call_all(
    caller: pluggy.HookCaller,
    *,
    timeout: float | None = None,  # noqa: ASYNC109 - a per-implementation deadline, not the caller's
    **kwargs: Any,
) -> list[Any]:
    """Every non-None result, in call order. ``timeout`` (seconds) applies to each implementation."""
    _check_arguments(caller, kwargs)
    results = []
    for impl in call_order(caller):
        result = await _run(caller.name, impl, kwargs, timeout)
        if result is not None:
            results.append(result)
    return results


def _check_arguments(caller: pluggy.HookCaller, kwargs: Mapping[str, Any]) -> None:
    # A mismatch is a host bug, not a plugin's: fail loudly instead of isolating it.
    expected = set(caller.spec.argnames) if caller.spec else set()
    if set(kwargs) != expected:
        raise TypeError(f"hook {caller.name!r} takes {sorted(expected)}, got {sorted(kwargs)}")


async def _run(hook: str, impl: pluggy.HookImpl, kwargs: Mapping[str, Any], seconds: float | None) -> Any:
    """The implementation's result; None (skipped) when it raised or overran ``seconds``."""
    try:
        result = impl.function(**arguments_for(impl, kwargs))
        if inspect.isawaitable(result):
            async with asyncio.timeout(seconds):
                result = await result
    except TimeoutError:
        log.warning("plugin.hook_timed_out", plugin=impl.plugin_name, hook=hook, timeout=seconds)
        return None
    except Exception as exc:
        log.warning("plugin.hook_failed", plugin=impl.plugin_name, hook=hook, error=repr(exc), exc_info=exc)
        return None
    return result

"""Builds the one plugin manager of a process (called by the app factory, never at import)."""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterable

import pluggy

from core.hooks import specs
from core.hooks.markers import PROJECT_NAME
from plugins import BUILTIN_PLUGINS


class FrontdeskPluginManager(pluggy.PluginManager):
    """A pluggy manager whose every plugin is named by its ``NAME``.

    Built-in, entry-point and test plugins all arrive through ``register``, so this is the one
    place a plugin's name is decided: the name tenants install it by.
    """

    def __init__(self) -> None:
        super().__init__(PROJECT_NAME)

    def register(self, plugin: object, name: str | None = None) -> str | None:
        declared = getattr(plugin, "NAME", None)
        if declared is not None and not (isinstance(declared, str) and declared):
            raise pluggy.PluginValidationError(plugin, f"plugin {plugin!r}: NAME must be a non-empty string")
        if name is not None and declared is not None and name != declared:
            # Typically an entry point published under another name than the module's NAME.
            raise pluggy.PluginValidationError(
                plugin, f"plugin {plugin!r} is registered as {name!r} but declares NAME = {declared!r}"
            )
        if name is None and declared is None:
            raise pluggy.PluginValidationError(plugin, f"plugin {plugin!r} must declare NAME")
        return super().register(plugin, name=name or declared)


def build_plugin_manager(
    *, disabled: Iterable[str] = (), extra_plugins: Iterable[tuple[str, object]] = ()
) -> pluggy.PluginManager:
    """Register built-in, entry-point (group ``frontdesk``) and extra plugins, minus ``disabled``."""
    pm = FrontdeskPluginManager()
    pm.add_hookspecs(specs)
    # Blocking a name makes pluggy skip it on every path below, entry points included.
    for name in disabled:
        pm.set_blocked(name)

    for module_path in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(module_path))

    # pluggy silently skips an entry point whose name is taken; a plugin that never runs
    # while its author thinks it does is worse than refusing to start.
    for entry_point in importlib.metadata.entry_points(group=PROJECT_NAME):
        if pm.has_plugin(entry_point.name):
            raise pluggy.PluginValidationError(
                None, f"entry point {entry_point.value!r} reuses the plugin name {entry_point.name!r}"
            )
    pm.load_setuptools_entrypoints(PROJECT_NAME)

    for name, plugin in extra_plugins:
        pm.register(plugin, name=name)

    pm.check_pending()
    _refuse_wrappers(pm)
    return pm


def _refuse_wrappers(pm: pluggy.PluginManager) -> None:
    # The host calls each implementation itself (to await it and isolate its failures), so a
    # wrapper would never wrap anything; refuse it rather than ignore it.
    for caller in vars(pm.hook).values():
        for impl in caller.get_hookimpls():
            if impl.wrapper or impl.hookwrapper:
                raise pluggy.PluginValidationError(
                    impl.plugin,
                    f"plugin {impl.plugin_name!r}: hook {caller.name!r} cannot be a wrapper in Frontdesk",
                )

"""Building the plugin manager: built-ins, entry points and extras through one registration path."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pluggy
import pytest

from core import Greeting, hookimpl
from core.plugins.manager import build_plugin_manager
from plugins import BUILTIN_PLUGINS

BUILTIN_NAMES = frozenset(importlib.import_module(module).NAME for module in BUILTIN_PLUGINS)


def registered_names(pm: pluggy.PluginManager) -> list[str]:
    return sorted(name for name, plugin in pm.list_name_plugin() if plugin is not None)


@pytest.fixture
def installed_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``install(entry_point_name, module_name, source)``: a real dist-info on sys.path."""

    def install(entry_point_name: str, module_name: str, source: str) -> None:
        (tmp_path / f"{module_name}.py").write_text(textwrap.dedent(source))
        dist_info = tmp_path / f"{module_name}-1.0.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module_name}\nVersion: 1.0\n")
        (dist_info / "entry_points.txt").write_text(f"[frontdesk]\n{entry_point_name} = {module_name}\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.delitem(sys.modules, module_name, raising=False)

    return install


PLUGIN_SOURCE = """
    from core import Greeting, hookimpl

    NAME = "{name}"

    @hookimpl
    def greeting(call):
        return Greeting(text="from the entry point")
"""


def test_builtins_register_under_their_names():
    pm = build_plugin_manager()
    assert registered_names(pm) == sorted(BUILTIN_NAMES)
    assert [pm.get_plugin(name).__name__ for name in registered_names(pm)] == list(BUILTIN_PLUGINS)


def test_disabled_names_are_skipped_on_every_path():
    class Extra:
        NAME = "extra"

    pm = build_plugin_manager(disabled=["screening", "extra"], extra_plugins=[("extra", Extra())])
    assert registered_names(pm) == sorted(BUILTIN_NAMES - {"screening"})


def test_entry_point_plugins_are_loaded(installed_distribution):
    installed_distribution("fd_test_ext", "fd_test_ext_plugin", PLUGIN_SOURCE.format(name="fd_test_ext"))

    pm = build_plugin_manager()

    assert "fd_test_ext" in registered_names(pm)
    [impl] = [i for i in pm.hook.greeting.get_hookimpls() if i.plugin_name == "fd_test_ext"]
    assert impl.function(call=None) == Greeting(text="from the entry point")


def test_disabled_entry_point_is_not_even_imported(installed_distribution):
    installed_distribution("fd_test_off", "fd_test_off_plugin", PLUGIN_SOURCE.format(name="fd_test_off"))

    pm = build_plugin_manager(disabled=["fd_test_off"])

    assert "fd_test_off" not in registered_names(pm)
    assert "fd_test_off_plugin" not in sys.modules


def test_entry_point_name_must_match_the_plugins_name(installed_distribution):
    installed_distribution("fd_test_alias", "fd_test_alias_plugin", PLUGIN_SOURCE.format(name="fd_test_real"))
    with pytest.raises(pluggy.PluginValidationError, match="registered as 'fd_test_alias' but declares NAME"):
        build_plugin_manager()


def test_entry_point_cannot_take_a_builtin_name(installed_distribution):
    installed_distribution("greeting", "fd_test_clash_plugin", PLUGIN_SOURCE.format(name="greeting"))
    with pytest.raises(pluggy.PluginValidationError, match="reuses the plugin name 'greeting'"):
        build_plugin_manager()


def test_plugin_without_a_name_is_refused():
    class Nameless:
        @hookimpl
        def greeting(self, call):
            return None

    pm = build_plugin_manager()
    with pytest.raises(pluggy.PluginValidationError, match="must declare NAME"):
        pm.register(Nameless())


def test_extra_plugin_name_must_match_its_declared_name():
    class Named:
        NAME = "named"

    with pytest.raises(pluggy.PluginValidationError, match="as 'other' but declares NAME = 'named'"):
        build_plugin_manager(extra_plugins=[("other", Named())])


def test_unknown_hook_implementation_fails_at_start():
    class Misspelt:
        NAME = "misspelt"

        @hookimpl
        def greting(self, call):
            return None

    with pytest.raises(pluggy.PluginValidationError, match="unknown hook 'greting'"):
        build_plugin_manager(extra_plugins=[("misspelt", Misspelt())])


def test_wrappers_are_refused():
    class Wrapping:
        NAME = "wrapping"

        @hookimpl(wrapper=True)
        def greeting(self, call):
            return (yield)

    with pytest.raises(pluggy.PluginValidationError, match="hook 'greeting' cannot be a wrapper"):
        build_plugin_manager(extra_plugins=[("wrapping", Wrapping())])


def test_each_build_is_a_separate_manager():
    first, second = build_plugin_manager(), build_plugin_manager(disabled=["greeting"])
    assert first is not second
    assert first.has_plugin("greeting") and not second.has_plugin("greeting")

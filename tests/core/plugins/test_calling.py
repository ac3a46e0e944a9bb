"""Per-tenant hook callers: only installed plugins, cached per config version, failures isolated."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from structlog.testing import capture_logs

from core import CallEvent, Greeting, Turn, hookimpl
from core.plugins.calling import HookRouter, call_all, call_first
from core.plugins.manager import build_plugin_manager


class Greeter:
    """An ad-hoc plugin greeting with its own name, optionally ordered with tryfirst/trylast."""

    def __init__(self, name: str, **order: bool) -> None:
        self.NAME = name

        @hookimpl(**order)
        def greeting(call):
            return Greeting(text=f"hello from {name}")

        self.greeting = greeting


class TurnOnlyRouter:
    """Declares fewer arguments than the spec; pluggy allows it and so must the helpers."""

    NAME = "turn_only"

    def __init__(self) -> None:
        self.turns: list[Turn] = []

    @hookimpl
    def route_call(self, turn):
        self.turns.append(turn)


@pytest.fixture
def greeters():
    return [Greeter("first"), Greeter("second")]


@pytest.fixture
def router(greeters):
    return HookRouter(build_plugin_manager(extra_plugins=[(g.NAME, g) for g in greeters]))


def texts(results: list[Greeting]) -> list[str]:
    return [result.text for result in results]


async def test_each_tenant_reaches_only_its_installed_plugins(router, make_call):
    first_only = router.for_tenant("t-1", 1, frozenset({"first"})).caller("greeting")
    second_only = router.for_tenant("t-2", 1, frozenset({"second"})).caller("greeting")
    nothing = router.for_tenant("t-3", 1, frozenset()).caller("greeting")

    assert texts(await call_all(first_only, call=make_call())) == ["hello from first"]
    assert texts(await call_all(second_only, call=make_call())) == ["hello from second"]
    assert await call_all(nothing, call=make_call()) == []
    assert await call_first(nothing, call=make_call()) is None


async def test_hooks_are_cached_per_tenant_and_config_version(router, make_call):
    version_1 = router.for_tenant("t-1", 1, frozenset({"first"}))

    # Same version: the cached hooks, whatever else is passed (installs only change with the version).
    assert router.for_tenant("t-1", 1, frozenset({"first", "second"})) is version_1
    assert version_1.caller("greeting") is version_1.caller("greeting")

    version_2 = router.for_tenant("t-1", 2, frozenset({"first", "second"}))
    assert version_2 is not version_1
    assert texts(await call_all(version_2.caller("greeting"), call=make_call())) == [
        "hello from second",
        "hello from first",
    ]


def test_cache_is_bounded_least_recently_used_first(greeters):
    router = HookRouter(build_plugin_manager(extra_plugins=[(g.NAME, g) for g in greeters]), max_tenants=2)
    tenant_1 = router.for_tenant("t-1", 1, frozenset())
    tenant_2 = router.for_tenant("t-2", 1, frozenset())
    assert router.for_tenant("t-1", 1, frozenset()) is tenant_1  # t-1 is now the most recent

    router.for_tenant("t-3", 1, frozenset())

    assert router.for_tenant("t-1", 1, frozenset()) is tenant_1
    assert router.for_tenant("t-2", 1, frozenset()) is not tenant_2


def test_installed_plugin_absent_from_host_is_logged(router):
    with capture_logs() as logs:
        router.for_tenant("t-1", 7, frozenset({"first", "retired"}))
    assert logs == [
        {
            "event": "plugins.installed_but_absent",
            "tenant_id": "t-1",
            "plugins": ["retired"],
            "log_level": "warning",
        }
    ]


async def test_call_order_is_pluggys_last_registered_first_with_tryfirst_and_trylast(make_call):
    plugins = [
        Greeter("late", trylast=True),
        Greeter("first"),
        Greeter("early", tryfirst=True),
        Greeter("second"),
    ]
    pm = build_plugin_manager(extra_plugins=[(p.NAME, p) for p in plugins])
    caller = HookRouter(pm).for_tenant("t-1", 1, frozenset(p.NAME for p in plugins)).caller("greeting")

    assert texts(await call_all(caller, call=make_call())) == [
        "hello from early",
        "hello from second",
        "hello from first",
        "hello from late",
    ]
    assert (await call_first(caller, call=make_call())).text == "hello from early"


async def test_raising_implementation_is_logged_and_skipped(raising_plugin, greeters, make_call):
    pm = build_plugin_manager(extra_plugins=[("first", greeters[0]), ("raising", raising_plugin)])
    caller = HookRouter(pm).for_tenant("t-1", 1, frozenset({"first", "raising"})).caller("greeting")

    with capture_logs() as logs:
        result = await call_first(caller, call=make_call())

    assert result == Greeting(text="hello from first")
    [failure] = logs
    assert (failure["event"], failure["plugin"], failure["hook"], failure["log_level"]) == (
        "plugin.hook_failed",
        "raising",
        "greeting",
        "warning",
    )
    assert failure["error"] == "RuntimeError('raising plugin fails in greeting')"


async def test_sync_raising_implementation_is_isolated_in_call_all(raising_plugin, make_call):
    pm = build_plugin_manager(extra_plugins=[("raising", raising_plugin)])
    caller = HookRouter(pm).for_tenant("t-1", 1, frozenset({"raising"})).caller("log_call_event")
    event = CallEvent(type="call.started", at=datetime(2025, 3, 3, 15, 0, tzinfo=UTC))

    with capture_logs() as logs:
        assert await call_all(caller, call=make_call(), event=event) == []
    assert [log["error"] for log in logs] == ["RuntimeError('raising plugin fails in log_call_event')"]


async def test_hanging_implementation_times_out_and_is_skipped(hanging_plugin, greeters, make_call):
    pm = build_plugin_manager(extra_plugins=[("first", greeters[0]), ("hanging", hanging_plugin)])
    caller = HookRouter(pm).for_tenant("t-1", 1, frozenset({"first", "hanging"})).caller("greeting")

    started = time.monotonic()
    with capture_logs() as logs:
        result = await call_first(caller, timeout=0.05, call=make_call())

    assert result == Greeting(text="hello from first")
    assert time.monotonic() - started < 1
    assert logs == [
        {
            "event": "plugin.hook_timed_out",
            "plugin": "hanging",
            "hook": "greeting",
            "timeout": 0.05,
            "log_level": "warning",
        }
    ]


async def test_implementations_receive_only_the_arguments_they_declare(make_call):
    router_plugin = TurnOnlyRouter()
    pm = build_plugin_manager(extra_plugins=[("turn_only", router_plugin)])
    caller = HookRouter(pm).for_tenant("t-1", 1, frozenset({"turn_only"})).caller("route_call")
    turn = Turn(number=1, text="hi")

    assert await call_first(caller, call=make_call(), turn=turn) is None
    assert router_plugin.turns == [turn]


async def test_wrong_arguments_are_a_host_error_not_isolated(router, make_call):
    caller = router.for_tenant("t-1", 1, frozenset({"first"})).caller("route_call")
    with pytest.raises(TypeError, match=r"hook 'route_call' takes \['call', 'turn'\], got \['call'\]"):
        await call_first(caller, call=make_call())


def test_unknown_hook_name_is_refused(router):
    with pytest.raises(AttributeError, match="no hook named 'greet'"):
        router.for_tenant("t-1", 1, frozenset()).caller("greet")

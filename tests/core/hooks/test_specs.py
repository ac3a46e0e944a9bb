"""Every hook, exercised through the manager and the calling helpers with the test plugins."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from structlog.testing import capture_logs

from core import (
    CallEvent,
    ConnectorEvent,
    Greeting,
    Message,
    RouteDecision,
    ScreeningDecision,
    Slot,
    Speech,
    TextDelta,
    ToolCall,
    ToolSpec,
    Turn,
    Workflow,
)
from core.hooks import specs
from core.hooks.markers import PROJECT_NAME
from core.plugins.calling import HookRouter, call_all, call_first
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers
from plugins.twilio_voice import TwilioVoice

HOOKS = {
    name: function
    for name, function in inspect.getmembers(specs, inspect.isfunction)
    if hasattr(function, f"{PROJECT_NAME}_spec")
}
STARTED = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def manager(answering_plugin, raising_plugin, hanging_plugin):
    return build_plugin_manager(
        extra_plugins=[
            ("answering", answering_plugin),
            ("raising", raising_plugin),
            ("hanging", hanging_plugin),
        ]
    )


@pytest.fixture
def registry(manager):
    return collect_providers(manager)


def tenant_caller(manager, hook_name: str, *installed: str):
    return HookRouter(manager).for_tenant("t-acme", 1, frozenset(installed)).caller(hook_name)


def test_every_hook_is_specified():
    assert sorted(HOOKS) == [
        "greeting",
        "log_call_event",
        "register_calendars",
        "register_crm_connectors",
        "register_event_types",
        "register_llm_providers",
        "register_voices",
        "register_workflows",
        "route_call",
        "screen_call",
    ]


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_hookspec_docstring_is_one_line_stating_how_results_combine(name):
    doc = HOOKS[name].__doc__
    assert "\n" not in doc.strip()
    assert doc.endswith(("All results are collected.", "First non-None result wins."))


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_no_hook_is_firstresult_or_historic(manager, name):
    opts = getattr(manager.hook, name).spec.opts
    assert (opts["firstresult"], opts["historic"]) == (False, False)


# --- startup hooks -------------------------------------------------------------------------


async def test_hook_register_llm_providers(registry, make_call):
    registration = registry.get("llm_provider", "echo")
    assert (registration.plugin, registration.metadata) == ("answering", {"streaming": True})
    tools = [ToolSpec(name="take_message", description="Take a message")]
    stream = registration.provider.respond(make_call(), [Message(role="user", content="hours?")], tools)
    assert [item async for item in stream] == [
        TextDelta(text="you said: hours?"),
        ToolCall(id="call-take_message", name="take_message", arguments={"caller": "+15551230001"}),
    ]


async def test_hook_register_voices(registry, make_call):
    twilio = registry.get("voice", "twilio")
    assert (twilio.plugin, twilio.metadata) == ("twilio_voice", {"output": "say"})
    assert isinstance(twilio.provider, TwilioVoice)
    recorded = registry.get("voice", "recorded")
    assert recorded.plugin == "answering"
    assert await recorded.provider.speak(make_call(), "Hello", "en-GB") == Speech(
        kind="play", text="Hello", language="en-GB", url="https://audio.test/CA0001.mp3"
    )


async def test_hook_register_calendars(registry, make_call):
    registration = registry.get("calendar", "one-slot")
    assert registration.plugin == "answering"
    slots = await registration.provider.available_slots(
        make_call(), STARTED, STARTED + timedelta(days=1), timedelta(minutes=30)
    )
    assert slots == [Slot(start=STARTED, end=STARTED + timedelta(minutes=30))]


async def test_hook_register_crm_connectors(registry, make_call):
    registration = registry.get("crm_connector", "recording")
    assert (registration.plugin, registration.metadata) == ("answering", {"objects": ["calls"]})
    call = make_call()
    event = ConnectorEvent(id="msg_1", type="call.completed", timestamp=STARTED, data={}, tenant=call.tenant)
    async with httpx.AsyncClient() as http:
        await registration.provider.deliver(event, None, http)
    assert registration.provider.events == [(call.tenant.slug, "call.completed")]


def test_hook_register_workflows(registry, make_call):
    registration = registry.get("workflow", "grooming")
    assert (registration.plugin, registration.metadata) == ("answering", {"industry": "pet_grooming"})
    workflow = registration.provider
    assert isinstance(workflow, Workflow)
    assert (workflow.name, workflow.qualification_fields) == ("grooming", ["breed"])
    assert [intent.name for intent in workflow.intents] == ["book_groom"]
    assessment = workflow.assess(make_call(), "book_groom", {"breed": "poodle", "size": None})
    assert (assessment.fields, assessment.score, assessment.missing) == ({"breed": "poodle"}, 25, [])
    # The built-in workflows register through the same hook, each under its plugin's name.
    assert {name: reg.plugin for name, reg in registry.of_kind("workflow").items()} == {
        "grooming": "answering",
        "dental": "dental",
        "home_services": "home_services",
        "legal": "legal",
        "mortgage": "mortgage",
    }


def test_hook_register_event_types(registry):
    registration = registry.get("event_type", "call.greeted")
    assert registration.plugin == "answering"
    assert registration.provider.sample == {"call_sid": "CA0001", "greeted_by": "answering"}


# --- per-call hooks ------------------------------------------------------------------------


async def test_hook_screen_call(manager, make_call, configure):
    installed = ("screening", "answering", "raising", "hanging")
    caller = tenant_caller(manager, "screen_call", *installed)
    configs = configure(manager, {"screening": {"blocklist": ["+1 555 123 0001"]}, "answering": {}})

    with capture_logs() as logs:
        blocked = await call_first(caller, timeout=0.05, call=make_call(configs))
        unknown = await call_first(caller, timeout=0.05, call=make_call(configs, caller="+15557770000"))

    # The tenant's blocklist (screening) decides before the test plugin's generic answer.
    assert blocked == ScreeningDecision(action="reject", reasons=["blocklist"])
    assert unknown == ScreeningDecision(action="challenge", reasons=["answering screened +15557770000"])
    assert [(log["event"], log["plugin"]) for log in logs] == [
        ("plugin.hook_timed_out", "hanging"),
        ("plugin.hook_failed", "raising"),
    ] * 2


async def test_hook_greeting(manager, make_call, configure):
    configs = configure(manager, {"greeting": {}, "answering": {}})
    builtin_only = tenant_caller(manager, "greeting", "greeting", "raising", "hanging")
    with_answering = tenant_caller(manager, "greeting", "greeting", "answering")

    assert await call_first(builtin_only, timeout=0.05, call=make_call(configs)) == Greeting(
        text="Thank you for calling Acme Dental. How can I help you today?", language="en-US"
    )
    # The built-in greeting is trylast: another installed greeting plugin gets the first word.
    assert await call_first(with_answering, call=make_call(configs)) == Greeting(
        text="Answering for Acme Dental", language="en-US"
    )


async def test_hook_route_call(manager, make_call, configure):
    caller = tenant_caller(manager, "route_call", "answering", "raising", "hanging")
    call = make_call(configure(manager, {"answering": {"transfer_to": "+15550001111"}}))

    decision = await call_first(caller, timeout=0.05, call=call, turn=Turn(number=2, text="billing please"))

    assert decision == RouteDecision(
        action="transfer", target="+15550001111", reason="turn 2: billing please"
    )


async def test_hook_log_call_event(manager, make_call, configure, answering_plugin):
    caller = tenant_caller(manager, "log_call_event", "answering", "raising", "hanging")
    event = CallEvent(type="call.started", data={"from": "+15551230001"}, at=STARTED)

    results = await call_all(caller, timeout=0.05, call=make_call(configure(manager, {})), event=event)

    assert results == ["answering logged call.started for CA0001"]
    assert answering_plugin.EVENTS == [event]

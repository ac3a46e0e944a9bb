"""Startup registration of providers: who registered what, and clear errors for conflicts."""

from __future__ import annotations

import pytest

from core import EventType, Register, hookimpl
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import (
    ProviderRegistrationError,
    UnknownProviderError,
    collect_providers,
)
from plugins.twilio_voice import TwilioVoice


class EventTypes:
    """Registers two event types from one hook call."""

    NAME = "events"

    @hookimpl
    def register_event_types(self, register: Register) -> None:
        for name in ("lead.created", "message.taken"):
            register(name, EventType(name=name, description=f"A {name} event."), zapier=True)


class SecondTwilio:
    NAME = "second_twilio"

    @hookimpl
    def register_voices(self, register: Register) -> None:
        register("twilio", TwilioVoice())


def test_builtin_providers_are_registered_with_their_plugins():
    registry = collect_providers(build_plugin_manager())
    assert sorted(registry.of_kind("voice")) == ["elevenlabs", "twilio"]
    assert registry.get("voice", "twilio").plugin == "twilio_voice"
    assert registry.get("voice", "elevenlabs").plugin == "elevenlabs"
    assert registry.get("voice", "elevenlabs").metadata == {"output": "audio"}
    assert sorted(registry.of_kind("llm_provider")) == ["anthropic", "offline", "openai"]
    assert registry.get("llm_provider", "offline").plugin == "offline_model"
    assert list(registry.of_kind("calendar")) == ["builtin"]
    assert registry.get("calendar", "builtin").plugin == "calendar"


def test_one_plugin_registers_several_providers_with_metadata():
    # The built-in webhook_events plugin registers the same names; this test wants its own.
    pm = build_plugin_manager(disabled=["webhook_events"], extra_plugins=[("events", EventTypes())])
    registry = collect_providers(pm)
    registrations = registry.of_kind("event_type")
    assert [(r.name, r.plugin, r.metadata) for r in registrations.values()] == [
        ("lead.created", "events", {"zapier": True}),
        ("message.taken", "events", {"zapier": True}),
    ]


def test_duplicate_name_within_a_kind_fails_at_startup():
    pm = build_plugin_manager(extra_plugins=[("second_twilio", SecondTwilio())])
    with pytest.raises(ProviderRegistrationError) as raised:
        collect_providers(pm)
    assert str(raised.value) == (
        "voice 'twilio' is registered by both plugin 'second_twilio' and plugin 'twilio_voice'; "
        "disable one of them"
    )


def test_disabling_one_resolves_the_duplicate():
    pm = build_plugin_manager(disabled=["twilio_voice"], extra_plugins=[("second_twilio", SecondTwilio())])
    assert collect_providers(pm).get("voice", "twilio").plugin == "second_twilio"


def test_provider_of_the_wrong_kind_is_refused():
    class Confused:
        NAME = "confused"

        @hookimpl
        def register_calendars(self, register: Register) -> None:
            register("google", TwilioVoice())

    with pytest.raises(ProviderRegistrationError, match="calendar 'google' as a TwilioVoice, not a Calendar"):
        collect_providers(build_plugin_manager(extra_plugins=[("confused", Confused())]))


def test_failing_registration_hook_names_the_plugin():
    class Broken:
        NAME = "broken"

        @hookimpl
        def register_workflows(self, register: Register) -> None:
            raise ImportError("vendor SDK missing")

    with pytest.raises(ProviderRegistrationError, match="plugin 'broken' failed in register_workflows"):
        collect_providers(build_plugin_manager(extra_plugins=[("broken", Broken())]))


def test_async_registration_hook_is_refused():
    class Eager:
        NAME = "eager"

        @hookimpl
        async def register_llm_providers(self, register: Register) -> None:
            return None

    with pytest.raises(ProviderRegistrationError, match="register_llm_providers must be a plain"):
        collect_providers(build_plugin_manager(extra_plugins=[("eager", Eager())]))


def test_unknown_provider_lists_the_registered_ones():
    registry = collect_providers(build_plugin_manager())
    with pytest.raises(UnknownProviderError, match="no voice named 'polly'; registered: elevenlabs, twilio"):
        registry.get("voice", "polly")

"""The conversation_relay plugin's config: Twilio's values accepted, mistakes refused by field."""

from __future__ import annotations

import msgspec
import pytest

from core.plugins.config import PluginConfigError, validate_config
from core.telephony.relay.twiml import relay_settings, socket_url
from plugins import conversation_relay
from plugins.conversation_relay import Config


def test_defaults_leave_twilio_to_choose_and_stream() -> None:
    config = msgspec.convert({}, Config)
    assert (config.enabled, config.tts_provider, config.voice, config.interruptible) == (
        True,
        None,
        None,
        "any",
    )
    assert (config.dtmf_detection, config.hints, config.max_reconnects) == (True, [], 2)
    assert conversation_relay.DEFAULT_INSTALLED is False and conversation_relay.NAME == "conversation_relay"


@pytest.mark.parametrize("value", ["speech", "dtmf", "none", True, False])
def test_interruptible_takes_twilios_words_or_a_boolean(value) -> None:
    assert msgspec.convert({"interruptible": value}, Config).interruptible == value


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"hints": ["Acme", "teeth, gums"]}, "hints[1]"),
        ({"hints": [" "]}, "hints[0]"),
        ({"voice": "  "}, "voice"),
        ({"max_reconnects": 9}, "max_reconnects"),
    ],
)
def test_mistakes_name_their_field(builtin_catalog, config, field) -> None:
    with pytest.raises(PluginConfigError) as refused:
        validate_config(builtin_catalog.get("conversation_relay"), [config], environ={})
    assert refused.value.field == f"config.{field}"


def test_unknown_providers_are_refused() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"tts_provider": "Polly"}, Config)


def test_streaming_is_on_only_where_installed_and_enabled(call_with) -> None:
    assert relay_settings(call_with({})) is None
    assert relay_settings(call_with({"conversation_relay": {"enabled": False}})) is None
    on = call_with({"conversation_relay": {"tts_provider": "Amazon"}})
    assert relay_settings(on) is on.plugin_configs["conversation_relay"]


@pytest.mark.parametrize(
    ("public_url", "socket"),
    [
        ("https://frontdesk.example", "wss://frontdesk.example/twilio/relay"),
        ("https://frontdesk.example/", "wss://frontdesk.example/twilio/relay"),
        ("http://127.0.0.1:8000", "ws://127.0.0.1:8000/twilio/relay"),
    ],
)
def test_the_socket_url_follows_the_public_url(public_url, socket) -> None:
    assert socket_url(public_url) == socket

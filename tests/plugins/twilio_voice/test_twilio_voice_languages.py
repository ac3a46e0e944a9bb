"""Twilio voices per language: a call switched to Spanish is read by a voice that speaks Spanish."""

from __future__ import annotations

import pytest

from core import CallContext, ConfigFieldError, Speech, TenantIdentity
from plugins.twilio_voice import NAME, Config, TwilioVoice
from plugins.twilio_voice.languages import voice_for, voice_language


def call_with(config: Config, language: str = "en-US") -> CallContext:
    tenant = TenantIdentity(id="t-1", slug="acme", name="Acme", languages=["en-US", "es-US"])
    return CallContext(
        call_sid="CA1",
        tenant=tenant,
        caller="+15550001111",
        called="+15550002222",
        language=language,
        plugin_configs={NAME: config},
    )


async def test_an_english_voice_hands_spanish_to_a_spanish_voice() -> None:
    voice = TwilioVoice()
    call = call_with(Config())
    assert await voice.speak(call, "Hello", "en-US") == Speech(
        kind="say", text="Hello", voice="Polly.Joanna", language="en-US"
    )
    assert await voice.speak(call, "Hola", "es-US") == Speech(
        kind="say", text="Hola", voice="Polly.Lupe", language="es-US"
    )
    mexico = await voice.speak(call, "Hola", "es-MX")
    assert (mexico.voice, mexico.language) == ("Polly.Mia", "es-MX")


async def test_the_tenant_chooses_its_voice_per_language() -> None:
    voice = TwilioVoice()
    call = call_with(Config(voice="Polly.Matthew", voices={"es": "Polly.Miguel", "es-MX": "Polly.Andres"}))
    assert (await voice.speak(call, "Hola", "es-US")).voice == "Polly.Miguel"
    assert (await voice.speak(call, "Hola", "es-MX")).voice == "Polly.Andres"
    assert (await voice.speak(call, "Hello", "en-US")).voice == "Polly.Matthew"


async def test_the_calls_language_when_none_is_given() -> None:
    speech = await TwilioVoice().speak(call_with(Config(), language="es-US"), "Hola", None)
    assert (speech.voice, speech.language) == ("Polly.Lupe", "es-US")


@pytest.mark.parametrize(
    ("voice", "language"),
    [
        ("Polly.Joanna", "en"),
        ("Polly.Joanna-Neural", "en"),
        ("Polly.Lupe", "es"),
        ("Google.es-US-Neural2-A", "es"),
        ("man", "en"),
        ("alice", None),
        ("Polly.Unheard", None),
    ],
)
def test_the_language_a_voice_speaks(voice: str, language: str | None) -> None:
    assert voice_language(voice) == language


def test_a_voice_that_speaks_many_or_the_language_is_kept() -> None:
    assert voice_for("es-US", "alice", {}) == "alice"
    assert voice_for("es-US", "Google.es-US-Neural2-B", {}) == "Google.es-US-Neural2-B"
    assert voice_for("es-US", "Polly.Unheard", {}) == "Polly.Unheard"  # unknown: the tenant knows best
    assert voice_for("xx-YY", "Polly.Joanna", {}) == "Polly.Joanna"  # no better voice to offer


def test_voices_must_be_keyed_by_language_tags() -> None:
    with pytest.raises(ConfigFieldError) as raised:
        Config(voices={"spanish please": "Polly.Lupe"})
    assert raised.value.field == "voices"
    with pytest.raises(ConfigFieldError):
        Config(voices={"es": " "})
    assert Config(voices={"es-MX": "Polly.Mia"}).voices == {"es-MX": "Polly.Mia"}

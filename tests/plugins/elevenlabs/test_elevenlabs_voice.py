"""The ElevenLabs voice: what it sends over the wire, what it returns, and the settings it accepts."""

from __future__ import annotations

import json

import pytest
from elevenlabs.core.api_error import ApiError

from core import SpeechAudio
from core.plugins.config import PluginConfigError, validate_config
from plugins.elevenlabs import ElevenLabsVoice
from tests.fakes.elevenlabs import FakeElevenLabs, fake_mp3

VOICE_ID = "21m00Tcm4TlvDq8ikWAM"
SETTINGS = {"api_key": "xi-test-key", "voice_id": VOICE_ID}


async def test_sends_the_text_voice_settings_and_format_and_returns_the_mp3(call_with):
    fake = FakeElevenLabs()
    voice = ElevenLabsVoice(transport=fake.transport)
    call = call_with({"elevenlabs": {**SETTINGS, "stability": 0.3, "speed": 1.1}})

    audio = await voice.speak(call, "Gracias por llamar.", "es-MX")

    [request] = fake.requests
    assert request.method == "POST"
    assert request.url.host == "api.elevenlabs.io"
    assert request.url.path == f"/v1/text-to-speech/{VOICE_ID}"
    assert request.url.params["output_format"] == "mp3_22050_32"
    assert request.headers["xi-api-key"] == "xi-test-key"
    body = json.loads(request.content)
    assert body == {
        "text": "Gracias por llamar.",
        "model_id": "eleven_flash_v2_5",
        "language_code": "es",
        "voice_settings": {
            "stability": 0.3,
            "similarity_boost": 0.75,
            "style": 0.0,
            "use_speaker_boost": True,
            "speed": 1.1,
        },
    }
    assert audio == SpeechAudio(
        audio=fake_mp3(VOICE_ID, body), content_type="audio/mpeg", voice=f"elevenlabs:{VOICE_ID}"
    )


async def test_the_call_language_is_used_and_models_without_language_codes_get_none(call_with):
    fake = FakeElevenLabs()
    voice = ElevenLabsVoice(transport=fake.transport)

    await voice.speak(call_with({"elevenlabs": SETTINGS}, language="fr-CA"), "Bonjour", None)
    multilingual = {**SETTINGS, "model_id": "eleven_multilingual_v2", "output_format": "mp3_44100_64"}
    await voice.speak(call_with({"elevenlabs": multilingual}), "Hello", "en-US")

    first, second = (json.loads(request.content) for request in fake.requests)
    assert first["language_code"] == "fr"
    assert "language_code" not in second
    assert second["model_id"] == "eleven_multilingual_v2"
    assert fake.requests[1].url.params["output_format"] == "mp3_44100_64"


async def test_an_api_error_is_raised_without_retrying(call_with):
    fake = FakeElevenLabs(status=401)
    voice = ElevenLabsVoice(transport=fake.transport)

    with pytest.raises(ApiError) as raised:
        await voice.speak(call_with({"elevenlabs": SETTINGS}), "Hello", None)

    assert raised.value.status_code == 401
    assert raised.value.body == {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}}
    assert len(fake.requests) == 1


async def test_a_synthesis_slower_than_timeout_s_is_abandoned(call_with):
    fake = FakeElevenLabs(delay_s=30)
    voice = ElevenLabsVoice(transport=fake.transport)

    with pytest.raises(TimeoutError):
        await voice.speak(call_with({"elevenlabs": {**SETTINGS, "timeout_s": 0.05}}), "Hello", None)

    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    ("layer", "field", "message"),
    [
        ({"voice_id": VOICE_ID}, "config.api_key", "an ElevenLabs API key is required"),
        ({"api_key": "k"}, "config.voice_id", "is required"),
        ({**SETTINGS, "voice_id": " "}, "config.voice_id", "the id of an ElevenLabs voice"),
        ({**SETTINGS, "stability": 1.5}, "config.stability", "must be between 0 and 1"),
        ({**SETTINGS, "similarity_boost": -0.1}, "config.similarity_boost", "must be between 0 and 1"),
        ({**SETTINGS, "style": 2}, "config.style", "must be between 0 and 1"),
        ({**SETTINGS, "speed": 2.0}, "config.speed", "between 0.7 and 1.2"),
        ({**SETTINGS, "output_format": "ulaw_8000"}, "config.output_format", "mp3_22050_32"),
        ({**SETTINGS, "timeout_s": 0}, "config.timeout_s", "more than 0"),
        ({**SETTINGS, "model_id": ""}, "config.model_id", "eleven_flash_v2_5"),
        ({**SETTINGS, "pitch": 3}, "config.pitch", "unknown"),
    ],
)
def test_invalid_settings_name_the_field(builtin_catalog, layer, field, message):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("elevenlabs"), [layer], environ={})

    assert raised.value.field == field
    assert message in raised.value.message


def test_the_api_key_may_come_from_the_environment_and_is_a_secret(builtin_catalog):
    info = builtin_catalog.get("elevenlabs")
    layer = {"api_key": {"$env": "ELEVENLABS_API_KEY"}, "voice_id": VOICE_ID}

    config = validate_config(info, [layer], environ={"ELEVENLABS_API_KEY": "from-env"})

    assert config.api_key == "from-env"
    assert info.secret_fields == ("api_key",)
    assert info.default_installed is False

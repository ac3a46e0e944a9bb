"""The built-in Twilio voice: <Say> speech with the tenant's configured voice."""

from __future__ import annotations

from core import Speech
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers


async def test_speaks_with_the_configured_voice(call_with):
    voice = collect_providers(build_plugin_manager()).get("voice", "twilio").provider

    default = await voice.speak(call_with({"twilio_voice": {}}), "Hello", None)
    configured = call_with({"twilio_voice": {"voice": "Google.en-US-Neural2-F", "language": "en-GB"}})

    assert default == Speech(kind="say", text="Hello", voice="Polly.Joanna", language="en-US")
    assert await voice.speak(configured, "Hi", None) == Speech(
        kind="say", text="Hi", voice="Google.en-US-Neural2-F", language="en-GB"
    )
    # The language asked for (e.g. the caller switched to Spanish) beats the configured one.
    assert (await voice.speak(configured, "Hola", "es-US")).language == "es-US"

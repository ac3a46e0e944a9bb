"""The ``<Connect><ConversationRelay>`` TwiML that hands a call to the relay websocket.

The settings come from the ``conversation_relay`` plugin's config, read by name so the host does
not import the plugin: any missing attribute falls back to Twilio's default.
"""

from __future__ import annotations

from typing import Any

import msgspec
from twilio.twiml.voice_response import VoiceResponse

from core.context import CallContext
from core.telephony import twiml
from core.telephony.session import CallSession

RELAY_PLUGIN = "conversation_relay"
RELAY_PATH = "/twilio/relay"
END_PATH = "/twilio/voice/relay-end"
# The query parameter naming the call on the websocket URL, for tenants that sign with their own token.
CALL_PARAM = "call"


def relay_settings(call: CallContext) -> msgspec.Struct | None:
    """The call's ConversationRelay settings when streaming mode is on for it, else None."""
    config = call.plugin_configs.get(RELAY_PLUGIN)
    if config is None or not getattr(config, "enabled", True):
        return None
    return config


def websocket_origin(public_url: str) -> str:
    """The public URL as Twilio's websocket reaches it: ``https://host`` becomes ``wss://host``."""
    base = public_url.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base.removeprefix("https://")
    if base.startswith("http://"):
        return "ws://" + base.removeprefix("http://")
    return base


def socket_url(public_url: str) -> str:
    """The relay websocket's public URL, ``wss://host/twilio/relay``."""
    return websocket_origin(public_url) + RELAY_PATH


def _flag(value: Any) -> str | None:
    """Twilio's spelling of a setting: booleans lower case, None left out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _voice(settings: msgspec.Struct, call: CallContext) -> str | None:
    voice = getattr(settings, "voice", None)
    if voice:
        return voice
    if getattr(settings, "tts_provider", None) == "ElevenLabs":
        # The tenant's ElevenLabs voice (its own plugin's config), spoken by Twilio's ElevenLabs TTS.
        elevenlabs = call.plugin_configs.get("elevenlabs")
        voice_id = getattr(elevenlabs, "voice_id", None)
        return voice_id if isinstance(voice_id, str) and voice_id.strip() else None
    return None


def connect(session: CallSession, greeting: str | None, *, start_recording: str | None = None) -> str:
    """Hand the call to the relay: Twilio says ``greeting``, then streams the caller's words to us."""
    settings = relay_settings(session.context)
    if settings is None:
        raise ValueError("ConversationRelay is not enabled for this call")
    url = socket_url(session.services.settings.effective_public_url)
    if session.tenant.twilio_auth_token_encrypted:
        # Signed with the tenant's own token: the handshake must find the tenant before it is accepted.
        url += f"?{CALL_PARAM}={session.call.call_sid}"
    response = VoiceResponse()
    if start_recording is not None:
        twiml.record_call(response, start_recording)
    hints = getattr(settings, "hints", None) or []
    attributes = {
        "url": url,
        "welcome_greeting": greeting or None,
        "language": session.call.language,
        "tts_provider": getattr(settings, "tts_provider", None),
        "voice": _voice(settings, session.context),
        "transcription_provider": getattr(settings, "transcription_provider", None),
        "speech_model": getattr(settings, "speech_model", None),
        "interruptible": getattr(settings, "interruptible", None),
        "welcome_greeting_interruptible": getattr(settings, "welcome_greeting_interruptible", None),
        "dtmf_detection": getattr(settings, "dtmf_detection", None),
        "hints": ",".join(hints) if hints else None,
    }
    connect_verb = response.connect(action=session.url(END_PATH), method="POST")
    connect_verb.conversation_relay(
        **{name: _flag(value) for name, value in attributes.items() if value is not None}
    )
    return str(response)

"""Twilio ``<Say>`` voices: Twilio speaks the text itself, so nothing is synthesised here."""

from __future__ import annotations

from core import CallContext, Speech, Voice
from plugins.twilio_voice.config import NAME, Config


class TwilioVoice(Voice):
    """Speech the telephony layer renders as ``<Say voice=... language=...>``."""

    async def speak(self, call: CallContext, text: str, language: str | None) -> Speech:
        config = call.plugin_config(NAME, Config)
        language = language or config.language or call.language
        return Speech(kind="say", text=text, voice=config.voice, language=language)

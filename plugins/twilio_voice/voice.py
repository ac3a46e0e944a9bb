"""Twilio ``<Say>`` voices: Twilio speaks the text itself, so nothing is synthesised here."""

from __future__ import annotations

from core import CallContext, Speech, Voice
from plugins.twilio_voice.config import NAME, Config
from plugins.twilio_voice.languages import voice_for


class TwilioVoice(Voice):
    """Speech the telephony layer renders as ``<Say voice=... language=...>``, in a voice that
    speaks the language (a call switched to Spanish is not read by an English voice)."""

    async def speak(self, call: CallContext, text: str, language: str | None) -> Speech:
        config = call.plugin_config(NAME, Config)
        language = language or config.language or call.language
        voice = voice_for(language, config.voice, config.voices)
        return Speech(kind="say", text=text, voice=voice, language=language)

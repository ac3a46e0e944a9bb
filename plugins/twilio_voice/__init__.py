"""Speaks with Twilio's built-in text-to-speech voices (TwiML ``<Say>``)."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.twilio_voice.config import NAME, Config
from plugins.twilio_voice.voice import TwilioVoice

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "TwilioVoice", "register_voices"]

DEFAULT_INSTALLED = True


@hookimpl
def register_voices(register: Register) -> None:
    register("twilio", TwilioVoice(), output="say")

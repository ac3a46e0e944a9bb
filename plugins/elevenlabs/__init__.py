"""Speaks with ElevenLabs voices: audio synthesised once per sentence, cached and played (``<Play>``)."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.elevenlabs.config import NAME, Config
from plugins.elevenlabs.tts import ElevenLabsVoice

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "ElevenLabsVoice", "register_voices"]

DEFAULT_INSTALLED = False


@hookimpl
def register_voices(register: Register) -> None:
    # output="audio": the host caches what the voice returns and answers with <Play>.
    register("elevenlabs", ElevenLabsVoice(), output="audio")

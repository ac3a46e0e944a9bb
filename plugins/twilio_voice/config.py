"""The Twilio voice plugin's name and per-tenant settings."""

from __future__ import annotations

import re

import msgspec

from core import ConfigFieldError

NAME = "twilio_voice"

_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Any voice <Say> accepts: "Polly.Joanna", "Google.en-US-Neural2-F", "alice"...
    voice: str = "Polly.Joanna"
    # None means the language of the call.
    language: str | None = None
    # The voice for each language the call may switch to, by tag ("es-MX") or language ("es"):
    # {"es": "Polly.Mia"}. A language not listed uses ``voice`` when it speaks it, else a default.
    voices: dict[str, str] = {}

    def __post_init__(self) -> None:
        for tag, voice in self.voices.items():
            if not _TAG.match(tag):
                raise ConfigFieldError("voices", f"{tag!r} is not a language tag such as 'es' or 'es-MX'")
            if not voice.strip():
                raise ConfigFieldError("voices", f"the voice for {tag!r} is empty")

"""The Twilio voice plugin's name and per-tenant settings."""

from __future__ import annotations

import msgspec

NAME = "twilio_voice"


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Any voice <Say> accepts: "Polly.Joanna", "Google.en-US-Neural2-F", "alice"...
    voice: str = "Polly.Joanna"
    # None means the language of the call.
    language: str | None = None

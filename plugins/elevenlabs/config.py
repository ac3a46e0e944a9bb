"""The ElevenLabs voice plugin's name and per-tenant settings."""

from __future__ import annotations

import msgspec

from core import ConfigFieldError, Secret

NAME = "elevenlabs"

# MP3 encodings ElevenLabs produces that Twilio's <Play> accepts (telephone audio gains nothing
# from more than 22 kHz / 32 kbps, and small clips start playing sooner).
MP3_FORMATS = (
    "mp3_22050_32",
    "mp3_24000_48",
    "mp3_44100_32",
    "mp3_44100_64",
    "mp3_44100_96",
    "mp3_44100_128",
    "mp3_44100_192",
)


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # The ElevenLabs API key (xi-api-key); stored encrypted, or {"$env": "ELEVENLABS_API_KEY"}.
    api_key: Secret = None
    # Required: the voice to speak with, from the ElevenLabs voice library ("21m00Tcm4TlvDq8ikWAM").
    # Checked below rather than left without a default, so the error names the field.
    voice_id: str = ""
    # A multilingual model: flash v2.5 is the quickest to first audio, which matters on a live call.
    model_id: str = "eleven_flash_v2_5"
    # Voice settings sent with every request, each 0..1 (speed 0.7..1.2); they override the
    # voice's stored settings.
    stability: float = 0.5
    similarity_boost: float = 0.75
    style: float = 0.0
    use_speaker_boost: bool = True
    speed: float = 1.0
    output_format: str = "mp3_22050_32"
    # Seconds one synthesis may take before the caller hears Twilio's <Say> instead; the host
    # caps it at its own voice deadline.
    timeout_s: float = 1.2

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ConfigFieldError("api_key", "an ElevenLabs API key is required")
        if not self.voice_id.strip():
            raise ConfigFieldError("voice_id", "is required: the id of an ElevenLabs voice")
        if not self.model_id.strip():
            raise ConfigFieldError("model_id", "must name an ElevenLabs model, e.g. eleven_flash_v2_5")
        for field in ("stability", "similarity_boost", "style"):
            if not 0.0 <= getattr(self, field) <= 1.0:
                raise ConfigFieldError(field, "must be between 0 and 1")
        if not 0.7 <= self.speed <= 1.2:
            raise ConfigFieldError("speed", "must be between 0.7 and 1.2 (1.0 is the voice's own pace)")
        if self.output_format not in MP3_FORMATS:
            raise ConfigFieldError(
                "output_format", f"must be an MP3 format Twilio can play: {', '.join(MP3_FORMATS)}"
            )
        if not 0.0 < self.timeout_s <= 10.0:
            raise ConfigFieldError("timeout_s", "must be more than 0 and at most 10 seconds")

"""Answers calls in streaming mode: Twilio ConversationRelay speaks the model's words as they come.

Installed for a tenant (or switched on for one number with ``enabled`` in the number's overlay),
an allowed and greeted call is answered with ``<Connect><ConversationRelay>`` instead of
``<Gather>``: Twilio transcribes the caller and sends the words over a websocket, the tenant's
models answer, and their tokens are spoken as they stream. Screening, the greeting, routing,
logging and experiments stay the same as in the ``<Gather>`` mode. This plugin has no hooks: its
config is what the host reads when it answers a call.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from core import ConfigFieldError

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config"]

NAME = "conversation_relay"
DEFAULT_INSTALLED = False

# Twilio's values for who may cut the assistant short: true is "any", false is "none".
Interruptible = Literal["any", "none", "speech", "dtmf"] | bool


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Off keeps <Gather> for the tenant (or, in a number's overlay, for that number only).
    enabled: bool = True
    # Text-to-speech: None leaves Twilio's default. With "ElevenLabs" and the elevenlabs plugin
    # installed, its voice_id is used unless ``voice`` names one.
    tts_provider: Literal["Google", "Amazon", "ElevenLabs"] | None = None
    voice: str | None = None
    # Speech recognition: None leaves Twilio's default provider and model.
    transcription_provider: Literal["Google", "Deepgram"] | None = None
    speech_model: str | None = None
    interruptible: Interruptible = "any"
    welcome_greeting_interruptible: Interruptible = "any"
    # Keypad presses reach the receptionist as turns ("(pressed 1)"), as they do in <Gather>.
    dtmf_detection: bool = True
    # Words the recogniser should expect: the business's names, services, street names.
    hints: list[str] = []
    # Times a dropped relay session (Twilio error 64105) is reconnected before taking a message.
    max_reconnects: int = 2

    def __post_init__(self) -> None:
        if self.voice is not None and not self.voice.strip():
            raise ConfigFieldError("voice", "must not be empty; leave it out for the provider's default")
        for index, hint in enumerate(self.hints):
            if not hint.strip() or "," in hint:
                raise ConfigFieldError(f"hints[{index}]", "must be a non-empty phrase without commas")
        if not 0 <= self.max_reconnects <= 5:
            raise ConfigFieldError("max_reconnects", "must be between 0 and 5")

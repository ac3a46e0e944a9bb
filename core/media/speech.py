"""Speech from a synthesising voice (``output="audio"``): cached clips played from public URLs."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import CallContext
from core.media.store import EXTENSIONS, MediaStore
from core.providers import Registration, Speech, SpeechAudio, Voice


def voice_settings(config: msgspec.Struct | None, secret_fields: Collection[str]) -> dict[str, Any]:
    """What decides how a voice sounds: its plugin's effective config, without credentials.

    The whole config, so no setting (or experiment variant) that changes the audio can be missed;
    credentials left out, so rotating an API key keeps the clips.
    """
    if config is None:
        return {}
    settings = msgspec.to_builtins(config)
    return {name: value for name, value in settings.items() if name not in secret_fields}


async def played_speech(
    store: MediaStore,
    db: AsyncSession,
    registration: Registration,
    call: CallContext,
    text: str,
    language: str | None,
    *,
    secret_fields: Collection[str],
    public_url: str,
    now: datetime,
    timeout_s: float,
) -> Speech:
    """``<Play>`` of ``text`` in this voice: the stored clip, or one synthesised now within ``timeout_s``.

    Raises what the voice raised (or ``TimeoutError``); the caller then falls back to ``<Say>``.
    """
    voice: Voice = registration.provider  # type: ignore[assignment]
    settings = voice_settings(call.plugin_configs.get(registration.plugin), secret_fields)
    key = store.key_for(call.tenant.id, registration.name, settings, text, language)

    async def synthesise() -> SpeechAudio:
        # Only the vendor request is bounded: cancelling a database statement midway is not safe.
        async with asyncio.timeout(timeout_s):
            audio = await voice.speak(call, text, language)
        if not isinstance(audio, SpeechAudio) or not audio.audio:
            raise TypeError(f"voice {registration.name!r} returned {type(audio).__name__}, not audio")
        if audio.content_type not in EXTENSIONS:
            raise ValueError(
                f"voice {registration.name!r} returned {audio.content_type}, which is not served"
            )
        return audio

    clip = await store.get_or_create(db, key, tenant_id=call.tenant.id, now=now, synthesise=synthesise)
    return Speech(kind="play", text=text, language=language, url=f"{public_url}/media/{clip.filename}")

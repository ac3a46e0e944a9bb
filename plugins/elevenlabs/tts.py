"""ElevenLabs text to speech: the text in, MP3 audio out; the host caches and plays it."""

from __future__ import annotations

import asyncio

import httpx
from elevenlabs.client import AsyncElevenLabs
from elevenlabs.types import VoiceSettings

from core import CallContext, SpeechAudio, Voice
from plugins.elevenlabs.config import NAME, Config

# Models that refuse a language_code; the others take ISO 639-1 and speak the caller's language.
_NO_LANGUAGE_CODE = frozenset({"eleven_multilingual_v2", "eleven_multilingual_v1", "eleven_monolingual_v1"})
# One API client per key in use; more than this many keys means tenants come and go, so start over.
_MAX_CLIENTS = 256


class ElevenLabsVoice(Voice):
    """Synthesises speech with the official SDK over one shared connection pool.

    ``transport`` replaces the network (tests pass an ``httpx.MockTransport``).
    """

    def __init__(self, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.transport = transport
        self._http: httpx.AsyncClient | None = None
        self._clients: dict[str, AsyncElevenLabs] = {}

    async def speak(self, call: CallContext, text: str, language: str | None) -> SpeechAudio:
        config = call.plugin_config(NAME, Config)
        language = language or call.language
        code = language_code(language)
        # Left out, not sent as null, when there is none to send.
        language_args = {"language_code": code} if code and config.model_id not in _NO_LANGUAGE_CODE else {}
        chunks: list[bytes] = []
        async with asyncio.timeout(config.timeout_s):
            stream = self._client(config).text_to_speech.convert(
                config.voice_id,
                text=text,
                model_id=config.model_id,
                **language_args,
                output_format=config.output_format,
                voice_settings=VoiceSettings(
                    stability=config.stability,
                    similarity_boost=config.similarity_boost,
                    style=config.style,
                    use_speaker_boost=config.use_speaker_boost,
                    speed=config.speed,
                ),
                # A retry would outlast the caller's patience; the host falls back to <Say> instead.
                request_options={"max_retries": 0},
            )
            async for chunk in stream:
                chunks.append(chunk)
        audio = b"".join(chunks)
        if not audio:
            raise RuntimeError(f"ElevenLabs returned no audio for voice {config.voice_id!r}")
        return SpeechAudio(audio=audio, content_type="audio/mpeg", voice=f"{NAME}:{config.voice_id}")

    def _client(self, config: Config) -> AsyncElevenLabs:
        api_key = config.api_key or ""
        client = self._clients.get(api_key)
        if client is None:
            if self._http is None:
                # Created on first use, inside the running event loop; kept for the process's life.
                self._http = httpx.AsyncClient(transport=self.transport, timeout=10.0)
            if len(self._clients) >= _MAX_CLIENTS:
                self._clients.clear()
            client = self._clients[api_key] = AsyncElevenLabs(api_key=api_key, httpx_client=self._http)
        return client


def language_code(language: str | None) -> str | None:
    """The ISO 639-1 part of a BCP 47 tag: "es-MX" -> "es"."""
    if not language:
        return None
    return language.split("-", 1)[0].lower() or None

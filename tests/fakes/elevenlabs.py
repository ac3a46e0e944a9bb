"""ElevenLabs' text-to-speech endpoint, on an ``httpx.MockTransport``.

It answers ``POST /v1/text-to-speech/{voice_id}`` as the real API does: MP3 bytes with
``audio/mpeg`` (and its ``request-id`` / ``x-character-count`` headers), or a JSON ``detail``
error. The audio is a short ID3-tagged stand-in that differs with the voice, text and settings,
so a test can tell which request a clip came from.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import httpx
from litestar import Litestar

PATH_PREFIX = "/v1/text-to-speech/"


def fake_mp3(voice_id: str, body: dict[str, Any]) -> bytes:
    digest = hashlib.sha256(json.dumps([voice_id, body], sort_keys=True).encode()).digest()
    # An ID3v2 header, then bytes that stand for MPEG frames.
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + digest * 8


class FakeElevenLabs:
    """Keeps every request; ``status`` other than 200 answers an error, ``delay_s`` stalls first."""

    def __init__(self, *, status: int = 200, delay_s: float = 0.0) -> None:
        self.status = status
        self.delay_s = delay_s
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self.handle)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if request.method != "POST" or not request.url.path.startswith(PATH_PREFIX):
            return httpx.Response(404, json={"detail": {"status": "not_found", "message": "Not found"}})
        if self.status == 401:
            detail = {"status": "invalid_api_key", "message": "Invalid API key"}
            return httpx.Response(401, json={"detail": detail})
        if self.status != 200:
            return httpx.Response(
                self.status, json={"detail": {"status": "error", "message": "Server error"}}
            )
        body = json.loads(request.content)
        voice_id = request.url.path.removeprefix(PATH_PREFIX)
        return httpx.Response(
            200,
            content=fake_mp3(voice_id, body),
            headers={
                "content-type": "audio/mpeg",
                "request-id": f"req{len(self.requests)}",
                "x-character-count": str(len(body["text"])),
            },
        )

    @property
    def texts(self) -> list[str]:
        return [json.loads(request.content)["text"] for request in self.requests]

    def serve(self, app: Litestar) -> FakeElevenLabs:
        """Put this fake under the app's registered ElevenLabs voice (before its first request)."""
        app.state.services.providers.get("voice", "elevenlabs").provider.transport = self.transport
        return self

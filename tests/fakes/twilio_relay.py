"""Twilio's side of a ConversationRelay websocket, driven through ASGI as uvicorn would drive it.

The app runs on the loop of the test client's portal thread, where its database engine lives
(Litestar's own ``websocket_connect`` starts yet another loop, which asyncpg cannot follow); the
messages cross threads through plain queues: the signed upgrade, Twilio's JSON in, ours out.
"""

from __future__ import annotations

import asyncio
import json
import queue
from concurrent.futures import Future
from typing import Any
from urllib.parse import urlsplit

import anyio
from litestar.testing import AsyncTestClient
from twilio.request_validator import RequestValidator

RECEIVE_TIMEOUT_S = 10.0


class RelayRefusedError(Exception):
    def __init__(self, code: int | None) -> None:
        super().__init__(f"websocket refused (close code {code})")
        self.code = code


class TwilioRelay:
    """One relay websocket: ``async with TwilioRelay(client, url, token) as relay: ...``.

    ``url`` is the public ``wss://`` URL from the TwiML (Twilio signs it); the app is reached at
    ``served_as`` (what a proxy in front of it forwards, e.g. ``ws://127.0.0.1:8000``).
    ``signature`` overrides the one computed with ``token`` (None sends no header).
    """

    def __init__(
        self,
        client: AsyncTestClient[Any],
        url: str,
        token: str,
        *,
        signature: str | bool | None = True,
        served_as: str = "ws://127.0.0.1:8000",
    ) -> None:
        self.client = client
        self.url = url
        self.served = urlsplit(served_as)
        signed = RequestValidator(token).compute_signature(url, {})
        self.signature = signed if signature is True else (signature or None)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.running: Future[None] | None = None
        self.closed_with: int | None = None

    def _scope(self) -> dict[str, Any]:
        parts = urlsplit(self.url)
        headers = [(b"host", (self.served.netloc or "127.0.0.1").encode())]
        if self.signature:
            headers.append((b"x-twilio-signature", self.signature.encode()))
        return {
            "type": "websocket",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "scheme": self.served.scheme or "ws",
            "server": (self.served.hostname or "127.0.0.1", self.served.port or 80),
            "client": ("127.0.0.1", 50000),
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": headers,
            "subprotocols": [],
            "state": {},
        }

    async def __aenter__(self) -> TwilioRelay:
        async def receive() -> dict[str, Any]:
            while True:
                try:
                    return self.inbox.get_nowait()
                except queue.Empty:
                    await anyio.sleep(0.001)

        async def send(message: dict[str, Any]) -> None:
            self.outbox.put(message)

        self.inbox.put({"type": "websocket.connect"})
        portal = self.client.blocking_portal
        self.running = portal.start_task_soon(self.client.app, self._scope(), receive, send)
        first = await self._next(RECEIVE_TIMEOUT_S)
        if first["type"] != "websocket.accept":
            await self._finish()
            raise RelayRefusedError(first.get("code"))
        return self

    async def _next(self, wait_s: float) -> dict[str, Any]:
        try:
            return await asyncio.to_thread(self.outbox.get, True, wait_s)
        except queue.Empty:
            raise TimeoutError(f"no message from the app in {wait_s} s") from None

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def send(self, message: dict[str, Any]) -> None:
        self.inbox.put({"type": "websocket.receive", "text": json.dumps(message)})

    async def receive(self, wait_s: float = RECEIVE_TIMEOUT_S) -> dict[str, Any]:
        """Our next message to Twilio; raises ``ConnectionError`` when the app closed the socket."""
        message = await self._next(wait_s)
        if message["type"] == "websocket.close":
            self.closed_with = message.get("code")
            raise ConnectionError(f"closed by the app ({self.closed_with})")
        return json.loads(message["text"])

    async def answer(self) -> list[dict[str, Any]]:
        """Every message up to the answer's ``last: true`` text (or an ``end`` before one)."""
        received: list[dict[str, Any]] = []
        while not received or not _closes_answer(received[-1]):
            received.append(await self.receive())
        return received

    async def close(self) -> None:
        """Twilio hangs up the websocket; the app finishes what it was doing."""
        if self.running is not None and not self.running.done():
            self.inbox.put({"type": "websocket.disconnect", "code": 1000})
        await self._finish()

    async def _finish(self) -> None:
        if self.running is not None:
            await asyncio.wait_for(asyncio.wrap_future(self.running), RECEIVE_TIMEOUT_S)


def spoken(messages: list[dict[str, Any]]) -> str:
    """The text tokens of an answer, joined as the caller hears them."""
    return "".join(m["token"] for m in messages if m["type"] == "text")


def _closes_answer(message: dict[str, Any]) -> bool:
    return message["type"] == "end" or (message["type"] == "text" and bool(message.get("last")))

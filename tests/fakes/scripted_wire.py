"""What the OpenAI and Anthropic wire fakes share: a script of replies, the requests kept, failures.

A fake is an ``httpx2.MockTransport`` handler: the vendor SDKs speak ``httpx2`` (imported here
as ``httpx``, its API is the same), so that is the transport their providers take.

Each streamed request (a conversation round) takes the next step of the script; a request that
does not stream (a sentiment judgement) is answered with ``mood``. Steps: ``say`` (text in
pieces), ``call_tools``, ``fail`` (an HTTP error in the vendor's own error body), ``hang``
(before answering, or after streaming some text), ``break_off`` (the stream ends early or
reports an error mid-way) and ``then`` (a function of the request body that returns a step, for
replies that depend on tool results). An empty script answers 500.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Self

import httpx2 as httpx
from litestar import Litestar

# Long enough to outlast any timeout a test sets.
HANG_S = 3600.0


@dataclass(frozen=True)
class Say:
    pieces: tuple[str, ...]
    input_tokens: int = 100
    output_tokens: int = 10


@dataclass(frozen=True)
class CallTools:
    # (tool name, arguments: a dict, or a raw string sent as is, to send arguments that are not JSON)
    calls: tuple[tuple[str, dict[str, Any] | str], ...]
    text: str = ""
    input_tokens: int = 100
    output_tokens: int = 20


@dataclass(frozen=True)
class Fail:
    status: int
    retry_after: str | None = None


@dataclass(frozen=True)
class Hang:
    # Text streamed before the stream goes quiet; empty: no answer at all (not even headers).
    pieces: tuple[str, ...] = ()


@dataclass(frozen=True)
class BreakOff:
    # Text streamed before the stream ends without finishing (or, for Anthropic, reports an error).
    pieces: tuple[str, ...] = ()


Step = Say | CallTools | Fail | Hang | BreakOff


@dataclass
class ScriptedVendor:
    """The script and the records; a vendor's fake supplies the wire format."""

    path: str = ""
    mood: str = "0.2"
    script: list[Step | Callable[[dict[str, Any]], Step]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    # Bodies of the streamed (conversation) requests and of the others (sentiment judgements).
    chats: list[dict[str, Any]] = field(default_factory=list)
    judgements: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.transport = httpx.MockTransport(self.handle)

    # --- scripting ------------------------------------------------------------------------

    def say(self, *pieces: str, input_tokens: int = 100, output_tokens: int = 10) -> Self:
        self.script.append(Say(pieces, input_tokens, output_tokens))
        return self

    def call_tools(self, *calls: tuple[str, dict[str, Any] | str], text: str = "", **usage: int) -> Self:
        self.script.append(CallTools(calls, text, **usage))
        return self

    def fail(self, status: int, *, retry_after: str | None = None) -> Self:
        self.script.append(Fail(status, retry_after))
        return self

    def hang(self, *pieces: str) -> Self:
        self.script.append(Hang(pieces))
        return self

    def break_off(self, *pieces: str) -> Self:
        self.script.append(BreakOff(pieces))
        return self

    def then(self, decide: Callable[[dict[str, Any]], Step]) -> Self:
        self.script.append(decide)
        return self

    def serve(self, app: Litestar, provider: str) -> Self:
        """Put this fake under the app's registered ``provider`` (before its first request)."""
        app.state.services.providers.get("llm_provider", provider).provider.transport = self.transport
        return self

    # --- what a test reads ----------------------------------------------------------------

    def system_of(self, body: dict[str, Any]) -> str:
        raise NotImplementedError

    @property
    def api_keys(self) -> list[str]:
        """The API key each request carried (a bearer token, or Anthropic's ``x-api-key``)."""
        return [
            request.headers.get("x-api-key")
            or request.headers.get("authorization", "").removeprefix("Bearer ")
            for request in self.requests
        ]

    @property
    def systems(self) -> list[str]:
        """The system prompt of each conversation request, in order."""
        return [self.system_of(body) for body in self.chats]

    # --- the wire -------------------------------------------------------------------------

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method != "POST" or request.url.path != self.path:
            return self.error(404, "not_found", f"no route {request.method} {request.url.path}")
        body = json.loads(request.content)
        if not body.get("stream"):
            self.judgements.append(body)
            return self.judgement(body, self.mood)
        self.chats.append(body)
        if not self.script:
            return self.error(500, "api_error", "the test script has no reply left")
        step = self.script.pop(0)
        if callable(step):
            step = step(body)
        if isinstance(step, Fail):
            headers = {"retry-after": step.retry_after} if step.retry_after else {}
            kind = {429: "rate_limit_error", 529: "overloaded_error"}.get(step.status, "api_error")
            return self.error(step.status, kind, f"scripted failure {step.status}", headers)
        if isinstance(step, Hang) and not step.pieces:
            await asyncio.sleep(HANG_S)
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream; charset=utf-8", **self.response_headers()},
            content=self._sse(body, step),
        )

    async def _sse(self, body: dict[str, Any], step: Step) -> AsyncIterator[bytes]:
        for event in self.events(body, step):
            yield event.encode()
        if isinstance(step, Hang):
            await asyncio.sleep(HANG_S)

    def events(self, body: dict[str, Any], step: Step) -> list[str]:
        """The step as the vendor's server-sent events, each a whole ``...\\n\\n`` block."""
        raise NotImplementedError

    def judgement(self, body: dict[str, Any], text: str) -> httpx.Response:
        raise NotImplementedError

    def error(
        self, status: int, kind: str, message: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        raise NotImplementedError

    def response_headers(self) -> dict[str, str]:
        return {}

    def serial(self) -> int:
        return len(self.requests)


def last_tool_result(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The newest tool result in a request's messages, decoded (either vendor's shape)."""
    for message in reversed(messages):
        if message.get("role") == "tool":
            return json.loads(message["content"])
        content = message.get("content")
        if isinstance(content, list):
            for block in reversed(content):
                if block.get("type") == "tool_result":
                    return json.loads(block["content"])
    raise AssertionError("no tool result in the request")

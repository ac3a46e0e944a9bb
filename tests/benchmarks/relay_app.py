"""Servers for the ConversationRelay benchmark: Frontdesk with a fixed-latency model, and a bare baseline.

Both are uvicorn factories (``--factory``). The model waits ``MODEL_LATENCY_S`` before its first
token, then streams the rest at once, so whatever a caller waits beyond that is Frontdesk's.
The baseline is a bare Litestar websocket that answers each prompt the same way: the floor of
the websocket, the JSON and the client on this machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from types import ModuleType

from litestar import Litestar, WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from core import CallContext, LLMProvider, Message, Register, TextDelta, ToolCall, ToolSpec, hookimpl
from core.app import create_app as create_frontdesk

MODEL_LATENCY_S = 0.05
TOKENS = ("Sure, ", "we're ", "open ", "until ", "five ", "today.")


class FixedLatencyLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        await asyncio.sleep(MODEL_LATENCY_S)
        for token in TOKENS:
            yield TextDelta(text=token)


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("bench_fixed", FixedLatencyLLM())


NAME = "bench_llm"


def create_app() -> Litestar:
    """Frontdesk, settings from the environment, with the fixed-latency model as a plugin."""
    plugin: ModuleType = sys.modules[__name__]
    return create_frontdesk(extra_plugins=[(NAME, plugin)])


@websocket("/relay")
async def bare_relay(socket: WebSocket) -> None:
    await socket.accept()
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = json.loads(await socket.receive_text())
            if message.get("type") != "prompt":
                continue
            await asyncio.sleep(MODEL_LATENCY_S)
            for token in TOKENS:
                await socket.send_text(json.dumps({"type": "text", "token": token, "last": False}))
            await socket.send_text(json.dumps({"type": "text", "token": "", "last": True}))


def create_baseline() -> Litestar:
    return Litestar(route_handlers=[bare_relay])

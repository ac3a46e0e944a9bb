"""Test plugin: the scripted model's rules, its words streamed one token at a time (ConversationRelay)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from core import CallContext, Message, Register, TextDelta, ToolCall, ToolSpec, hookimpl
from tests.plugins.scripted_llm import ScriptedLLM

NAME = "streaming_llm"


class StreamingLLM(ScriptedLLM):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        async for item in super().respond(call, history, tools):
            if isinstance(item, TextDelta):
                # Word by word, spaces kept, as a hosted model's stream arrives.
                for token in re.findall(r"\S+\s*", item.text):
                    yield TextDelta(text=token)
            else:
                yield item


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("streaming", StreamingLLM())

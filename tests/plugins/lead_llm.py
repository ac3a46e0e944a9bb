"""Test plugin: a conversation model that qualifies leads the way an LLM does, through ``capture_lead``.

The caller's words are read as ``intent | field=value | field=value`` and passed to
``capture_lead`` as they are; once the result is in, the model says it ("Lead: {json}"). Every
tool list it is offered is kept in ``OFFERED`` (a fresh module is loaded for each test).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from core import CallContext, LLMProvider, Message, Register, TextDelta, ToolCall, ToolSpec, hookimpl

NAME = "lead_llm"

OFFERED: list[list[ToolSpec]] = []


class LeadLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        OFFERED.append(list(tools))
        asked = max(index for index, message in enumerate(history) if message.role == "user")
        results = [message.content for message in history[asked:] if message.role == "tool"]
        if results:
            yield TextDelta(text="Lead: " + json.dumps(json.loads(results[-1]), sort_keys=True))
            return
        intent, *pairs = (part.strip() for part in history[asked].content.split("|"))
        fields = dict(pair.split("=", 1) for pair in pairs)
        yield ToolCall(id="lead-1", name="capture_lead", arguments={"intent": intent, "fields": fields})


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("lead_llm", LeadLLM())

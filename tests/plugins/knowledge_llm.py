"""Test plugin: a conversation model that looks questions up with ``answer_question``, and counts.

Provider ``knowledge``. Rules on the caller's last words: "message" takes a message (a side
effect); "hello" just chats back; anything else is a question: it calls ``answer_question`` and
then says the best hit's answer, or "I do not know that." when nothing matched. ``ASKED`` holds
the caller's words each time a turn reached this model, so a test sees which turns the answer
cache kept from it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from core import CallContext, LLMProvider, Message, Register, TextDelta, ToolCall, ToolSpec, hookimpl

NAME = "knowledge_llm"
# The caller's words of every turn this model was asked to answer (the first round of each turn).
ASKED: list[str] = []


class KnowledgeLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        last_user = max(index for index, message in enumerate(history) if message.role == "user")
        words = history[last_user].content
        results = [json.loads(m.content) for m in history[last_user:] if m.role == "tool"]
        if not results:
            ASKED.append(words)
        if "hello" in words.lower():
            yield TextDelta(text="Hello! How can I help?")
        elif "message" in words.lower() and not results:
            yield ToolCall(id="m1", name="take_message", arguments={"name": "Dana", "message": words})
        elif not results:
            yield ToolCall(id="q1", name="answer_question", arguments={"question": words})
        elif results[-1].get("hits"):
            yield TextDelta(text=results[-1]["hits"][0]["answer"])
        elif "ok" in results[-1]:
            yield TextDelta(text="I will pass that on.")
        else:
            yield TextDelta(text="I do not know that.")


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("knowledge", KnowledgeLLM())

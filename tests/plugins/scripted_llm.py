"""Test plugin: a conversation model with fixed rules, so the call path is tested apart from any real model.

Rules on the caller's last words: "message" → take_message; "person" → transfer_call; "bye" →
end_call; "boom" → raises; "slow" → hangs; "book" → check_availability then book the first slot;
anything else → "You said: …".
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from core import CallContext, LLMProvider, Message, Register, TextDelta, ToolCall, ToolSpec, hookimpl

NAME = "scripted_llm"


class ScriptedLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        last_user = next(m.content for m in reversed(history) if m.role == "user")
        results = [
            json.loads(m.content)
            for m in history[history.index(_last(history, "user")) :]
            if m.role == "tool"
        ]
        words = last_user.lower()
        if "boom" in words:
            raise RuntimeError("scripted model exploded")
        if "slow" in words:
            await asyncio.sleep(3600)
        if "message" in words and not results:
            yield ToolCall(id="t1", name="take_message", arguments={"name": "Dana", "message": last_user})
        elif "person" in words and not results:
            yield ToolCall(id="t1", name="transfer_call", arguments={"reason": last_user})
        elif "lead" in words and not results:
            lead = {"name": "Dana", "intent": "refinance", "fields": {"loan_amount": 300000}}
            yield ToolCall(id="t1", name="capture_lead", arguments=lead)
        elif "bye" in words and not results:
            yield ToolCall(id="t1", name="end_call", arguments={})
        elif "book" in words and not results:
            yield ToolCall(id="t1", name="check_availability", arguments={})
        elif "book" in words and len(results) == 1 and results[0].get("slots"):
            start = results[0]["slots"][0]["start"]
            yield ToolCall(id="t2", name="book_appointment", arguments={"start": start, "name": "Dana"})
        elif results:
            yield TextDelta(text="Done: " + json.dumps(results[-1], sort_keys=True))
        else:
            yield TextDelta(text=f"You said: {last_user}")


def _last(history: list[Message], role: str) -> Message:
    return next(m for m in reversed(history) if m.role == role)


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("scripted", ScriptedLLM())

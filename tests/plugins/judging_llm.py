"""Test plugin: a conversation model that also judges the caller's mood, as hosted LLMs do.

``judging`` answers "Judged: <words>" (no usage of its own) and judges each turn as its config
says: ``score`` for every turn, billed ``JUDGE_INPUT_TOKENS`` in and ``JUDGE_OUTPUT_TOKENS`` out
at ``cost_usd``; ``mode = "fail"`` raises and ``mode = "unsure"`` answers None, the way a model
whose answer could not be read does. ``judge_sentiment = false`` turns judging off, as it does
for the OpenAI and Anthropic plugins.
"""

# No ``from __future__ import annotations``: msgspec reads the Config's annotations at runtime.

from collections.abc import AsyncIterator
from typing import Literal

import msgspec

from core import CallContext, LLMProvider, Message, Register, TextDelta, ToolCall, ToolSpec, Usage, hookimpl

NAME = "judging_llm"
JUDGE_INPUT_TOKENS = 40
JUDGE_OUTPUT_TOKENS = 2


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    score: float = -0.9
    mode: Literal["judge", "fail", "unsure"] = "judge"
    cost_usd: float = 0.0001
    judge_sentiment: bool = True


class JudgingLLM(LLMProvider):
    def __init__(self) -> None:
        # The texts it was asked to judge, in order.
        self.judged: list[str] = []

    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall | Usage]:
        last_user = next(m.content for m in reversed(history) if m.role == "user")
        yield TextDelta(text=f"Judged: {last_user}")

    async def judge_sentiment(self, call: CallContext, text: str) -> tuple[float, Usage | None] | None:
        config = call.plugin_config(NAME, Config)
        self.judged.append(text)
        if config.mode == "fail":
            raise RuntimeError("judge dropped the line")
        if config.mode == "unsure":
            return None
        usage = Usage(
            provider="judging",
            model="judge-mini",
            input_tokens=JUDGE_INPUT_TOKENS,
            output_tokens=JUDGE_OUTPUT_TOKENS,
            cost_usd=config.cost_usd,
        )
        return config.score, usage


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("judging", JudgingLLM())

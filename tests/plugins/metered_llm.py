"""Test plugin: conversation models that report what each request cost, as hosted models do.

Two providers, tried in name order: ``metered_flaky`` is billed for reading the prompt (cost
unknown: no price table) and then drops the line; ``metered_steady`` answers "Metered: <words>"
and reports the tokens and cost its plugin config says.
"""

# No ``from __future__ import annotations``: msgspec reads the Config's annotations at runtime.

from collections.abc import AsyncIterator

import msgspec

from core import CallContext, LLMProvider, Message, Register, TextDelta, ToolCall, ToolSpec, Usage, hookimpl

NAME = "metered_llm"
# What the flaky model is billed for each request before it fails.
FLAKY_INPUT_TOKENS = 200


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    input_tokens: int = 1000
    output_tokens: int = 50
    cost_usd: float = 0.01


class MeteredFlakyLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall | Usage]:
        yield Usage(provider="metered_flaky", model="meter-small", input_tokens=FLAKY_INPUT_TOKENS)
        raise RuntimeError("metered model dropped the line")


class MeteredSteadyLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall | Usage]:
        config = call.plugin_config(NAME, Config)
        last_user = next(m.content for m in reversed(history) if m.role == "user")
        yield TextDelta(text=f"Metered: {last_user}")
        yield Usage(
            provider="metered_steady",
            model="meter-large",
            input_tokens=config.input_tokens,
            output_tokens=config.output_tokens,
            cost_usd=config.cost_usd,
        )


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("metered_flaky", MeteredFlakyLLM())
    register("metered_steady", MeteredSteadyLLM())

"""One conversational turn: ask the model, run the tools it asks for, until it answers in words.

The model is whichever conversation providers the tenant has installed, tried in order: one that
raises, overruns or returns nothing usable is skipped for the next (the offline rules engine
last), so the caller always gets an answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import msgspec
import structlog

from core.context import CallContext
from core.conversation.tools import tool_specs
from core.providers import LLMProvider, Message, TextDelta, ToolCall, ToolSpec, Usage

log = structlog.get_logger(__name__)

# Rounds of tool use in one turn before the model must answer (a loop guard, not a budget).
MAX_TOOL_ROUNDS = 5
# Seconds of a turn's deadline kept back from a provider for the providers after it.
RESERVE_FOR_LATER_S = 0.75

ToolRunner = Callable[[str, dict[str, Any]], Awaitable[msgspec.Struct]]
# Receives each piece of speech as a provider streams it (ConversationRelay speaks it at once).
TextSink = Callable[[str], Awaitable[None]]


class ModelFailedError(RuntimeError):
    """No provider produced an answer for this turn."""


class TurnReply(msgspec.Struct, kw_only=True):
    text: str
    # The messages this turn added to the history (tool calls, results, the final answer).
    added: list[Message]
    tool_calls: list[ToolCall]
    provider: str
    # Every model request of the turn, the failed providers' included: they are billed too.
    usage: list[Usage] = []
    # All the speech streamed to ``on_text`` this turn, in order (text said before tools included).
    streamed: str = ""


class _Turn:
    """What a turn has gathered so far, across providers: kept when one fails for the next."""

    def __init__(self, on_text: TextSink | None) -> None:
        self.added: list[Message] = []
        self.made: list[ToolCall] = []
        self.usage: list[Usage] = []
        self.streamed: list[str] = []
        self.on_text = on_text

    async def spoken(self, text: str) -> None:
        if self.on_text is not None and text:
            self.streamed.append(text)
            await self.on_text(text)


async def _one_round(
    provider: LLMProvider, call: CallContext, history: list[Message], tools: list[ToolSpec], turn: _Turn
) -> tuple[str, list[ToolCall]]:
    text: list[str] = []
    calls: list[ToolCall] = []
    async for item in provider.respond(call, history, tools):
        if isinstance(item, TextDelta):
            text.append(item.text)
            await turn.spoken(item.text)
        elif isinstance(item, ToolCall):
            calls.append(item)
        elif isinstance(item, Usage):
            turn.usage.append(item)
        else:
            raise TypeError(f"provider yielded {type(item).__name__}, not TextDelta, ToolCall or Usage")
    return "".join(text).strip(), calls


async def _with_provider(
    provider: LLMProvider,
    call: CallContext,
    history: list[Message],
    turn: _Turn,
    run_tool: ToolRunner,
    tools: list[ToolSpec],
) -> str:
    """The provider's answer; tool calls and results go into ``turn`` as they happen."""
    for _ in range(MAX_TOOL_ROUNDS):
        text, calls = await _one_round(provider, call, [*history, *turn.added], tools, turn)
        if not calls:
            if not text:
                raise ValueError("the model answered with nothing to say")
            turn.added.append(Message(role="assistant", content=text))
            return text
        # A round joins the history only whole, so a failure mid-round leaves no unanswered request.
        round_messages = [Message(role="assistant", content=text, tool_calls=calls)]
        for tool_call in calls:
            turn.made.append(tool_call)
            result = await run_tool(tool_call.name, tool_call.arguments)
            round_messages.append(
                Message(role="tool", tool_call_id=tool_call.id, content=msgspec.json.encode(result).decode())
            )
        turn.added.extend(round_messages)
    raise RuntimeError(f"the model kept calling tools for {MAX_TOOL_ROUNDS} rounds without answering")


async def converse(
    call: CallContext,
    history: list[Message],
    providers: Sequence[tuple[str, LLMProvider]],
    run_tool: ToolRunner,
    *,
    deadline: float,
    tools: list[ToolSpec] | None = None,
    on_text: TextSink | None = None,
) -> TurnReply:
    """The reply to the caller's latest words, from the first provider that answers before ``deadline``.

    ``deadline`` is a ``time.monotonic()`` instant; ``tools`` are the specs the models are shown
    (default: every tool as ``tool_specs`` describes it). Tools are side effects: when a provider fails
    after running some, they stay done and the next provider sees their results in the history.
    ``on_text`` receives the speech as it streams (a provider that fails after speaking some has
    been heard: the next one carries on from the history).
    """
    turn = _Turn(on_text)
    specs = tools if tools is not None else tool_specs()
    for index, (name, provider) in enumerate(providers):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        # A provider that hangs must not eat the time of the ones after it (the offline engine,
        # last, answers in milliseconds): keep a slice of the budget for them.
        later = len(providers) - index - 1
        allowed = remaining - min(RESERVE_FOR_LATER_S, remaining / 2) if later else remaining
        try:
            async with asyncio.timeout(allowed):
                text = await _with_provider(provider, call, history, turn, run_tool, specs)
        except Exception as exc:  # the next provider takes over; the caller never hears the error
            log.warning(
                "conversation.provider_failed", provider=name, error=repr(exc), call_sid=call.call_sid
            )
            continue
        return TurnReply(
            text=text,
            added=turn.added,
            tool_calls=turn.made,
            provider=name,
            usage=turn.usage,
            streamed="".join(turn.streamed),
        )
    raise ModelFailedError("no conversation provider answered in time")

"""``OfflineLLM``: the rules-based conversation model that needs no API key and no network.

It keeps nothing between calls. Each call of ``respond`` replays the whole history (caller
turns, the tools it asked for and their results, what it said) through a fresh ``Dialogue``,
which arrives in the state the conversation is in, then answers the latest message.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
import structlog

from core import CallContext, LLMProvider, Message, TextDelta, ToolCall, ToolSpec
from core.conversation.tools import TOOL_ARGS
from plugins.offline_model.config import NAME, Config
from plugins.offline_model.dialogue import Dialogue
from plugins.offline_model.lang import language_for
from plugins.offline_model.speech import say
from plugins.offline_model.state import Reply

log = structlog.get_logger(__name__)


def config_of(call: CallContext) -> Config:
    """The tenant's config of this plugin; the defaults when it is not installed."""
    config: object = call.plugin_configs.get(NAME)
    if isinstance(config, Config):
        return config
    if isinstance(config, dict):
        # A host that passes the stored layer as is; a bad one falls back to the defaults.
        try:
            return msgspec.convert(config, Config, strict=False)
        except (msgspec.ValidationError, ValueError):
            log.warning("offline_model.invalid_config", tenant=call.tenant.slug)
    return Config()


def _decoded(content: str) -> dict[str, Any] | None:
    try:
        value = json.loads(content)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def replay(dialogue: Dialogue, history: list[Message]) -> Reply:
    """Feed ``history`` to ``dialogue`` in order; the reply to its last message is the answer.

    An earlier step that fails is logged and skipped, so one bad turn cannot stop every later
    one from being answered; a failure of the last step is raised to the caller.
    """
    reply = Reply(text=dialogue.say("how_can_i_help"))
    asked: dict[str, ToolCall] = {}
    outcomes: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    last = len(history) - 1
    for index, message in enumerate(history):
        final = index == last
        if message.role == "tool":
            call = asked.get(message.tool_call_id or "")
            if call is not None:
                outcomes.append((call.name, dict(call.arguments), _decoded(message.content)))
            if final or history[index + 1].role != "tool":
                reply = _step(dialogue.results, outcomes, final=final, fallback=reply)
                outcomes = []
        elif message.role == "user":
            reply = _step(dialogue.heard, message.content, final=final, fallback=reply)
        elif message.role == "assistant":
            if message.tool_calls:
                asked.update((call.id, call) for call in message.tool_calls)
                dialogue.observe_calls([call.name for call in message.tool_calls])
            dialogue.observe_said(message.content)
            if final:
                # Nothing new to answer; say what is expected next rather than nothing.
                reply = Reply(text=dialogue.state.last_prompt or dialogue.say("how_can_i_help"))
    return reply


def _step(step: Callable[[Any], Reply], event: Any, *, final: bool, fallback: Reply) -> Reply:
    if final:
        return step(event)
    try:
        return step(event)
    except Exception:
        log.exception("offline_model.replay_step_failed")
        return fallback


def _sentences(text: str) -> list[str]:
    """``text`` in sentence-sized pieces, so speech can start before the whole reply is out."""
    pieces, current = [], ""
    for word in text.split(" "):
        current = f"{current} {word}" if current else word
        if word.endswith((".", "?", "!")):
            pieces.append(current + " ")
            current = ""
    if current:
        pieces.append(current)
    if pieces:
        pieces[-1] = pieces[-1].rstrip()
    return pieces


class OfflineLLM(LLMProvider):
    """Understands callers with weighted patterns and runs the receptionist's tasks as a dialogue."""

    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        language = language_for(call.language)
        # No tool list means the host did not restrict them: the standard ones are all there.
        available = frozenset(tool.name for tool in tools) if tools else frozenset(TOOL_ARGS)
        dialogue = Dialogue(call, config_of(call), language, available, call.now or datetime.now(UTC))
        try:
            reply = replay(dialogue, history)
        except Exception:
            log.exception("offline_model.respond_failed", call_sid=call.call_sid)
            reply = Reply(text=say(language, "dont_know") + " " + say(language, "offer_message"))
        for position, planned in enumerate(reply.calls):
            call_id = f"{planned.name}-{len(history)}-{position}"
            yield ToolCall(id=call_id, name=planned.name, arguments=dict(planned.arguments))
        if not reply.calls:
            for piece in _sentences(reply.text):
                yield TextDelta(text=piece)

"""``AnthropicLLM``: a conversation turn from Anthropic's Messages API, streamed as it is written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import structlog
from anthropic import AsyncAnthropic, DefaultAsyncHttpxClient

from core import CallContext, Message, TextDelta, ToolCall, ToolSpec, Usage
from core.conversation.hosted_models import (
    ClientCache,
    HostedLLM,
    ModelReplyError,
    decode_arguments,
    paced,
    priced_usage,
    read_sentiment,
    started,
)
from core.conversation.prompt import SENTIMENT_INSTRUCTIONS, system_prompt
from plugins.anthropic.config import NAME, PRICES, Config

log = structlog.get_logger(__name__)

PROVIDER = "anthropic"
# The Messages API wants the conversation to open with the caller; ours opens with our greeting.
CALL_OPENED = "(The call is connected.)"


def _build_client(
    api_key: str, base_url: str | None, timeout_s: float, http: DefaultAsyncHttpxClient
) -> AsyncAnthropic:
    # No SDK retries: the tenant's chain of models is the retry, within the caller's turn.
    return AsyncAnthropic(
        api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0, http_client=http
    )


class _ToolUse(msgspec.Struct):
    """A ``tool_use`` block as its streamed pieces arrive (its input in JSON fragments)."""

    id: str
    name: str
    input_json: str = ""


class AnthropicLLM(HostedLLM[AsyncAnthropic]):
    """Streams each turn with the official SDK (``transport``: see ``HostedLLM``)."""

    def __init__(self, *, transport: Any = None) -> None:
        super().__init__(ClientCache(_build_client, DefaultAsyncHttpxClient), transport=transport)

    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall | Usage]:
        config = call.plugin_config(NAME, Config)
        what = f"{PROVIDER} ({config.model})"
        extra_system, messages = claude_messages(history)
        request: dict[str, Any] = {
            "model": config.model,
            "system": "\n\n".join([system_prompt(call, config.script), *extra_system]),
            "messages": messages,
            "max_tokens": config.max_tokens,
            "stream": True,
        }
        if tools:
            request["tools"] = [claude_tool(spec) for spec in tools]
        if config.temperature is not None:
            # The current SDK no longer lists sampling settings; models that take one still read it.
            request["extra_body"] = {"temperature": config.temperature}
        stream = await started(self._client(config).messages.create(**request), config.timeout_s, what)
        blocks: dict[int, _ToolUse] = {}
        spoken = False
        stopped: str | None = None
        input_tokens = output_tokens = 0
        reported = False
        try:
            async with stream:
                async for event in paced(aiter(stream), config.timeout_s, what):
                    if event.type == "message_start":
                        reported = True
                        input_tokens = event.message.usage.input_tokens or 0
                        output_tokens = event.message.usage.output_tokens or 0
                    elif event.type == "content_block_start" and event.content_block.type == "tool_use":
                        blocks[event.index] = _ToolUse(
                            id=event.content_block.id, name=event.content_block.name
                        )
                    elif event.type == "content_block_delta":
                        if event.delta.type == "text_delta" and event.delta.text:
                            spoken = True
                            yield TextDelta(text=event.delta.text)
                        elif event.delta.type == "input_json_delta" and event.index in blocks:
                            blocks[event.index].input_json += event.delta.partial_json
                    elif event.type == "message_delta":
                        stopped = event.delta.stop_reason or stopped
                        # Counts in message_delta are the running totals of the whole message.
                        output_tokens = event.usage.output_tokens or output_tokens
                        input_tokens = getattr(event.usage, "input_tokens", None) or input_tokens
        except Exception:
            if reported:  # the input was read, and is billed, even when the stream fails after
                yield priced_usage(PROVIDER, config.model, input_tokens, output_tokens, config.prices(PRICES))
            raise
        # The request is billed whether or not its reply can be used.
        yield priced_usage(
            PROVIDER, config.model, input_tokens, output_tokens, config.prices(PRICES), reported=reported
        )
        if stopped is None:
            raise ModelReplyError(f"{what} stopped streaming before finishing its reply")
        calls = [
            ToolCall(
                id=block.id, name=block.name, arguments=decode_arguments(what, block.name, block.input_json)
            )
            for _, block in sorted(blocks.items())
        ]
        if not calls and not spoken:
            raise ModelReplyError(f"{what} answered with nothing (stop_reason {stopped!r})")
        for tool_call in calls:
            yield tool_call

    async def judge_sentiment(self, call: CallContext, text: str) -> tuple[float, Usage | None] | None:
        config = call.plugin_config(NAME, Config)
        if not config.judge_sentiment:
            return None
        async with asyncio.timeout(config.timeout_s):
            reply = await self._client(config).messages.create(
                model=config.model,
                system=SENTIMENT_INSTRUCTIONS,
                messages=[{"role": "user", "content": text}],
                max_tokens=5,
            )
        spent = priced_usage(
            PROVIDER, config.model, reply.usage.input_tokens, reply.usage.output_tokens, config.prices(PRICES)
        )
        answer = "".join(block.text for block in reply.content if block.type == "text")
        score = read_sentiment(answer)
        if score is None:
            log.info("anthropic.sentiment_unreadable", answer=answer, call_sid=call.call_sid)
            return None
        return score, spent


def claude_tool(spec: ToolSpec) -> dict[str, Any]:
    """A tool as the Messages API declares one."""
    schema = spec.parameters or {"type": "object", "properties": {}}
    return {"name": spec.name, "description": spec.description, "input_schema": schema}


def claude_messages(history: list[Message]) -> tuple[list[str], list[dict[str, Any]]]:
    """Our history as Messages API turns, and any system messages in it (they join ``system``).

    Tool results are user turns of ``tool_result`` blocks; turns of one role in a row are merged
    into one (several tool results answer one assistant turn together).
    """
    system: list[str] = []
    turns: list[dict[str, Any]] = []

    def add(role: str, blocks: list[dict[str, Any]]) -> None:
        if not blocks:
            return
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})

    for message in history:
        if message.role == "system":
            system.append(message.content)
        elif message.role == "tool":
            add(
                "user",
                [
                    {
                        "type": "tool_result",
                        "tool_use_id": message.tool_call_id or "",
                        "content": message.content,
                    }
                ],
            )
        elif message.role == "assistant":
            if not turns:
                add("user", [_text(CALL_OPENED)])
            text = [_text(message.content)] if message.content.strip() else []
            uses = [
                {"type": "tool_use", "id": tool_call.id, "name": tool_call.name, "input": tool_call.arguments}
                for tool_call in message.tool_calls
            ]
            add("assistant", [*text, *uses])
        elif message.content.strip():
            add("user", [_text(message.content)])
    return system, turns


def _text(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}

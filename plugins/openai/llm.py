"""``OpenAILLM``: a conversation turn from OpenAI's Chat Completions API, streamed as it is written."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import structlog
from openai import AsyncOpenAI, DefaultAsyncHttpxClient
from openai.types import CompletionUsage

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
from plugins.openai.config import NAME, PRICES, Config

log = structlog.get_logger(__name__)

PROVIDER = "openai"


def _build_client(
    api_key: str, base_url: str | None, timeout_s: float, http: DefaultAsyncHttpxClient
) -> AsyncOpenAI:
    # No SDK retries: the tenant's chain of models is the retry, within the caller's turn.
    return AsyncOpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0, http_client=http)


def _priced(config: Config, usage: CompletionUsage | None) -> Usage:
    """What a request cost by the usage OpenAI reported (none reported: billed as zero, flagged)."""
    return priced_usage(
        PROVIDER,
        config.model,
        usage.prompt_tokens if usage else 0,
        usage.completion_tokens if usage else 0,
        config.prices(PRICES),
        reported=usage is not None,
    )


class _ToolCallParts(msgspec.Struct):
    """One tool call as its streamed pieces arrive (id and name first, arguments in fragments)."""

    id: str = ""
    name: str = ""
    arguments: str = ""


class OpenAILLM(HostedLLM[AsyncOpenAI]):
    """Streams each turn with the official SDK (``transport``: see ``HostedLLM``)."""

    def __init__(self, *, transport: Any = None) -> None:
        super().__init__(ClientCache(_build_client, DefaultAsyncHttpxClient), transport=transport)

    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall | Usage]:
        config = call.plugin_config(NAME, Config)
        what = f"{PROVIDER} ({config.model})"
        request: dict[str, Any] = {
            "model": config.model,
            "messages": chat_messages(system_prompt(call, config.script), history),
            "max_completion_tokens": config.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if tools:
            request["tools"] = [function_tool(spec) for spec in tools]
        if config.temperature is not None:
            request["temperature"] = config.temperature
        stream = await started(
            self._client(config).chat.completions.create(**request), config.timeout_s, what
        )
        parts: dict[int, _ToolCallParts] = {}
        spoken = False
        finished: str | None = None
        usage = None
        async with stream:
            async for chunk in paced(aiter(stream), config.timeout_s, what):
                if chunk.usage is not None:
                    usage = chunk.usage
                for choice in chunk.choices:
                    delta = choice.delta
                    if delta.content:
                        spoken = True
                        yield TextDelta(text=delta.content)
                    for fragment in delta.tool_calls or []:
                        part = parts.setdefault(fragment.index, _ToolCallParts())
                        part.id = fragment.id or part.id
                        if fragment.function is not None:
                            part.name = fragment.function.name or part.name
                            part.arguments += fragment.function.arguments or ""
                    finished = choice.finish_reason or finished
        # The request is billed whether or not its reply can be used.
        yield _priced(config, usage)
        if finished is None:
            raise ModelReplyError(f"{what} stopped streaming before finishing its reply")
        calls = [_tool_call(what, parts[index]) for index in sorted(parts)]
        if not calls and not spoken:
            raise ModelReplyError(f"{what} answered with nothing (finish_reason {finished!r})")
        for tool_call in calls:
            yield tool_call

    async def judge_sentiment(self, call: CallContext, text: str) -> tuple[float, Usage | None] | None:
        config = call.plugin_config(NAME, Config)
        if not config.judge_sentiment:
            return None
        async with asyncio.timeout(config.timeout_s):
            completion = await self._client(config).chat.completions.create(
                model=config.model,
                messages=[
                    {"role": "system", "content": SENTIMENT_INSTRUCTIONS},
                    {"role": "user", "content": text},
                ],
                max_completion_tokens=5,
                temperature=0,
            )
        spent = _priced(config, completion.usage)
        answer = completion.choices[0].message.content if completion.choices else None
        score = read_sentiment(answer or "")
        if score is None:
            log.info("openai.sentiment_unreadable", answer=answer, call_sid=call.call_sid)
            return None
        return score, spent


def _tool_call(what: str, part: _ToolCallParts) -> ToolCall:
    if not part.id or not part.name:
        raise ModelReplyError(f"{what} sent a tool call without an id or a name")
    return ToolCall(id=part.id, name=part.name, arguments=decode_arguments(what, part.name, part.arguments))


def function_tool(spec: ToolSpec) -> dict[str, Any]:
    """A tool as Chat Completions declares one."""
    parameters = spec.parameters or {"type": "object", "properties": {}}
    return {
        "type": "function",
        "function": {"name": spec.name, "description": spec.description, "parameters": parameters},
    }


def chat_messages(system: str, history: list[Message]) -> list[dict[str, Any]]:
    """Our history as Chat Completions messages, after the system prompt."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
    for message in history:
        if message.role == "tool":
            messages.append(
                {"role": "tool", "tool_call_id": message.tool_call_id or "", "content": message.content}
            )
        elif message.role == "assistant" and message.tool_calls:
            messages.append(
                {
                    "role": "assistant",
                    "content": message.content or None,
                    "tool_calls": [
                        {
                            "id": tool_call.id,
                            "type": "function",
                            "function": {
                                "name": tool_call.name,
                                "arguments": json.dumps(tool_call.arguments),
                            },
                        }
                        for tool_call in message.tool_calls
                    ],
                }
            )
        else:
            messages.append({"role": message.role, "content": message.content})
    return messages

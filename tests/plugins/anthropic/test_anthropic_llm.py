"""The Anthropic model: the request it sends, the events it reads, what it costs, and how it fails."""

from __future__ import annotations

import json

import anthropic
import pytest

from core import Message, TextDelta, ToolCall, Usage
from core.conversation.hosted_models import ModelReplyError
from core.conversation.tools import tool_specs
from core.plugins.config import PluginConfigError, validate_config
from plugins.anthropic import AnthropicLLM
from plugins.anthropic.llm import CALL_OPENED
from tests.fakes.anthropic_wire import FakeAnthropic

SETTINGS = {"api_key": "sk-ant-test", "timeout_s": 0.5}
HISTORY = [Message(role="assistant", content="Thanks for calling."), Message(role="user", content="Hi")]


async def reply(model: AnthropicLLM, call, history=HISTORY) -> list:
    return [item async for item in model.respond(call, history, tool_specs())]


async def test_streams_text_deltas_then_reports_the_usage_and_its_cost(call_with):
    fake = FakeAnthropic().say("We open ", "at nine.", input_tokens=2000, output_tokens=25)
    model = AnthropicLLM(transport=fake.transport)

    items = await reply(model, call_with({"anthropic": SETTINGS}))

    assert items == [
        TextDelta(text="We open "),
        TextDelta(text="at nine."),
        # claude-haiku-4-5: $1 in, $5 out per million tokens.
        Usage(
            provider="anthropic",
            model="claude-haiku-4-5",
            input_tokens=2000,
            output_tokens=25,
            cost_usd=0.002125,
        ),
    ]
    [request] = fake.requests
    assert request.url == "https://api.anthropic.com/v1/messages"
    assert fake.api_keys == ["sk-ant-test"]
    assert request.headers["anthropic-version"]
    body = json.loads(request.content)
    assert body["model"] == "claude-haiku-4-5"
    assert body["stream"] is True
    assert body["max_tokens"] == 300
    assert "temperature" not in body  # Claude chooses unless the tenant sets one
    assert "You are the receptionist of Bright Smiles Dental" in body["system"]
    book = next(tool for tool in body["tools"] if tool["name"] == "book_appointment")
    assert book["description"].startswith("Book a slot")
    assert book["input_schema"]["required"] == ["start", "name"]
    # The conversation opens with the caller (the API wants it so), then our greeting.
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": CALL_OPENED}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Thanks for calling."}]},
        {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
    ]


async def test_tool_use_input_streamed_as_json_pieces_is_put_back_together(call_with):
    wanted = {"start": "2026-03-03T14:00:00-06:00", "name": "Dana Smith", "service": "cleaning"}
    fake = FakeAnthropic().call_tools(
        ("book_appointment", wanted), ("end_call", {}), text="Booking that now."
    )
    model = AnthropicLLM(transport=fake.transport)

    items = await reply(model, call_with({"anthropic": SETTINGS}))

    assert items[0] == TextDelta(text="Booking that now.")
    assert isinstance(items[1], Usage)
    assert items[2:] == [
        ToolCall(id="toolu_1_0", name="book_appointment", arguments=wanted),
        ToolCall(id="toolu_1_1", name="end_call", arguments={}),
    ]


async def test_tool_calls_become_tool_use_blocks_and_results_one_user_turn(call_with):
    fake = FakeAnthropic().say("Both are free.")
    model = AnthropicLLM(transport=fake.transport)
    calls = [
        ToolCall(id="toolu_a", name="check_availability", arguments={"date": "2026-03-03"}),
        ToolCall(id="toolu_b", name="check_availability", arguments={"date": "2026-03-04"}),
    ]
    history = [
        *HISTORY,
        Message(role="assistant", content="Let me look.", tool_calls=calls),
        Message(role="tool", tool_call_id="toolu_a", content='{"slots": []}'),
        Message(role="tool", tool_call_id="toolu_b", content='{"slots": [1]}'),
    ]

    await reply(model, call_with({"anthropic": SETTINGS}), history)

    messages = json.loads(fake.requests[0].content)["messages"]
    assert messages[3:] == [
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look."},
                {
                    "type": "tool_use",
                    "id": "toolu_a",
                    "name": "check_availability",
                    "input": {"date": "2026-03-03"},
                },
                {
                    "type": "tool_use",
                    "id": "toolu_b",
                    "name": "check_availability",
                    "input": {"date": "2026-03-04"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_a", "content": '{"slots": []}'},
                {"type": "tool_result", "tool_use_id": "toolu_b", "content": '{"slots": [1]}'},
            ],
        },
    ]


async def test_a_set_temperature_is_sent(call_with):
    fake = FakeAnthropic().say("Hi.")
    model = AnthropicLLM(transport=fake.transport)

    await reply(model, call_with({"anthropic": {**SETTINGS, "temperature": 0.2}}))

    assert json.loads(fake.requests[0].content)["temperature"] == 0.2


@pytest.mark.parametrize(
    ("script", "error"),
    [
        (lambda fake: fake.fail(429, retry_after="30"), anthropic.RateLimitError),
        (lambda fake: fake.fail(529), anthropic.APIStatusError),
        (lambda fake: fake.fail(500), anthropic.InternalServerError),
        (lambda fake: fake.hang(), TimeoutError),
        (lambda fake: fake.hang("Let me"), TimeoutError),
        (lambda fake: fake.break_off("Let me"), anthropic.APIStatusError),
        (lambda fake: fake.call_tools(("book_appointment", '{"start": ')), ModelReplyError),
        (lambda fake: fake.say(), ModelReplyError),
    ],
    ids=["429", "529", "500", "hang", "stall", "error-event", "bad-json", "empty"],
)
async def test_failures_raise_at_once_without_retrying(call_with, script, error):
    fake = FakeAnthropic()
    script(fake)
    model = AnthropicLLM(transport=fake.transport)

    with pytest.raises(error):
        await reply(model, call_with({"anthropic": SETTINGS}))

    assert len(fake.requests) == 1  # no SDK retry: the chain of models is the retry


async def test_judges_sentiment_with_one_tiny_request(call_with):
    fake = FakeAnthropic(mood="0.8")
    model = AnthropicLLM(transport=fake.transport)

    score, usage = await model.judge_sentiment(call_with({"anthropic": SETTINGS}), "Thank you so much!")

    assert score == 0.8
    assert usage == Usage(
        provider="anthropic", model="claude-haiku-4-5", input_tokens=40, output_tokens=2, cost_usd=5e-05
    )
    [body] = fake.judgements
    assert body["max_tokens"] == 5
    assert body["messages"] == [{"role": "user", "content": "Thank you so much!"}]
    assert "rate the mood" in body["system"]


def test_config_is_checked_when_installed(builtin_catalog):
    info = builtin_catalog.get("anthropic")

    with pytest.raises(PluginConfigError) as caught:
        validate_config(info, [{**SETTINGS, "temperature": 1.5}], environ={})
    assert (caught.value.field, caught.value.message) == (
        "config.temperature",
        "must be between 0 and 1 for Anthropic models",
    )
    with pytest.raises(PluginConfigError) as caught:
        validate_config(info, [{"model": "claude-haiku-4-5"}], environ={})
    assert caught.value.field == "config.api_key"
    assert info.secret_fields == ("api_key",)

"""The OpenAI model: the request it sends, the stream it reads, what it costs, and how it fails."""

from __future__ import annotations

import json

import openai
import pytest

from core import Message, TextDelta, ToolCall, Usage
from core.context import KnowledgeSnippet
from core.conversation.hosted_models import ModelReplyError
from core.conversation.tools import tool_specs
from core.plugins.config import PluginConfigError, validate_config
from plugins.openai import OpenAILLM
from tests.fakes.openai_wire import FakeOpenAI

SETTINGS = {"api_key": "sk-test-openai", "timeout_s": 0.5}
HISTORY = [Message(role="assistant", content="Thanks for calling."), Message(role="user", content="Hi")]


async def reply(model: OpenAILLM, call, history=HISTORY, tools=None) -> list:
    return [item async for item in model.respond(call, history, tool_specs() if tools is None else tools)]


async def test_streams_text_as_it_arrives_then_reports_the_usage_and_its_cost(call_with):
    fake = FakeOpenAI().say("We open ", "at nine.", input_tokens=1200, output_tokens=30)
    model = OpenAILLM(transport=fake.transport)

    items = await reply(model, call_with({"openai": SETTINGS}))

    assert items == [
        TextDelta(text="We open "),
        TextDelta(text="at nine."),
        # gpt-4.1-mini: $0.40 in, $1.60 out per million tokens.
        Usage(
            provider="openai", model="gpt-4.1-mini", input_tokens=1200, output_tokens=30, cost_usd=0.000528
        ),
    ]
    [request] = fake.requests
    assert request.url == "https://api.openai.com/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test-openai"
    body = json.loads(request.content)
    assert body["model"] == "gpt-4.1-mini"
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["max_completion_tokens"] == 300
    assert body["temperature"] == 0.3
    assert [tool["function"]["name"] for tool in body["tools"]] == [spec.name for spec in tool_specs()]
    check = next(tool for tool in body["tools"] if tool["function"]["name"] == "check_availability")
    assert check["type"] == "function"
    assert check["function"]["parameters"]["properties"]["date"]["anyOf"][0] == {"type": "string"}
    assert body["messages"][0]["role"] == "system"
    assert "You are the receptionist of Bright Smiles Dental" in body["messages"][0]["content"]
    assert body["messages"][1:] == [
        {"role": "assistant", "content": "Thanks for calling."},
        {"role": "user", "content": "Hi"},
    ]


async def test_tool_call_arguments_streamed_in_fragments_are_put_back_together(call_with):
    wanted = {"date": "2026-03-03", "earliest": "13:00", "service": "cleaning", "limit": 3}
    fake = FakeOpenAI().call_tools(
        ("check_availability", wanted), ("send_sms", {"text": "12 Elm Street"}), text="One moment."
    )
    model = OpenAILLM(transport=fake.transport)

    items = await reply(model, call_with({"openai": SETTINGS}))

    assert items[0] == TextDelta(text="One moment.")
    assert isinstance(items[1], Usage) and items[1].output_tokens == 20
    assert items[2:] == [
        ToolCall(id="call_1_0", name="check_availability", arguments=wanted),
        ToolCall(id="call_1_1", name="send_sms", arguments={"text": "12 Elm Street"}),
    ]


async def test_history_with_tool_calls_and_results_is_sent_in_chat_completions_shape(call_with):
    fake = FakeOpenAI().say("Booked.")
    model = OpenAILLM(transport=fake.transport)
    history = [
        *HISTORY,
        Message(
            role="assistant",
            content="",
            tool_calls=[ToolCall(id="call_a", name="check_availability", arguments={"limit": 1})],
        ),
        Message(role="tool", tool_call_id="call_a", content='{"slots": []}'),
    ]

    await reply(model, call_with({"openai": SETTINGS}), history)

    messages = json.loads(fake.requests[0].content)["messages"]
    assert messages[3:] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_a",
                    "type": "function",
                    "function": {"name": "check_availability", "arguments": '{"limit": 1}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_a", "content": '{"slots": []}'},
    ]


async def test_the_system_prompt_carries_the_turns_knowledge_and_the_tenant_script(call_with):
    fake = FakeOpenAI().say("Yes.")
    model = OpenAILLM(transport=fake.transport)
    script = "Always mention our {{ business.address }} office. Caller: {{ caller.number }}."
    call = call_with(
        {"openai": {**SETTINGS, "script": script}},
        knowledge=[
            KnowledgeSnippet(question="Do you take Delta Dental?", answer="Yes, we take Delta Dental.")
        ],
    )

    await reply(model, call)

    [system] = fake.systems
    assert "- Q: Do you take Delta Dental?\n  A: Yes, we take Delta Dental." in system
    assert system.endswith("Always mention our 12 Elm Street office. Caller: +15551230001.")


async def test_prices_the_tenant_sets_win_and_an_unknown_model_has_no_cost(call_with):
    fake = FakeOpenAI().say("Hi.", input_tokens=1_000_000, output_tokens=0).say("Hi.")
    model = OpenAILLM(transport=fake.transport)

    priced = await reply(model, call_with({"openai": {**SETTINGS, "input_usd_per_mtok": 2.0}}))
    unknown = await reply(model, call_with({"openai": {**SETTINGS, "model": "my-local-llama"}}))

    assert priced[-1].cost_usd == 2.0
    assert unknown[-1] == Usage(
        provider="openai", model="my-local-llama", input_tokens=100, output_tokens=10, cost_usd=None
    )


async def test_a_gateway_base_url_is_used_and_needs_no_key(call_with):
    fake = FakeOpenAI().say("Hello from the gateway.")
    model = OpenAILLM(transport=fake.transport)

    await reply(
        model, call_with({"openai": {"base_url": "https://gateway.example/v1", "model": "llama-3.1-8b"}})
    )

    assert fake.requests[0].url == "https://gateway.example/v1/chat/completions"


@pytest.mark.parametrize(
    ("script", "error"),
    [
        (lambda fake: fake.fail(429, retry_after="7"), openai.RateLimitError),
        (lambda fake: fake.fail(500), openai.InternalServerError),
        (lambda fake: fake.fail(503), openai.InternalServerError),
        (lambda fake: fake.hang(), TimeoutError),
        (lambda fake: fake.hang("Let me"), TimeoutError),
        (lambda fake: fake.break_off("Let me"), ModelReplyError),
        (lambda fake: fake.call_tools(("book_appointment", '{"start": "2026-03-03T')), ModelReplyError),
        (lambda fake: fake.call_tools(("book_appointment", "[1, 2]")), ModelReplyError),
        (lambda fake: fake.say(), ModelReplyError),
    ],
    ids=["429", "500", "503", "hang", "stall", "cut-off", "bad-json", "not-an-object", "empty"],
)
async def test_failures_raise_at_once_without_retrying(call_with, script, error):
    fake = FakeOpenAI()
    script(fake)
    model = OpenAILLM(transport=fake.transport)

    with pytest.raises(error):
        await reply(model, call_with({"openai": SETTINGS}))

    assert len(fake.requests) == 1  # no SDK retry: the chain of models is the retry


async def test_usage_is_reported_even_when_the_reply_cannot_be_used(call_with):
    fake = FakeOpenAI().call_tools(("take_message", "{not json"), input_tokens=500, output_tokens=40)
    model = OpenAILLM(transport=fake.transport)
    seen = []

    with pytest.raises(ModelReplyError, match="not JSON"):
        async for item in model.respond(call_with({"openai": SETTINGS}), HISTORY, tool_specs()):
            seen.append(item)

    assert [(u.input_tokens, u.output_tokens) for u in seen if isinstance(u, Usage)] == [(500, 40)]


async def test_judges_sentiment_with_one_tiny_request(call_with):
    fake = FakeOpenAI(mood="-0.7")
    model = OpenAILLM(transport=fake.transport)

    score, usage = await model.judge_sentiment(call_with({"openai": SETTINGS}), "This is the third time!")

    assert score == -0.7
    assert usage == Usage(
        provider="openai", model="gpt-4.1-mini", input_tokens=40, output_tokens=2, cost_usd=1.92e-05
    )
    [body] = fake.judgements
    assert body["max_completion_tokens"] == 5 and body["temperature"] == 0
    assert body["messages"][1] == {"role": "user", "content": "This is the third time!"}
    assert "stream" not in body


async def test_sentiment_is_none_when_switched_off_or_unreadable(call_with):
    fake = FakeOpenAI(mood="I cannot say.")
    model = OpenAILLM(transport=fake.transport)

    assert await model.judge_sentiment(call_with({"openai": SETTINGS}), "hm") is None
    assert (
        await model.judge_sentiment(call_with({"openai": {**SETTINGS, "judge_sentiment": False}}), "hm")
        is None
    )
    assert len(fake.judgements) == 1


def test_config_is_checked_when_installed(builtin_catalog):
    info = builtin_catalog.get("openai")

    def error(layer: dict) -> str:
        with pytest.raises(PluginConfigError) as caught:
            validate_config(info, [layer], environ={})
        return f"{caught.value.field}: {caught.value.message}"

    assert error({}).startswith("config.api_key: an API key is required")
    assert error({**SETTINGS, "script": "{% if %}"}).startswith("config.script: line 1:")
    assert error({**SETTINGS, "temperature": 3}) == "config.temperature: must be between 0 and 2"
    assert error({**SETTINGS, "base_url": "gateway"}).startswith("config.base_url: must be an http(s) URL")
    assert info.secret_fields == ("api_key",)
    config = validate_config(info, [{"api_key": {"$env": "OPENAI_KEY"}}], environ={"OPENAI_KEY": "sk-env"})
    assert config.api_key == "sk-env"

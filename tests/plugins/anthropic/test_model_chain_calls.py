"""A tenant's chain of models on a live call: Anthropic first, OpenAI next, the offline model last.

Whatever fails (overloaded, rate limited, hanging, a stream cut off), the caller hears an answer
from the next model in the same turn, never an error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings
from tests.fakes.anthropic_wire import FakeAnthropic
from tests.fakes.openai_wire import FakeOpenAI

ANTHROPIC = {"api_key": "sk-ant-acme", "priority": 1, "timeout_s": 0.4, "judge_sentiment": False}
# OpenAI never hangs here: a longer wait spares it the SDK's first-request warm-up on a busy machine.
OPENAI = {"api_key": "sk-openai-acme", "priority": 2, "timeout_s": 1.5, "judge_sentiment": False}
FALLBACKS = ("Sorry, I didn't catch that", "nobody could take your call", "can't hear you")


@pytest.fixture
async def line(make_settings) -> AsyncIterator[SimpleNamespace]:
    app = create_app(phone_settings(make_settings))
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        claude = FakeAnthropic().serve(app, "anthropic")
        gpt = FakeOpenAI().serve(app, "openai")
        twilio = await open_line(client, {"anthropic": ANTHROPIC, "openai": OPENAI})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        yield SimpleNamespace(client=client, claude=claude, gpt=gpt, call=call)


async def call_detail(line: SimpleNamespace) -> dict:
    return (await line.client.get(f"/api/v1/tenants/acme/calls/{line.call.call_sid}")).json()


async def test_each_failure_of_the_first_model_is_answered_by_the_next_in_the_same_turn(line):
    line.claude.say("We're open nine to five, Monday to Friday.")
    line.claude.fail(529)
    line.gpt.say("Yes, children are welcome at every visit.")
    line.claude.hang()
    line.gpt.say("We do offer whitening.")
    line.claude.break_off("Let me ")
    line.gpt.fail(429, retry_after="20")

    hours = await line.call.say("What are your hours?")
    kids = await line.call.say("Can I bring my kids?")
    whitening = await line.call.say("Do you do whitening?")
    parking = await line.call.say("Is there parking?")

    assert hours.says == ["We're open nine to five, Monday to Friday."]
    assert kids.says == ["Yes, children are welcome at every visit."]
    assert whitening.says == ["We do offer whitening."]
    # Both hosted models failed: the offline model answered, and the call goes on.
    assert len(parking.says) == 1 and parking.says[0]
    assert not any(fallback in parking.says[0] for fallback in FALLBACKS)
    assert parking.gather_action is not None
    # Every request that reached a model is billed, the failed stream's input included:
    # Anthropic 100+10 and 100+1 tokens ($1/$5 per million), OpenAI twice 100+10 ($0.40/$1.60).
    assert (await call_detail(line))["usage"] == {
        "input_tokens": 400,
        "output_tokens": 31,
        "cost_usd": 0.000367,
    }
    # Anthropic was asked first every turn; OpenAI only when it failed, with the same conversation.
    assert len(line.claude.chats) == 4 and len(line.gpt.chats) == 3
    assert line.gpt.chats[0]["messages"][-1] == {"role": "user", "content": "Can I bring my kids?"}
    assert line.claude.api_keys == ["sk-ant-acme"] * 4
    assert line.gpt.api_keys == ["sk-openai-acme"] * 3


async def test_priorities_decide_the_order_and_one_put_changes_it(line):
    line.claude.say("Anthropic answers first.")
    before = await line.call.say("Hello?")

    response = await line.client.put(
        "/api/v1/tenants/acme/plugins/openai", json={"config": {**OPENAI, "priority": 0}}
    )
    assert response.status_code == 200
    line.gpt.say("OpenAI answers first now.")
    after = await line.call.say("Hello again?")

    assert before.says == ["Anthropic answers first."]
    assert after.says == ["OpenAI answers first now."]
    assert len(line.claude.chats) == 1

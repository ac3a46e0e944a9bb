"""OpenAI and Anthropic behind ConversationRelay: tools book over the stream, a dead vendor is skipped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, TWILIO_TOKEN, open_line, phone_settings
from tests.core.telephony.relay.conftest import prompt, setup_message
from tests.fakes.anthropic_wire import FakeAnthropic
from tests.fakes.openai_wire import FakeOpenAI
from tests.fakes.scripted_wire import CallTools, Say, last_tool_result
from tests.fakes.twilio_relay import TwilioRelay, spoken

OPENAI = {"api_key": "sk-openai-acme", "priority": 2, "timeout_s": 1.5, "judge_sentiment": False}
ANTHROPIC = {"api_key": "sk-ant-acme", "priority": 1, "timeout_s": 0.4, "judge_sentiment": False}
CALENDAR = {"services": {"cleaning": 60}, "lead_time_minutes": 0}


@pytest.fixture
async def streaming_line(make_settings) -> AsyncIterator[SimpleNamespace]:
    """Acme Dental in streaming mode, answered by OpenAI (and Anthropic when a test installs it)."""
    app = create_app(phone_settings(make_settings))
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        openai = FakeOpenAI().serve(app, "openai")
        anthropic = FakeAnthropic().serve(app, "anthropic")
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(
            client, {"calendar": CALENDAR, "openai": OPENAI, "conversation_relay": {"tts_provider": "Google"}}
        )
        yield SimpleNamespace(
            client=client,
            openai=openai,
            anthropic=anthropic,
            call=lambda: SimulatedCall(twilio, CALLER, NUMBER),
            relay=lambda url: TwilioRelay(client, url, TWILIO_TOKEN),
        )


async def test_openai_books_through_tool_calls_over_the_relay_stream(streaming_line) -> None:
    offered: dict = {}

    def offer(body: dict) -> Say:
        offered.update(last_tool_result(body["messages"])["slots"][0])
        return Say((f"I can do {offered['spoken']}. ", "Shall I book it?"))

    def book(body: dict) -> CallTools:
        start = last_tool_result(body["messages"])["slots"][0]["start"]
        return CallTools(
            (("book_appointment", {"start": start, "name": "Dana Smith", "service": "cleaning"}),)
        )

    def confirm(body: dict) -> Say:
        result = last_tool_result(body["messages"])
        return Say(("You're booked ", f"for {result['spoken']}.", " See you then!"))

    fake = streaming_line.openai
    fake.call_tools(("check_availability", {"service": "cleaning", "limit": 3})).then(offer)
    fake.then(book).then(confirm)

    call = streaming_line.call()
    step = await call.start()
    async with streaming_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("I'd like to book a cleaning"))
        first = await relay.answer()
        await relay.send(prompt("Yes please, I'm Dana Smith"))
        second = await relay.answer()

    assert spoken(first).strip() == f"I can do {offered['spoken']}. Shall I book it?"
    assert spoken(second).strip() == f"You're booked for {offered['spoken']}. See you then!"
    # The model's pieces reached Twilio as separate text tokens, the last one flagged.
    texts = [m for m in second if m["type"] == "text"]
    assert len(texts) >= 3 and texts[-1]["last"] is True and not any(m["last"] for m in texts[:-1])
    appointments = (await streaming_line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
    assert [(a["name"], a["phone"], a["status"]) for a in appointments] == [("Dana Smith", CALLER, "booked")]
    assert datetime.fromisoformat(appointments[0]["start"]) == datetime.fromisoformat(offered["start"])
    detail = (await streaming_line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert (detail["channel"], detail["appointment_id"]) == ("relay", appointments[0]["id"])
    assert len(fake.chats) == 4


async def test_a_vendor_that_dies_mid_call_hands_the_stream_to_the_next(streaming_line) -> None:
    response = await streaming_line.client.put(
        "/api/v1/tenants/acme/plugins/anthropic", json={"config": ANTHROPIC}
    )
    assert response.status_code == 200
    streaming_line.anthropic.say("Hello! ", "We open at nine.")
    streaming_line.anthropic.fail(529).hang()
    streaming_line.openai.say("We close at five ", "on weekdays.").say("Saturdays ", "until noon.")

    call = streaming_line.call()
    step = await call.start()
    async with streaming_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        answers = []
        for words in ("When do you open tomorrow?", "And when do you close?", "What about Saturday?"):
            await relay.send(prompt(words))
            answers.append(spoken(await relay.answer()).strip())

    # Claude answered, then was overloaded, then hung: OpenAI carried on; the caller heard no error.
    assert answers == ["Hello! We open at nine.", "We close at five on weekdays.", "Saturdays until noon."]
    turns = (await streaming_line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert [line["text"] for line in turns["transcript"] if line["role"] == "assistant"][1:] == answers

"""Calls answered by OpenAI, through Twilio's signed webhooks: booking with tools, knowledge, opting in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings
from tests.fakes.openai_wire import FakeOpenAI
from tests.fakes.scripted_wire import CallTools, Say, last_tool_result

OPENAI = {"api_key": "sk-tenant-acme", "timeout_s": 2.0, "judge_sentiment": False}


@pytest.fixture
async def line(make_settings) -> AsyncIterator[SimpleNamespace]:
    """Acme Dental with its own calendar, answering with the built-in offline model until it opts in."""
    app = create_app(phone_settings(make_settings))
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        fake = FakeOpenAI().serve(app, "openai")
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"calendar": {"services": {"cleaning": 60}, "lead_time_minutes": 0}})
        yield SimpleNamespace(client=client, fake=fake, call=lambda: SimulatedCall(twilio, CALLER, NUMBER))


async def test_the_model_books_an_appointment_with_the_calendar_tools(line):
    assert (
        await line.client.put("/api/v1/tenants/acme/plugins/openai", json={"config": OPENAI})
    ).status_code == 200
    offered: dict = {}

    def offer(body: dict) -> Say:
        offered.update(last_tool_result(body["messages"])["slots"][0])
        return Say((f"I can do {offered['spoken']}. ", "Shall I book it?"))

    def book(body: dict) -> CallTools:
        # The caller's pick refers to the slot check_availability offered last turn.
        start = last_tool_result(body["messages"])["slots"][0]["start"]
        return CallTools(
            (("book_appointment", {"start": start, "name": "Dana Smith", "service": "cleaning"}),)
        )

    def confirm(body: dict) -> Say:
        result = last_tool_result(body["messages"])
        assert result["ok"] is True
        return Say((f"You're booked for {result['spoken']}.", " See you then!"))

    line.fake.call_tools(("check_availability", {"service": "cleaning", "limit": 3})).then(offer)
    line.fake.then(book).then(confirm)

    call = line.call()
    await call.start()
    first = await call.say("I'd like to book a cleaning")
    second = await call.say("Yes please, I'm Dana Smith")
    await call.hang_up()

    assert first.says == [f"I can do {offered['spoken']}. Shall I book it?"]
    assert second.says == [f"You're booked for {offered['spoken']}. See you then!"]
    appointments = (await line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
    assert [(a["name"], a["phone"], a["status"], a["service"]) for a in appointments] == [
        ("Dana Smith", CALLER, "booked", "cleaning")
    ]
    assert datetime.fromisoformat(appointments[0]["start"]) == datetime.fromisoformat(offered["start"])
    detail = (await line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "booked"
    assert detail["appointment_id"] == appointments[0]["id"]
    # Four rounds: availability, the offer, the booking, the confirmation; each with the tools and key.
    assert len(line.fake.chats) == 4
    assert set(line.fake.api_keys) == {"sk-tenant-acme"}
    assert {"check_availability", "book_appointment"} <= {
        tool["function"]["name"] for tool in line.fake.chats[0]["tools"]
    }
    assert "offer only slots it returned" in line.fake.systems[0]


async def test_switching_from_offline_to_openai_is_one_put_and_the_prompt_has_the_knowledge(line):
    entry = {
        "question": "Do you take Delta Dental insurance?",
        "answer": "Yes, we are in network with Delta Dental.",
    }
    assert (await line.client.post("/api/v1/tenants/acme/knowledge", json=entry)).status_code == 201

    before = line.call()
    await before.start()
    offline = await before.say("Do you take Delta Dental?")
    await before.hang_up()
    assert line.fake.requests == []  # not installed yet: the offline model answered
    assert "Delta Dental" in offline.says[0]

    response = await line.client.put("/api/v1/tenants/acme/plugins/openai", json={"config": OPENAI})
    assert response.status_code == 200
    assert response.json()["config"]["api_key"] == "********"

    line.fake.say("Yes, ", "we're in network with Delta Dental.")
    after = line.call()
    await after.start()
    answered = await after.say("Do you take Delta Dental?")
    await after.hang_up()

    assert answered.says == ["Yes, we're in network with Delta Dental."]
    [system] = line.fake.systems
    assert (
        "- Q: Do you take Delta Dental insurance?\n  A: Yes, we are in network with Delta Dental." in system
    )
    assert "You are the receptionist of Acme Dental" in system
    assert "timezone America/Chicago" in system
    messages = line.fake.chats[0]["messages"]
    assert messages[-1] == {"role": "user", "content": "Do you take Delta Dental?"}
    assert messages[1]["role"] == "assistant"  # the greeting the caller heard


async def test_a_repeated_knowledge_question_is_answered_from_the_cache_without_the_model(line):
    entry = {"question": "Is there parking near the office?", "answer": "Yes, free parking behind us."}
    assert (await line.client.post("/api/v1/tenants/acme/knowledge", json=entry)).status_code == 201
    assert (
        await line.client.put("/api/v1/tenants/acme/plugins/openai", json={"config": OPENAI})
    ).status_code == 200
    line.fake.say("Yes, there's free parking behind the building.")

    answers = []
    for _ in range(2):
        call = line.call()
        await call.start()
        answers.append((await call.say("Is there parking near the office?")).says)
        await call.hang_up()

    # The model answered from the knowledge in its prompt, without a tool; the second caller got
    # its words from the answer cache.
    assert answers == [["Yes, there's free parking behind the building."]] * 2
    assert len(line.fake.chats) == 1
    metrics = (await line.client.get("/metrics")).text
    assert 'frontdesk_answer_cache_lookups_total{result="hit"} 1.0' in metrics

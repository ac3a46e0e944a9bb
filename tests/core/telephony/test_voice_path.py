"""The signed Twilio voice path end to end: TwiML out, rows in the database, nothing done twice."""

from __future__ import annotations

import asyncio

import httpx
from db_support import fetch_all, fetch_one
from sqlalchemy import func, select

from core.app import create_app
from core.calls.models import Call, CallEventRecord, CallTurn
from core.contacts.models import Contact
from core.messages.models import Message
from core.telephony.controllers import FALLBACK_TEXT
from core.telephony.simulator import SimulatedCall, parse_twiml
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import (
    CALLER,
    NUMBER,
    PUBLIC_URL,
    open_line,
    phone_settings,
)


async def test_unknown_number_is_politely_out_of_service(phone) -> None:
    call = SimulatedCall(phone.twilio, CALLER, "+15559990000")
    step = await call.start()
    assert step.says == ["We're sorry, the number you have called is not in service. Goodbye."]
    assert step.hangup


async def test_greeting_then_listening(phone, database_url: str) -> None:
    call = phone.call()
    step = await call.start()
    assert step.says == ["Thank you for calling Acme Dental. How can I help you today?"]
    assert step.gather_action == f"{PUBLIC_URL}/twilio/voice/turn?n=1"
    row = await fetch_one(database_url, select(Call).where(Call.call_sid == call.call_sid))
    assert (row.from_number, row.to_number, row.channel, row.screening["decision"]) == (
        CALLER,
        NUMBER,
        "voice",
        "allow",
    )


async def test_a_conversation_is_stored_and_finished_with_an_outcome(phone, database_url: str) -> None:
    call = phone.call()
    await call.start()
    step = await call.say("hello there")
    assert step.says == ["You said: hello there"]
    assert step.gather_action == f"{PUBLIC_URL}/twilio/voice/turn?n=2"
    step = await call.say("please take a message, tell them I'm running late")
    assert step.says[0].startswith("Done: ")
    step = await call.say("bye now")
    assert step.hangup
    await call.hang_up(duration_s=42)

    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "message_taken"
    assert detail["duration_s"] == 42
    assert [(t["role"], t["text"]) for t in detail["transcript"]][:3] == [
        ("assistant", "Thank you for calling Acme Dental. How can I help you today?"),
        ("caller", "hello there"),
        ("assistant", "You said: hello there"),
    ]
    messages = (await phone.client.get("/api/v1/tenants/acme/messages")).json()["items"]
    assert [(m["caller_name"], m["callback_number"], m["body"]) for m in messages] == [
        ("Dana", CALLER, "please take a message, tell them I'm running late")
    ]
    events = [
        e.type for e in await fetch_all(database_url, select(CallEventRecord).order_by(CallEventRecord.at))
    ]
    assert events[:2] == ["call.started", "call.screened"]
    assert "message.taken" in events and events[-1] == "call.completed"


async def test_replayed_requests_change_nothing(phone, database_url: str) -> None:
    call = phone.call()
    first = await call.start()
    params = call.params(CallStatus="ringing")
    again = parse_twiml((await phone.twilio.post("/twilio/voice", params)).text)
    assert again == first
    turn = call.params(CallStatus="in-progress", SpeechResult="take a message please", Confidence="0.9")
    one = await phone.twilio.post("/twilio/voice/turn?n=1", turn)
    two = await phone.twilio.post("/twilio/voice/turn?n=1", turn)
    assert one.text == two.text
    assert len(await fetch_all(database_url, select(Call))) == 1
    assert len(await fetch_all(database_url, select(Message))) == 1
    caller_lines = await fetch_all(database_url, select(CallTurn).where(CallTurn.role == "caller"))
    assert [line.text for line in caller_lines] == ["take a message please"]
    started = await fetch_all(
        database_url,
        select(func.count()).select_from(CallEventRecord).where(CallEventRecord.type == "call.started"),
    )
    assert started == [1]


async def test_a_retry_arriving_while_the_first_request_runs_gets_the_same_answer(
    make_settings, database_url: str
) -> None:
    # Twilio retried the incoming webhook before the first attempt was answered: the first waits
    # in a slow screening plugin while the retry is answered and committed. The call is recorded,
    # counted and announced once, and both requests get the same TwiML.
    slow = load_test_plugin("slow_first_screening")
    extra = [("scripted_llm", load_test_plugin("scripted_llm")), (slow.NAME, slow)]
    app = create_app(phone_settings(make_settings, hook_timeout_s=1.0), extra_plugins=extra)
    # Served in this event loop through plain ASGI: the test client answers one request at a
    # time (in a loop of its own), and Twilio's two requests must overlap.
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        http.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(http, {"scripted_llm": {}, slow.NAME: {}})
        params = SimulatedCall(twilio, CALLER, NUMBER).params(CallStatus="ringing")
        first = asyncio.create_task(twilio.post("/twilio/voice", params))
        while not slow.screened:  # noqa: ASYNC110 - until the first request is inside the pipeline
            await asyncio.sleep(0.01)
        retry = await twilio.post("/twilio/voice", params)
        answered = await first
    assert (answered.status_code, retry.status_code) == (200, 200)
    assert parse_twiml(answered.text) == parse_twiml(retry.text)
    assert parse_twiml(retry.text).says == ["Thank you for calling Acme Dental. How can I help you today?"]
    assert len(slow.screened) == 2
    assert len(await fetch_all(database_url, select(Call))) == 1
    started = await fetch_all(
        database_url,
        select(func.count()).select_from(CallEventRecord).where(CallEventRecord.type == "call.started"),
    )
    assert started == [1]
    contacts = await fetch_all(database_url, select(Contact))
    assert [(c.phone, c.calls_count) for c in contacts] == [(CALLER, 1)]


async def test_transfer_dials_and_falls_back_to_a_message_when_nobody_answers(phone) -> None:
    await phone.client.put(
        "/api/v1/tenants/acme/plugins/routing", json={"config": {"transfer_number": "+15557654321"}}
    )
    call = phone.call()
    await call.start()
    step = await call.say("can I speak to a person")
    assert step.dial == "+15557654321"
    assert step.dial_action == f"{PUBLIC_URL}/twilio/voice/dial?n=1"
    step = await call.dial_result("no-answer")
    assert step.record_action == f"{PUBLIC_URL}/twilio/voice/recording"
    await call.leave_voicemail("Please call me back about my crown.")
    await call.hang_up()
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "voicemail"
    messages = (await phone.client.get("/api/v1/tenants/acme/messages")).json()["items"]
    assert [(m["kind"], m["body"]) for m in messages] == [
        ("voicemail", "Please call me back about my crown.")
    ]
    assert messages[0]["recording_url"].startswith("https://api.twilio.com/")


async def test_silence_is_reprompted_then_voicemail(phone) -> None:
    call = phone.call()
    await call.start()
    assert (await call.say("")).says == ["Sorry, I didn't catch that. How can I help you?"]
    assert (await call.say("")).gather_action is not None
    assert (await call.say("")).record_action is not None


async def test_a_failing_model_hands_the_turn_to_the_offline_model(phone) -> None:
    call = phone.call()
    await call.start()
    step = await call.say("boom, do you take Delta Dental?")
    # The scripted model raised; the offline model (installed by default) answered instead.
    assert step.gather_action is not None
    assert step.says and not step.says[0].startswith("I'm sorry, I'm having trouble")


async def test_when_every_model_fails_the_caller_gets_the_apology_and_a_voicemail(phone) -> None:
    assert (await phone.client.delete("/api/v1/tenants/acme/plugins/offline_model")).status_code == 204
    call = phone.call()
    await call.start()
    step = await call.say("boom")
    assert step.says == [FALLBACK_TEXT]
    assert FALLBACK_TEXT.startswith("I'm sorry, I'm having trouble right now. Please leave a message")
    assert step.record_action is not None


async def test_abandoned_call_outcome(phone) -> None:
    call = phone.call()
    await call.start()
    await call.hang_up(duration_s=3)
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "abandoned"
    assert detail["status"] == "completed"


async def test_a_returning_caller_is_recognised_and_a_first_time_caller_is_not(phone) -> None:
    await phone.client.put(
        "/api/v1/tenants/acme/plugins/greeting",
        json={"config": {"returning_template": "Welcome back to {{ business.name }}!"}},
    )
    first = await phone.call().start()
    assert first.says == ["Thank you for calling Acme Dental. How can I help you today?"]
    second = await phone.call().start()
    assert second.says == ["Welcome back to Acme Dental!"]

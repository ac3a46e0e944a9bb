"""ConversationRelay over the websocket, Twilio's side played message by message."""

from __future__ import annotations

import json

import pytest
from db_support import fetch_all
from sqlalchemy import select

from core.calls.models import Call, CallEventRecord, CallTurn
from tests.core.telephony.conftest import CALLER, PUBLIC_URL
from tests.core.telephony.relay.conftest import prompt, setup_message
from tests.fakes.twilio_relay import RelayRefusedError, spoken

GREETING = "Thank you for calling Acme Dental. How can I help you today?"
SOCKET = "wss://frontdesk.test/twilio/relay"


async def test_an_incoming_call_is_connected_to_the_relay_with_the_tenants_settings(relay_line) -> None:
    call = relay_line.call()
    step = await call.start()

    assert step.relay_url == SOCKET
    assert step.relay_action == f"{PUBLIC_URL}/twilio/voice/relay-end"
    assert step.says == [GREETING]
    assert step.gather_action is None and not step.ends_call
    assert step.relay == {
        "url": SOCKET,
        "welcomeGreeting": GREETING,
        "language": "en-US",
        "ttsProvider": "Google",
        "voice": "en-US-Journey-O",
        "transcriptionProvider": "Deepgram",
        "speechModel": "nova-3-general",
        "interruptible": "speech",
        "welcomeGreetingInterruptible": "any",
        "dtmfDetection": "true",
        "hints": "Acme Dental,cleaning,Dr. Okafor",
    }
    detail = (await relay_line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["channel"] == "relay"
    assert detail["transcript"][0]["role"] == "assistant" and detail["transcript"][0]["text"] == GREETING


@pytest.mark.parametrize("signature", [None, "bm90IHRoZSBzaWduYXR1cmU="])
async def test_the_handshake_is_refused_without_a_valid_signature(relay_line, signature) -> None:
    with pytest.raises(RelayRefusedError) as refused:
        async with relay_line.relay(SOCKET, signature=signature):
            pass
    assert refused.value.code == 1008


async def test_a_signature_for_another_url_is_refused(relay_line) -> None:
    forged = relay_line.relay("wss://elsewhere.test/twilio/relay")
    forged.url = SOCKET  # signed for elsewhere, sent here
    with pytest.raises(RelayRefusedError):
        async with forged:
            pass


async def test_a_booking_streams_tokens_and_lands_in_the_transcript(relay_line, database_url: str) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("I'd like to book a cleaning"))
        answer = await relay.answer()

    texts = [m for m in answer if m["type"] == "text"]
    assert len(texts) >= 3  # streamed word by word, not in one piece
    assert [m["last"] for m in texts] == [False] * (len(texts) - 1) + [True]
    said = spoken(answer)
    assert said.startswith("Done: ") and '"ok": true' in said

    appointments = (await relay_line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
    assert [(a["name"], a["phone"], a["status"]) for a in appointments] == [("Dana", CALLER, "booked")]
    [row] = await fetch_all(database_url, select(Call))
    assert (row.channel, row.turn_count, row.appointment_id) == ("relay", 1, appointments[0]["id"])
    lines = await fetch_all(database_url, select(CallTurn).order_by(CallTurn.seq))
    assert [(line.role, line.text) for line in lines] == [
        ("assistant", GREETING),
        ("caller", "I'd like to book a cleaning"),
        ("assistant", said.strip()),
    ]
    events = [e.type for e in await fetch_all(database_url, select(CallEventRecord))]
    assert "call.relay_connected" in events and "call.turn" in events


async def test_an_interrupted_answer_is_kept_as_far_as_the_caller_heard_it(relay_line, database_url) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("tell me about whitening please"))
        answer = await relay.answer()
        assert spoken(answer) == "You said: tell me about whitening please"
        await relay.send(
            {
                "type": "interrupt",
                "utteranceUntilInterrupt": "You said: tell me",
                "durationUntilInterruptMs": 820,
            }
        )
        await relay.send(prompt("what did you say"))
        second = await relay.answer()

    assert spoken(second) == "You said: what did you say"
    lines = await fetch_all(database_url, select(CallTurn).order_by(CallTurn.seq))
    assert [(line.role, line.text) for line in lines] == [
        ("assistant", GREETING),
        ("caller", "tell me about whitening please"),
        ("assistant", "You said: tell me"),
        ("caller", "what did you say"),
        ("assistant", "You said: what did you say"),
    ]
    [row] = await fetch_all(database_url, select(Call))
    history = [(m["role"], m["content"]) for m in row.state["history"]]
    assert ("assistant", "You said: tell me") in history
    assert ("assistant", "You said: tell me about whitening please") not in history
    interrupted = [
        e for e in await fetch_all(database_url, select(CallEventRecord)) if e.type == "call.interrupted"
    ]
    assert [e.data for e in interrupted] == [
        {"said": "You said: tell me about whitening please", "heard": "You said: tell me", "duration_ms": 820}
    ]


async def test_an_interrupted_greeting_is_cut_too(relay_line, database_url) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(
            {
                "type": "interrupt",
                "utteranceUntilInterrupt": "Thank you for",
                "durationUntilInterruptMs": "400",
            }
        )
        await relay.send(prompt("hello"))
        await relay.answer()
    lines = await fetch_all(database_url, select(CallTurn).order_by(CallTurn.seq))
    assert [line.text for line in lines][:2] == ["Thank you for", "hello"]


async def test_a_key_press_is_a_turn(relay_line, database_url) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send({"type": "dtmf", "digit": "3"})
        answer = await relay.answer()
    assert spoken(answer) == "You said: (pressed 3)"
    lines = await fetch_all(database_url, select(CallTurn).order_by(CallTurn.seq))
    assert [(line.role, line.text) for line in lines][1] == ("caller", "(pressed 3)")


async def test_partial_prompts_and_unknown_messages_are_not_answered(relay_line, database_url) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send({"type": "prompt", "voicePrompt": "I'd like", "lang": "en-US", "last": False})
        await relay.send({"type": "info", "name": "roundTripDelayMs", "value": 412})
        await relay.send(prompt("I'd like a cleaning"))
        answer = await relay.answer()
    assert spoken(answer) == "You said: I'd like a cleaning"
    callers = [line.text for line in await fetch_all(database_url, select(CallTurn)) if line.role == "caller"]
    assert callers == ["I'd like a cleaning"]


async def test_twilio_errors_are_recorded_on_the_call(relay_line, database_url) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send({"type": "error", "description": "Invalid message received: {}"})
        await relay.send(prompt("hello there"))
        await relay.answer()
    errors = [
        e.data for e in await fetch_all(database_url, select(CallEventRecord)) if e.type == "call.relay_error"
    ]
    assert errors == [{"description": "Invalid message received: {}"}]


async def test_a_session_for_a_call_we_never_answered_is_closed(relay_line) -> None:
    call = relay_line.call()  # never started: no call row
    async with relay_line.relay(SOCKET) as relay:
        await relay.send(setup_message(call))
        with pytest.raises(ConnectionError):
            await relay.receive()
        assert relay.closed_with == 1008


async def test_a_model_failure_ends_the_session_towards_voicemail(relay_line) -> None:
    # Without the offline model to fall back on, a model that raises leaves no answer at all.
    assert (await relay_line.client.delete("/api/v1/tenants/acme/plugins/offline_model")).status_code == 204
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("boom"))
        answer = await relay.answer()
    assert answer[-1]["type"] == "end"
    assert json.loads(answer[-1]["handoffData"]) == {"reason": "error"}
    after = await call.relay_ended(handoff=answer[-1]["handoffData"])
    assert after.record_action == f"{PUBLIC_URL}/twilio/voice/recording"
    assert after.says[0].startswith("I'm sorry, I'm having trouble right now.")

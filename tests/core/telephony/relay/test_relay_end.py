"""How a relay session ends: transfer, hang-up, reconnect; and what stays as in the <Gather> mode."""

from __future__ import annotations

import json

from db_support import fetch_all, fetch_one, insert
from sqlalchemy import select

from core.calls.models import Call, CallEventRecord
from core.experiments.models import ExperimentAssignment
from core.tenancy.models import Tenant
from tests.core.telephony.conftest import NUMBER, PUBLIC_URL
from tests.core.telephony.relay.conftest import prompt, setup_message
from tests.core.telephony.test_experiment_calls import CONTROL, WARM, greeting_experiment
from tests.fakes.twilio_relay import spoken

TRANSFER_TO = "+15557654321"
RECORDING = f"{PUBLIC_URL}/twilio/voice/recording"


async def test_a_transfer_ends_the_session_and_the_call_is_dialled(relay_line, database_url) -> None:
    routing = {"config": {"transfer_number": TRANSFER_TO}}
    assert (
        await relay_line.client.put("/api/v1/tenants/acme/plugins/routing", json=routing)
    ).status_code == 200
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("can I speak to a person"))
        answer = await relay.answer()
        answer.append(await relay.receive())  # the end follows the answer once the turn is saved

    assert answer[-2] == {"type": "text", "token": "", "last": True}
    assert answer[-1]["type"] == "end"
    handoff = json.loads(answer[-1]["handoffData"])
    assert handoff == {"reason": "transfer", "target": TRANSFER_TO, "turn": 1}

    dialled = await call.relay_ended(status="ended", handoff=answer[-1]["handoffData"])
    assert dialled.dial == TRANSFER_TO
    assert dialled.dial_action == f"{PUBLIC_URL}/twilio/voice/dial?n=1"
    after = await call.dial_result("completed", duration_s=75)
    assert after.hangup
    await call.hang_up(duration_s=90)
    detail = (await relay_line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert (detail["outcome"], detail["transferred_to"], detail["channel"]) == (
        "transferred",
        TRANSFER_TO,
        "relay",
    )


async def test_nobody_answering_a_relay_transfer_leads_to_voicemail(relay_line) -> None:
    routing = {"config": {"transfer_number": TRANSFER_TO}}
    await relay_line.client.put("/api/v1/tenants/acme/plugins/routing", json=routing)
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("can I speak to a person"))
        answer = await relay.answer()
        answer.append(await relay.receive())  # the end follows the answer once the turn is saved
    await call.relay_ended(handoff=answer[-1]["handoffData"])
    after = await call.dial_result("no-answer")
    assert after.record_action == RECORDING


async def test_a_goodbye_is_spoken_then_the_session_ends_and_the_call_hangs_up(relay_line) -> None:
    call = relay_line.call()
    step = await call.start()
    async with relay_line.relay(step.relay_url) as relay:
        await relay.send(setup_message(call))
        await relay.send(prompt("ok bye"))
        answer = await relay.answer()
        answer.append(await relay.receive())  # the end follows the answer once the turn is saved
    assert spoken(answer).startswith("Done: ")
    assert json.loads(answer[-1]["handoffData"]) == {"reason": "hangup"}
    final = await call.relay_ended(handoff=answer[-1]["handoffData"])
    assert final.hangup and final.says == []


async def test_a_dropped_websocket_is_reconnected_a_limited_number_of_times(relay_line, database_url) -> None:
    overlay = {"conversation_relay": {"max_reconnects": 1}}
    numbers = f"/api/v1/tenants/acme/phone-numbers/{NUMBER}"
    assert (await relay_line.client.patch(numbers, json={"plugins": overlay})).status_code == 200
    call = relay_line.call()
    await call.start()

    again = await call.relay_ended(status="failed", error_code="64105", session_id="VX1")
    assert again.relay_url == "wss://frontdesk.test/twilio/relay"
    assert again.says == ["Sorry, the line dropped for a moment. Please go on."]
    assert again.relay_action == f"{PUBLIC_URL}/twilio/voice/relay-end"
    repeated = await call.twilio.post(
        again.relay_action,
        call.params(CallStatus="in-progress", SessionId="VX1", SessionStatus="failed", ErrorCode="64105"),
    )
    assert repeated.text.count("<ConversationRelay") == 1  # a retry gets the same answer, no second attempt

    exhausted = await call.relay_ended(status="failed", error_code="64105", session_id="VX2")
    assert exhausted.relay_url is None
    assert exhausted.record_action == RECORDING
    events = [
        e
        for e in await fetch_all(database_url, select(CallEventRecord))
        if e.type == "call.relay_reconnected"
    ]
    assert [e.data for e in events] == [{"attempt": 1, "error_code": "64105"}]


async def test_a_session_that_ends_without_handoff_says_goodbye(relay_line) -> None:
    call = relay_line.call()
    await call.start()
    final = await call.relay_ended(status="completed")
    assert final.hangup and final.says == ["Thank you for calling. Goodbye."]


async def test_the_relay_end_callback_must_be_signed(relay_line) -> None:
    response = await relay_line.client.post(
        "/twilio/voice/relay-end", data={"CallSid": "CA1", "SessionStatus": "ended"}
    )
    assert response.status_code == 403


async def test_a_blocked_caller_is_rejected_before_any_relay(relay_line) -> None:
    screening = {"config": {"blocklist": ["+15550006666"]}}
    await relay_line.client.put("/api/v1/tenants/acme/plugins/screening", json=screening)
    step = await relay_line.call("+15550006666").start()
    assert step.reject and step.relay_url is None


async def test_an_unattested_caller_is_challenged_first_then_connected(relay_line) -> None:
    call = relay_line.call("+15550004444", stir_verstat="No-TN-Validation")
    step = await call.start()
    assert step.relay_url is None
    assert step.gather_action == f"{PUBLIC_URL}/twilio/voice/challenge"
    step = await call.press("1")
    assert step.relay_url == "wss://frontdesk.test/twilio/relay"
    assert step.says == ["Thank you for calling Acme Dental. How can I help you today?"]


async def test_a_failed_attestation_goes_to_voicemail_not_to_the_relay(relay_line) -> None:
    step = await relay_line.call(stir_verstat="TN-Validation-Failed-A").start()
    assert step.relay_url is None and step.record_action == RECORDING


async def test_a_number_can_keep_gather_while_the_tenant_streams(relay_line) -> None:
    numbers = f"/api/v1/tenants/acme/phone-numbers/{NUMBER}"
    overlay = {"plugins": {"conversation_relay": {"enabled": False}}}
    assert (await relay_line.client.patch(numbers, json=overlay)).status_code == 200
    call = relay_line.call()
    step = await call.start()
    assert step.relay_url is None and step.gather_action == f"{PUBLIC_URL}/twilio/voice/turn?n=1"
    detail = (await relay_line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["channel"] == "voice"


async def test_experiment_callers_hear_their_variant_as_the_welcome_greeting(
    relay_line, database_url
) -> None:
    tenant = await fetch_one(database_url, select(Tenant).where(Tenant.slug == "acme"))
    await insert(database_url, greeting_experiment(tenant.id))
    heard = {}
    for n in range(8):
        caller = f"+1555020{n:04d}"
        step = await relay_line.call(caller).start()
        heard[caller] = step.relay["welcomeGreeting"]
    assignments = await fetch_all(database_url, select(ExperimentAssignment))
    assert sorted(a.unit_id for a in assignments) == sorted(heard)
    for assignment in assignments:
        assert heard[assignment.unit_id] == (WARM if assignment.variant == "warm" else CONTROL)
    calls = await fetch_all(database_url, select(Call))
    assert {c.channel for c in calls} == {"relay"}


async def test_elevenlabs_tts_speaks_with_the_tenants_elevenlabs_voice(relay_line) -> None:
    elevenlabs = {"config": {"api_key": "xi-test-key", "voice_id": "21m00Tcm4TlvDq8ikWAM"}}
    assert (
        await relay_line.client.put("/api/v1/tenants/acme/plugins/elevenlabs", json=elevenlabs)
    ).status_code == 200
    relay = {"config": {"tts_provider": "ElevenLabs"}}
    assert (
        await relay_line.client.put("/api/v1/tenants/acme/plugins/conversation_relay", json=relay)
    ).status_code == 200
    step = await relay_line.call().start()
    assert (step.relay["ttsProvider"], step.relay["voice"]) == ("ElevenLabs", "21m00Tcm4TlvDq8ikWAM")


async def test_a_bad_relay_config_is_refused_naming_the_field(relay_line) -> None:
    bad = {"config": {"hints": ["Acme", "teeth, gums"]}}
    response = await relay_line.client.put("/api/v1/tenants/acme/plugins/conversation_relay", json=bad)
    assert response.status_code == 422
    assert "hints[1]" in response.text

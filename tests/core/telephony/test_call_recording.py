"""Whole-call recording: switched on per tenant or number, disclosed in the greeting, kept on the call."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from db_support import fetch_all, fetch_one
from sqlalchemy import select

from core.calls.models import Call, CallEventRecord
from tests.core.telephony.conftest import NUMBER, PUBLIC_URL

DISCLOSURE = "This call may be recorded for quality purposes."
GREETING = "Thank you for calling Acme Dental. How can I help you today?"


async def _record(phone, *, tenant: bool | None = None, number: bool | None = None) -> None:
    if tenant is not None:
        response = await phone.client.patch("/api/v1/tenants/acme", json={"record_calls": tenant})
        assert response.status_code == 200, response.text
        assert response.json()["record_calls"] is tenant
    if number is not None:
        response = await phone.client.patch(
            f"/api/v1/tenants/acme/phone-numbers/{NUMBER}", json={"record_calls": number}
        )
        assert response.status_code == 200, response.text
        assert response.json()["record_calls"] is number


async def _first_twiml(phone, call) -> ET.Element:
    response = await phone.twilio.post("/twilio/voice", call.params(CallStatus="ringing"))
    return ET.fromstring(response.text)


async def test_calls_are_not_recorded_unless_the_tenant_asks(phone) -> None:
    call = phone.call()
    step = await call.start()

    assert step.recording_callback is None
    assert step.says == [GREETING]
    tenant = (await phone.client.get("/api/v1/tenants/acme")).json()
    assert tenant["record_calls"] is False


async def test_a_recording_tenant_starts_recording_before_the_disclosed_greeting(phone) -> None:
    await _record(phone, tenant=True)
    call = phone.call()

    step = await call.start()

    assert step.recording_callback == f"{PUBLIC_URL}/twilio/voice/recording"
    assert step.says == [f"{DISCLOSURE} {GREETING}"]
    # <Start><Recording> comes before the <Gather> that says the disclosure, so it is on the recording.
    root = await _first_twiml(phone, call)
    assert [child.tag for child in root] == ["Start", "Gather"]
    recording = root.find("Start/Recording")
    assert recording is not None
    assert recording.attrib == {
        "recordingStatusCallback": f"{PUBLIC_URL}/twilio/voice/recording",
        "recordingStatusCallbackMethod": "POST",
        "recordingStatusCallbackEvent": "completed absent failed",
        "channels": "dual",
        "track": "both",
        "trim": "trim-silence",
    }


async def test_the_recording_is_kept_on_the_call_once_twilio_reports_it(phone, database_url: str) -> None:
    await _record(phone, tenant=True)
    call = phone.call()
    await call.start()
    await call.say("please take a message, I'm running late")

    await call.hang_up(duration_s=37)

    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["recording_url"].startswith("https://api.twilio.com/2010-04-01/Accounts/")
    assert detail["recording_duration_s"] == 37
    assert detail["outcome"] == "message_taken"
    row = await fetch_one(database_url, select(Call).where(Call.call_sid == call.call_sid))
    assert row.recording_sid is not None and row.recording_sid.startswith("RE")
    assert detail["recording_url"].endswith(row.recording_sid)
    events = [e.type for e in await fetch_all(database_url, select(CallEventRecord))]
    assert events.count("call.recording_started") == 1
    assert events.count("call.recorded") == 1


async def test_a_replayed_recording_callback_changes_nothing(phone, database_url: str) -> None:
    await _record(phone, tenant=True)
    call = phone.call()
    await call.start()
    params = call.params(
        RecordingSid="RE" + "1" * 32,
        RecordingUrl="https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE" + "1" * 32,
        RecordingStatus="completed",
        RecordingDuration="12",
    )

    first = await phone.twilio.post("/twilio/voice/recording", params)
    second = await phone.twilio.post("/twilio/voice/recording", params)

    assert (first.status_code, second.status_code) == (204, 204)
    events = [e.type for e in await fetch_all(database_url, select(CallEventRecord))]
    assert events.count("call.recorded") == 1


async def test_a_failed_recording_is_logged_and_leaves_no_url(phone, database_url: str) -> None:
    await _record(phone, tenant=True)
    call = phone.call()
    await call.start()
    params = call.params(RecordingSid="RE" + "2" * 32, RecordingStatus="failed", ErrorCode="16104")

    response = await phone.twilio.post("/twilio/voice/recording", params)

    assert response.status_code == 204
    row = await fetch_one(database_url, select(Call).where(Call.call_sid == call.call_sid))
    assert row.recording_url is None
    failed = await fetch_one(
        database_url, select(CallEventRecord).where(CallEventRecord.type == "call.recording_failed")
    )
    assert failed.data == {"status": "failed", "error_code": "16104"}


async def test_a_number_can_opt_out_of_its_tenants_recording(phone) -> None:
    await _record(phone, tenant=True, number=False)

    step = await phone.call().start()

    assert step.recording_callback is None
    assert step.says == [GREETING]


async def test_a_number_can_record_when_its_tenant_does_not(phone) -> None:
    await _record(phone, number=True)

    step = await phone.call().start()

    assert step.recording_callback is not None
    assert step.says == [f"{DISCLOSURE} {GREETING}"]


async def test_a_call_sent_to_voicemail_is_not_also_recorded_whole(phone) -> None:
    await _record(phone, tenant=True)
    response = await phone.client.put(
        "/api/v1/tenants/acme/plugins/screening",
        json={"config": {"anonymous": "voicemail"}},
    )
    assert response.status_code == 200, response.text

    step = await phone.call(caller="anonymous").start()

    assert step.record_action is not None
    assert step.recording_callback is None

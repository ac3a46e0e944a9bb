"""``frontdesk call``'s driver: a scripted call through the signed webhooks, start to outcome."""

from __future__ import annotations

from core.telephony.caller_cli import place_call, script_lines, show
from core.telephony.simulator import TwimlStep
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, TWILIO_TOKEN


async def test_a_scripted_call_runs_to_its_end(phone, tmp_path) -> None:
    script = tmp_path / "call.txt"
    script.write_text("# a caller who leaves a message\nhello\nplease take a message about my crown\nbye\n")
    printed: list[str] = []
    call = await place_call(
        phone.client,
        PUBLIC_URL,
        TWILIO_TOKEN,
        CALLER,
        NUMBER,
        script_lines(str(script), input),
        out=printed.append,
    )
    assert printed[0] == "Receptionist: Thank you for calling Acme Dental. How can I help you today?"
    assert printed[1] == "Receptionist: You said: hello"
    assert printed[-1] == "(call ended)"
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "message_taken"
    assert [t["text"] for t in detail["transcript"] if t["role"] == "caller"] == [
        "hello",
        "please take a message about my crown",
        "bye",
    ]


async def test_an_unanswered_transfer_ends_in_voicemail(phone, tmp_path) -> None:
    await phone.client.put(
        "/api/v1/tenants/acme/plugins/routing", json={"config": {"transfer_number": "+15557654321"}}
    )
    script = tmp_path / "call.txt"
    script.write_text("I want to speak to a person\nPlease call me back, it's Lee.\n")
    printed: list[str] = []
    call = await place_call(
        phone.client,
        PUBLIC_URL,
        TWILIO_TOKEN,
        CALLER,
        NUMBER,
        script_lines(str(script), input),
        out=printed.append,
        dial_result="no-answer",
    )
    assert "(transferring to +15557654321)" in printed
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "voicemail"


def test_the_simulator_tells_the_caller_when_the_business_records() -> None:
    lines: list[str] = []
    step = TwimlStep(says=["Hello."], recording_callback=f"{PUBLIC_URL}/twilio/voice/recording")

    show(step, lines.append)

    assert lines == ["(the business records this call)", "Receptionist: Hello."]

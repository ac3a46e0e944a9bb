"""Texts converse through the same receptionist; a thread is one conversation; replays change nothing."""

from __future__ import annotations

from db_support import fetch_all
from sqlalchemy import select

from core.calls.models import Call
from core.messages.models import Message
from tests.core.telephony.conftest import CALLER, NUMBER

ACCOUNT = "AC" + "0" * 32


def sms(sid: str, body: str, sender: str = CALLER) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": sender,
        "To": NUMBER,
        "Body": body,
        "NumMedia": "0",
    }


async def test_a_text_thread_is_one_conversation(phone, database_url: str) -> None:
    first = await phone.twilio.post("/twilio/sms", sms("SM" + "1" * 32, "hello there"))
    assert first.status_code == 200
    assert first.text.endswith("<Response><Message>You said: hello there</Message></Response>")
    second = await phone.twilio.post(
        "/twilio/sms", sms("SM" + "2" * 32, "please take a message: call me back")
    )
    assert "<Message>Done: " in second.text
    threads = await fetch_all(database_url, select(Call))
    assert [(t.channel, t.turn_count, t.outcome) for t in threads] == [("sms", 2, "message_taken")]
    messages = await fetch_all(database_url, select(Message))
    assert [(m.callback_number, m.body) for m in messages] == [
        (CALLER, "please take a message: call me back")
    ]


async def test_a_replayed_text_is_answered_the_same_and_counted_once(phone, database_url: str) -> None:
    params = sms("SM" + "3" * 32, "please take a message: hi")
    one = await phone.twilio.post("/twilio/sms", params)
    two = await phone.twilio.post("/twilio/sms", params)
    assert one.text == two.text
    assert len(await fetch_all(database_url, select(Message))) == 1


async def test_another_texter_gets_another_thread(phone, database_url: str) -> None:
    await phone.twilio.post("/twilio/sms", sms("SM" + "4" * 32, "hi"))
    await phone.twilio.post("/twilio/sms", sms("SM" + "5" * 32, "hi", sender="+15550002222"))
    threads = await fetch_all(database_url, select(Call).order_by(Call.from_number))
    assert [t.from_number for t in threads] == ["+15550002222", CALLER]

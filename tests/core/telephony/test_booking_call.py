"""A booking made on a call lands in the calendar and sends the caller a confirmation text."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from urllib.parse import parse_qs

import httpx
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.outbound import drain
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, TWILIO_TOKEN, open_line, phone_settings

ACCOUNT = "AC" + "5" * 32


def twilio_messages_api(sent: list[httpx.Request]) -> httpx.MockTransport:
    """Twilio's Messages endpoint as it answers a create: 201 with the message resource."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        form = parse_qs(request.content.decode())
        resource = {
            "sid": "SM" + "9" * 32,
            "status": "queued",
            "to": form["To"][0],
            "from": form["From"][0],
            "body": form["Body"][0],
        }
        return httpx.Response(201, json=resource)

    return httpx.MockTransport(handle)


@asynccontextmanager
async def line_with_texts(make_settings) -> AsyncIterator[SimpleNamespace]:
    """A tenant on its own Twilio account, whose outbound texts are captured in ``sent``."""
    sent: list[httpx.Request] = []
    app = create_app(
        phone_settings(make_settings),
        extra_plugins=[("scripted_llm", load_test_plugin("scripted_llm"))],
        outbound_http=httpx.AsyncClient(transport=twilio_messages_api(sent)),
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"scripted_llm": {}})
        await client.patch("/api/v1/tenants/acme", json={"twilio_account_sid": ACCOUNT})
        yield SimpleNamespace(client=client, twilio=twilio, sent=sent)


async def test_booking_on_a_call_is_stored_and_confirmed_by_sms(make_settings) -> None:
    async with line_with_texts(make_settings) as line:
        call = SimulatedCall(line.twilio, CALLER, NUMBER)
        await call.start()
        step = await call.say("I'd like to book a cleaning")
        assert step.says[0].startswith("Done: ")
        assert '"ok": true' in step.says[0]
        await call.hang_up()
        await drain()

        appointments = (await line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert [(a["name"], a["phone"], a["status"]) for a in appointments] == [("Dana", CALLER, "booked")]
        detail = (await line.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
        assert detail["outcome"] == "booked"
        assert detail["appointment_id"] == appointments[0]["id"]

    assert len(line.sent) == 1
    request = line.sent[0]
    assert request.method == "POST"
    assert str(request.url) == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    form = parse_qs(request.content.decode())
    assert form["To"] == [CALLER] and form["From"] == [NUMBER]
    assert form["Body"][0].startswith("Acme Dental: your appointment is booked for ")
    user, _, password = (
        base64.b64decode(request.headers["authorization"].removeprefix("Basic ")).decode().partition(":")
    )
    assert (user, password) == (ACCOUNT, TWILIO_TOKEN)


async def test_a_replayed_booking_turn_books_and_texts_once(make_settings) -> None:
    async with line_with_texts(make_settings) as line:
        call = SimulatedCall(line.twilio, CALLER, NUMBER)
        await call.start()
        params = call.params(CallStatus="in-progress", SpeechResult="book me in", Confidence="0.9")
        first = await line.twilio.post("/twilio/voice/turn?n=1", params)
        again = await line.twilio.post("/twilio/voice/turn?n=1", params)
        await drain()
        assert first.text == again.text
        appointments = (await line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert len(appointments) == 1
    assert len(line.sent) == 1

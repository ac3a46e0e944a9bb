"""A booking made on a call lands in the calendar and sends the caller a confirmation text."""

from __future__ import annotations

import base64
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


async def test_booking_on_a_call_is_stored_and_confirmed_by_sms(make_settings) -> None:
    sent: list[httpx.Request] = []

    def twilio_api(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        form = parse_qs(request.content.decode())
        return httpx.Response(
            201,
            json={
                "sid": "SM" + "9" * 32,
                "status": "queued",
                "to": form["To"][0],
                "from": form["From"][0],
                "body": form["Body"][0],
            },
        )

    outbound = httpx.AsyncClient(transport=httpx.MockTransport(twilio_api))
    app = create_app(
        phone_settings(make_settings),
        extra_plugins=[("scripted_llm", load_test_plugin("scripted_llm"))],
        outbound_http=outbound,
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"scripted_llm": {}})
        await client.patch("/api/v1/tenants/acme", json={"twilio_account_sid": ACCOUNT})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        step = await call.say("I'd like to book a cleaning")
        assert step.says[0].startswith("Done: ")
        assert '"ok": true' in step.says[0]
        await call.hang_up()
        await drain()

        appointments = (await client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert [(a["name"], a["phone"], a["status"]) for a in appointments] == [("Dana", CALLER, "booked")]
        detail = (await client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
        assert detail["outcome"] == "booked"
        assert detail["appointment_id"] == appointments[0]["id"]

    assert len(sent) == 1
    request = sent[0]
    assert request.method == "POST"
    assert str(request.url) == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    form = parse_qs(request.content.decode())
    assert form["To"] == [CALLER] and form["From"] == [NUMBER]
    assert form["Body"][0].startswith("Acme Dental: your appointment is booked for ")
    assert request.headers["authorization"].startswith("Basic ")
    user, _, password = base64.b64decode(request.headers["authorization"][6:]).decode().partition(":")
    assert (user, password) == (ACCOUNT, TWILIO_TOKEN)


async def test_a_replayed_booking_turn_books_and_texts_once(make_settings) -> None:
    sent: list[httpx.Request] = []
    outbound = httpx.AsyncClient(
        transport=httpx.MockTransport(
            lambda request: (
                sent.append(request) or httpx.Response(201, json={"sid": "SM1", "status": "queued"})
            )
        )
    )
    app = create_app(
        phone_settings(make_settings),
        extra_plugins=[("scripted_llm", load_test_plugin("scripted_llm"))],
        outbound_http=outbound,
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"scripted_llm": {}})
        await client.patch("/api/v1/tenants/acme", json={"twilio_account_sid": ACCOUNT})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        params = call.params(CallStatus="in-progress", SpeechResult="book me in", Confidence="0.9")
        first = await twilio.post("/twilio/voice/turn?n=1", params)
        again = await twilio.post("/twilio/voice/turn?n=1", params)
        await drain()
        assert first.text == again.text
        appointments = (await client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert len(appointments) == 1
    assert len(sent) == 1

"""The offline model on a real call: signed Twilio webhooks, the host's tools, the built-in calendar."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

EVERY_DAY = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BUSINESS = {"hours": EVERY_DAY, "address": "12 Elm Street", "services": ["Teeth cleaning", "Whitening"]}


async def test_a_caller_asks_books_and_hangs_up_with_only_the_builtin_plugins(make_settings) -> None:
    app = create_app(phone_settings(make_settings, turn_budget_s=5.0))
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client)
        assert (await client.patch("/api/v1/tenants/acme", json={"business": BUSINESS})).status_code == 200
        entry = {
            "question": "Do you accept insurance?",
            "answer": "We accept most PPO plans, including Delta Dental.",
            "tags": ["insurance"],
        }
        assert (await client.post("/api/v1/tenants/acme/knowledge", json=entry)).status_code == 201

        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        answer = await call.say("Do you take my Delta insurance?")
        assert answer.says == [
            "We accept most PPO plans, including Delta Dental. Is there anything else I can help you with?"
        ]
        offer = await call.say("Great. Can I book a cleaning tomorrow at 10?")
        assert offer.says == [
            "Good news, tomorrow at 10:00 AM is available. May I have your name to book it?"
        ]
        booked = await call.say("Dana Smith")
        assert booked.says[0].startswith(
            "You're all set, Dana. I've booked your teeth cleaning for tomorrow at 10:00 AM."
        )
        goodbye = await call.say("No, that's all. Thanks!")
        assert goodbye.says[-1].endswith("Thank you for calling Acme Dental. Have a great day. Goodbye!")
        assert goodbye.hangup
        await call.hang_up()

        appointments = (await client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert [(a["name"], a["phone"], a["service"]) for a in appointments] == [
            ("Dana Smith", CALLER, "Teeth cleaning")
        ]
        leads = (await client.get("/api/v1/tenants/acme/leads")).json()["items"]
        assert [(lead["name"], lead["intent"]) for lead in leads] == [("Dana Smith", "book_appointment")]

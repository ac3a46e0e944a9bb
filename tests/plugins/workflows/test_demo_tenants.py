"""The demo tenants (``tenants/*.toml``) answer with their industry's workflow once applied."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from core.app import create_app
from core.runtime import open_services
from core.telephony.simulator import SimulatedCall, TwilioSide
from core.tenancy.declarative import apply_tenants_dir
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, PUBLIC_URL, TWILIO_TOKEN, phone_settings

DEMO_DIR = Path(__file__).parents[3] / "tenants"


async def test_the_demo_tenants_qualify_callers_for_their_industry(make_settings) -> None:
    settings = phone_settings(make_settings)
    async with open_services(settings) as services:
        await apply_tenants_dir(services, DEMO_DIR)
    async with AsyncTestClient(app=create_app(settings), base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = TwilioSide(client, PUBLIC_URL, TWILIO_TOKEN)

        mortgage = SimulatedCall(twilio, CALLER, "+15551240001")
        await mortgage.start()
        assert (await mortgage.say("Hi, I'd like to refinance my home")).says == [
            "Happy to help with a refinance. I'll ask a few quick questions for the loan officer. "
            "About how much would you like to borrow?"
        ]
        dental = SimulatedCall(twilio, CALLER, "+15551230001")
        await dental.start()
        assert (await dental.say("Hi, I'm looking for a new dentist")).says == [
            "Welcome! We'd love to see you. Do you have dental insurance? If so, who is it with?"
        ]
        leads = (await client.get("/api/v1/tenants/keystone-mortgage/leads")).json()["items"]
        assert [(lead["workflow"], lead["intent"], lead["score"]) for lead in leads] == [
            ("mortgage", "refinance", 10)
        ]

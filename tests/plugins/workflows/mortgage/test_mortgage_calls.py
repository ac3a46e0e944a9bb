"""Mortgage leads on real calls: qualified one question at a time, scored, and handed on as the rules say."""

from __future__ import annotations

from db_support import fetch_all
from sqlalchemy import select

from core.calls.models import CallEventRecord
from core.telephony.outbound import drain
from tests.core.telephony.conftest import CALLER, NUMBER
from tests.plugins.workflows.workflow_phone import ACCOUNT, NEVER_OPEN, call_detail, lead_of, workflow_line

LOAN_OFFICER = "+15557000001"
ALERTS = "+15557000009"
ROUTING = {"transfer_number": "+15557000000", "departments": {"loan_officer": {"number": LOAN_OFFICER}}}
PLUGINS = {"mortgage": {"alert_number": ALERTS}, "routing": ROUTING, "calendar": {}}

BORROW = "About how much would you like to borrow?"
WORTH = "And roughly what is the property worth, or what's the purchase price?"
CREDIT = "How would you describe your credit: excellent, good, fair or poor? A rough score is fine too."
WHEN = "And how soon are you hoping to get this done?"
REFINANCE = "Happy to help with a refinance. I'll ask a few quick questions for the loan officer."


async def test_a_hot_refinance_is_put_through_to_a_loan_officer_at_once(make_settings, database_url) -> None:
    async with workflow_line(make_settings, PLUGINS) as line:
        call = line.call()
        await call.start()
        assert (await call.say("Hi, I want to refinance my house")).says == [f"{REFINANCE} {BORROW}"]
        assert (await call.say("four hundred thousand")).says == [WORTH]
        assert (await call.say("about 650k")).says == [CREDIT]
        assert (await call.say("around 760")).says == [WHEN]
        # Hot now (87 of 100): the last question (employment) waits for the loan officer.
        transfer = await call.say("as soon as possible")
        assert transfer.says == ["I'm connecting you with a loan officer now. Please hold."]
        assert transfer.dial == LOAN_OFFICER
        await call.dial_result("completed", duration_s=300)
        await call.hang_up()
        await drain()

        assert await lead_of(line.client) == {
            "name": None,
            "phone": CALLER,
            "intent": "refinance",
            "workflow": "mortgage",
            "fields": {
                "loan_amount": 400_000,
                "property_value": 650_000,
                "credit_band": "excellent",
                "timeline": "asap",
                "route": {
                    "action": "transfer",
                    "reason": "hot_lead",
                    "department": "loan_officer",
                    "target": LOAN_OFFICER,
                },
            },
            "score": 87,
        }
        detail = await call_detail(line.client, call.call_sid)
        assert (detail["outcome"], detail["transferred_to"]) == ("transferred", LOAN_OFFICER)
        assert line.sent == []  # put through, so nobody is texted
    transferred = await fetch_all(
        database_url, select(CallEventRecord).where(CallEventRecord.type == "call.transferred")
    )
    assert [event.data for event in transferred] == [{"to": LOAN_OFFICER, "reason": "hot_lead"}]


async def test_a_hot_lead_after_hours_is_texted_to_the_loan_officer(make_settings) -> None:
    async with workflow_line(make_settings, PLUGINS, business={"hours": NEVER_OPEN}) as line:
        call = line.call()
        await call.start()
        # The value said in passing is not asked again.
        first = await call.say("Hi, I'd like to refinance, the house is worth about 650 thousand")
        assert first.says == [f"{REFINANCE} {BORROW}"]
        assert (await call.say("$400k")).says == [CREDIT]
        assert (await call.say("It's excellent")).says == [WHEN]
        alerted = await call.say("within two weeks")
        assert alerted.says == [
            "No one can take your call right now, so I've sent your details to a loan officer, who will call "
            "you back as soon as possible. Is there anything else I can help you with?"
        ]
        assert alerted.dial is None
        assert (await call.say("No, that's all, thanks")).hangup
        await call.hang_up()
        await drain()

        lead = await lead_of(line.client)
        assert (lead["score"], lead["fields"]["route"]) == (
            87,
            {"action": "alert", "reason": "hot_lead", "target": ALERTS},
        )
    # Through the tenant's own Twilio account and number, exactly as a confirmation to the caller.
    assert line.sent == [
        {
            "url": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
            "To": ALERTS,
            "From": NUMBER,
            "Body": (
                f"Acme Dental: hot lead (score 87) from {CALLER}: refinance; loan amount $400,000; "
                "property value $650,000; credit band excellent; timeline asap. Please call back now."
            ),
        }
    ]


async def test_a_lead_that_is_not_hot_books_a_consultation(make_settings) -> None:
    plugins = {**PLUGINS, "mortgage": {"consultation_services": {"purchase": "home purchase consultation"}}}
    async with workflow_line(make_settings, plugins) as line:
        call = line.call()
        await call.start()
        first = await call.say("We're first time buyers looking to buy a house")
        assert first.says == [
            "Congratulations on the home search! A few quick questions and we'll get you started. " + BORROW
        ]
        assert (await call.say("300k")).says == [WORTH]
        assert (await call.say("the price is $330,000")).says == ["How much are you planning to put down?"]
        assert (await call.say("30 thousand")).says == [CREDIT]
        assert (await call.say("I'm not sure")).says == [WHEN]
        assert (await call.say("probably next year")).says == [
            "Last one: are you employed, self-employed or retired?"
        ]
        offer = await call.say("I'm employed full time")
        assert offer.says[0].startswith(
            "Let's find a time for your home purchase consultation. The earliest I have is "
        )
        assert (await call.say("the first one")).says == [
            "Great. And may I have your name for the appointment?"
        ]
        booked = await call.say("Dana Smith")
        assert booked.says[0].startswith(
            "You're all set, Dana. I've booked your home purchase consultation for "
        )
        await call.hang_up()
        await drain()

        # 10 (purchase) + 12 (loan size) + 5 (9% down) + 2 (a year out) + 10 (employed); credit unknown.
        assert await lead_of(line.client) == {
            "name": "Dana Smith",
            "phone": CALLER,
            "intent": "purchase",
            "workflow": "mortgage",
            "fields": {
                "loan_amount": 300_000,
                "property_value": 330_000,
                "down_payment": 30_000,
                "credit_band": None,
                "timeline": "later",
                "employment": "employed",
                "route": {"action": "book", "reason": "qualified", "service": "home purchase consultation"},
            },
            "score": 39,
        }
        appointments = (await line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert [(a["name"], a["service"]) for a in appointments] == [
            ("Dana Smith", "home purchase consultation")
        ]

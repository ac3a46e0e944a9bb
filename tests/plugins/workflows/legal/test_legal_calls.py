"""Legal intake calls: practice area, the other party for the conflict check, urgency, then a consultation."""

from __future__ import annotations

from core.telephony.outbound import drain
from tests.core.telephony.conftest import CALLER
from tests.plugins.workflows.workflow_phone import call_detail, lead_of, workflow_line

MAIN_LINE = "+15557000000"
ATTORNEYS = "+15557000004"
ROUTING = {"transfer_number": MAIN_LINE, "departments": {"attorneys": {"number": ATTORNEYS}}}
CONFLICTS = "So we can check for conflicts of interest, who is the other party involved, if there is one?"
URGENCY = "Do you have a court date or a deadline coming up soon?"
HELLO = "I can help you set up a consultation with one of our attorneys."


async def test_a_divorce_intake_checks_the_other_party_and_books_a_consultation(make_settings) -> None:
    plugins = {"legal": {}, "routing": ROUTING, "calendar": {"services": {"consultation": 60}}}
    async with workflow_line(make_settings, plugins) as line:
        call = line.call()
        await call.start()
        # "divorce" is the practice area already: not asked.
        assert (await call.say("Hi, I need a divorce lawyer")).says == [f"{HELLO} {CONFLICTS}"]
        assert (await call.say("My husband, John Smith")).says == [URGENCY]
        offer = await call.say("No, nothing scheduled yet")
        assert offer.says[0].startswith("Let's find a time for your consultation. The earliest I have is ")
        assert (await call.say("the first one")).says == [
            "Great. And may I have your name for the appointment?"
        ]
        booked = await call.say("Dana Smith")
        assert booked.says[0].startswith("You're all set, Dana. I've booked your consultation for ")
        await call.hang_up()
        await drain()

        (appointment,) = (await line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert (appointment["name"], appointment["service"]) == ("Dana Smith", "consultation")
        assert await lead_of(line.client) == {
            "name": "Dana Smith",
            "phone": CALLER,
            "intent": "consultation",
            "workflow": "legal",
            "fields": {
                "practice_area": "family",
                "opposing_party": "My husband, John Smith",
                "urgency": "normal",
                "route": {"action": "book", "reason": "consultation", "service": "consultation"},
            },
            "score": 60,
        }
        assert (await call_detail(line.client, call.call_sid))["outcome"] == "booked"


async def test_an_urgent_matter_goes_to_an_attorney_once_the_conflict_check_is_possible(
    make_settings,
) -> None:
    plugins = {"legal": {"urgent_department": "attorneys"}, "routing": ROUTING, "calendar": {}}
    async with workflow_line(make_settings, plugins) as line:
        call = line.call()
        await call.start()
        # Arrested: criminal and urgent at once; the other party is still asked before an attorney hears it.
        first = await call.say("I was arrested last night and I need a lawyer")
        assert first.says == [f"{HELLO} {CONFLICTS}"]
        step = await call.say("It's the State of Texas")
        assert step.says == ["I'm connecting you with an attorney now. Please hold."]
        assert step.dial == ATTORNEYS
        lead = await lead_of(line.client)
        assert (lead["fields"], lead["score"]) == (
            {
                "practice_area": "criminal",
                "urgency": "urgent",
                "opposing_party": "the State of Texas",
                "route": {
                    "action": "transfer",
                    "reason": "urgent_matter",
                    "department": "attorneys",
                    "target": ATTORNEYS,
                },
            },
            85,
        )


async def test_a_matter_outside_the_firms_practice_areas_is_taken_as_a_message(make_settings) -> None:
    plugins = {"legal": {"practice_areas": ["family", "estate"]}, "routing": ROUTING, "calendar": {}}
    async with workflow_line(make_settings, plugins) as line:
        call = line.call()
        await call.start()
        assert (await call.say("I'm looking for an attorney, I was injured in a car accident")).says == [
            f"{HELLO} {CONFLICTS}"
        ]
        assert (await call.say("The other driver, Sam Jones")).says == [URGENCY]
        message = await call.say("no")
        assert message.says == [
            "I'll pass your details along so someone can call you back. Sure, I can take a message. "
            "May I have your name, please?"
        ]
        assert (await call.say("Dana Smith")).says == [
            "Is the number you're calling from, ending in 7 7 7 7, the best one to reach you?"
        ]
        taken = await call.say("yes")
        assert taken.says[0].startswith("Thank you, Dana. I've passed your message along.")
        await call.hang_up()

        messages = (await line.client.get("/api/v1/tenants/acme/messages")).json()["items"]
        assert [(m["caller_name"], m["callback_number"], m["body"]) for m in messages] == [
            (
                "Dana Smith",
                CALLER,
                "consultation; practice area personal injury; opposing party The other driver, Sam Jones; "
                "urgency normal",
            )
        ]
        lead = await lead_of(line.client)
        assert (lead["name"], lead["fields"]["route"]) == (
            "Dana Smith",
            {"action": "message", "reason": "outside_practice_areas"},
        )

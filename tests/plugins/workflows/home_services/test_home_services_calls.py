"""Home services calls: emergencies dispatched to the on-call technician (safety first); jobs booked."""

from __future__ import annotations

from tests.core.telephony.conftest import CALLER
from tests.plugins.workflows.workflow_phone import NEVER_OPEN, call_detail, lead_of, workflow_line

ON_CALL = "+15557000003"
ROUTING = {"transfer_number": "+15557000000"}
PLUGINS = {"home_services": {"on_call_number": ON_CALL}, "routing": ROUTING, "calendar": {}}
GAS_SAFETY = (
    "Please leave the house now, and don't switch lights or appliances on or off or light a flame. "
    "Once you're outside, call your gas company's emergency line or 911."
)


async def test_a_gas_smell_gets_the_safety_instruction_and_the_on_call_technician(make_settings) -> None:
    # After hours too: the on-call technician is dialled directly, whatever the business hours.
    async with workflow_line(make_settings, PLUGINS, business={"hours": NEVER_OPEN}) as line:
        call = line.call()
        await call.start()
        first = await call.say("I smell gas in my kitchen")
        assert first.says == [
            f"{GAS_SAFETY} We'll get someone out to you right away. What's the address where you need us?"
        ]
        dispatch = await call.say("It's 42 Oak Lane, Springfield")
        assert dispatch.says == ["I'm connecting you with our on-call technician now. Please hold."]
        assert dispatch.dial == ON_CALL
        await call.dial_result("completed", duration_s=120)
        await call.hang_up()

        assert await lead_of(line.client) == {
            "name": None,
            "phone": CALLER,
            "intent": "emergency",
            "workflow": "home_services",
            "fields": {
                "emergency": "gas_smell",
                "address": "42 Oak Lane, Springfield",
                "route": {"action": "transfer", "reason": "emergency:gas_smell", "target": ON_CALL},
            },
            "score": 65,
        }
        detail = await call_detail(line.client, call.call_sid)
        assert (detail["outcome"], detail["transferred_to"]) == ("transferred", ON_CALL)
        assert line.sent == []


async def test_an_emergency_said_with_its_address_is_dispatched_at_once(make_settings) -> None:
    async with workflow_line(make_settings, PLUGINS) as line:
        call = line.call()
        await call.start()
        step = await call.say("A pipe burst in my basement at 7 Hill Road and water is everywhere")
        assert step.says == [
            "If you can do it safely, turn off the main water valve, and keep away from outlets near the "
            "water. We'll get someone out to you right away. I'm connecting you with our on-call technician "
            "now. Please hold."
        ]
        assert step.dial == ON_CALL
        lead = await lead_of(line.client)
        assert lead["fields"] == {
            "emergency": "flooding",
            "service_type": "plumbing",
            "address": "7 Hill Road",
            "route": {"action": "transfer", "reason": "emergency:flooding", "target": ON_CALL},
        }


async def test_a_repair_is_qualified_and_offered_a_visit(make_settings) -> None:
    plugins = {**PLUGINS, "home_services": {"on_call_number": ON_CALL, "visit_service": "service visit"}}
    async with workflow_line(make_settings, plugins) as line:
        call = line.call()
        await call.start()
        first = await call.say("My dishwasher is leaking")
        assert first.says == [
            "Sorry to hear that. Let's get a technician out to you. What's the address where you need us?"
        ]
        urgency = await call.say("12 Birch Road, Springfield")
        assert urgency.says == ["How soon do you need someone: today, this week, or are you flexible?"]
        offer = await call.say("sometime this week")
        assert offer.says[0].startswith("Let's find a time for your service visit. The earliest I have is ")
        await call.hang_up()

        # 10 (repair) + 20 (this week) + 15 (the trade known) + 15 (the address known).
        assert await lead_of(line.client) == {
            "name": None,
            "phone": CALLER,
            "intent": "repair",
            "workflow": "home_services",
            "fields": {
                "service_type": "appliance",
                "address": "12 Birch Road, Springfield",
                "urgency": "this_week",
                "route": {"action": "book", "reason": "repair", "service": "service visit"},
            },
            "score": 60,
        }

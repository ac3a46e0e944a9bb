"""Dental calls: emergencies get a slot today or the on-call dentist; new patients are qualified, booked."""

from __future__ import annotations

from core.telephony.outbound import drain
from tests.core.telephony.conftest import CALLER
from tests.plugins.workflows.workflow_phone import (
    NEVER_OPEN,
    call_detail,
    lead_of,
    local_clock,
    morning_zone,
    workflow_line,
)

ON_CALL = "+15557000002"
ROUTING = {"transfer_number": "+15557000000"}
SORRY = "I'm so sorry you're dealing with that. Let's get you seen as soon as possible."


def plugins(**calendar: object) -> dict[str, dict]:
    return {"dental": {"on_call_number": ON_CALL}, "routing": ROUTING, "calendar": calendar}


async def test_an_emergency_is_offered_a_slot_today_and_booked(make_settings) -> None:
    zone, today = morning_zone()
    calendar = {"services": {"emergency visit": 30}}
    async with workflow_line(make_settings, plugins(**calendar), timezone=zone) as line:
        call = line.call()
        await call.start()
        offer = await call.say("Hi, I have a really bad toothache")
        assert offer.says[0].startswith(f"{SORRY} We keep time for emergencies, and I can see you today at ")
        assert offer.says[0].endswith(" Would one of those work for you?")
        assert (await call.say("the first one")).says == [
            "Great. And may I have your name for the appointment?"
        ]
        booked = await call.say("Dana Smith")
        assert booked.says[0].startswith(
            "You're all set, Dana. I've booked your emergency visit for today at "
        )
        await call.hang_up()
        await drain()

        (appointment,) = (await line.client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert (appointment["name"], appointment["service"], appointment["phone"]) == (
            "Dana Smith",
            "emergency visit",
            CALLER,
        )
        assert local_clock(appointment["start"], zone)[0] == today
        assert await lead_of(line.client) == {
            "name": "Dana Smith",
            "phone": CALLER,
            "intent": "emergency",
            "workflow": "dental",
            "fields": {
                "reason": "toothache",
                "route": {
                    "action": "same_day",
                    "reason": "emergency:toothache",
                    "service": "emergency visit",
                },
            },
            "score": 50,
        }
        assert (await call_detail(line.client, call.call_sid))["outcome"] == "booked"


async def test_an_emergency_with_no_slot_left_today_goes_to_the_on_call_dentist(make_settings) -> None:
    zone, today = morning_zone()
    async with workflow_line(make_settings, plugins(closures=[today.isoformat()]), timezone=zone) as line:
        call = line.call()
        await call.start()
        step = await call.say("I chipped my front tooth and it's bleeding")
        assert step.says == [f"{SORRY} I'm connecting you with our on-call dentist now. Please hold."]
        assert step.dial == ON_CALL
        await call.hang_up()

        assert await lead_of(line.client) == {
            "name": None,
            "phone": CALLER,
            "intent": "emergency",
            "workflow": "dental",
            "fields": {
                "reason": "chipped my front tooth",
                "route": {"action": "transfer", "reason": "emergency:broken_tooth", "target": ON_CALL},
            },
            "score": 50,
        }
        assert (await call_detail(line.client, call.call_sid))["transferred_to"] == ON_CALL


async def test_after_hours_an_emergency_goes_on_call_with_first_aid_first(make_settings) -> None:
    async with workflow_line(make_settings, plugins(), business={"hours": NEVER_OPEN}) as line:
        call = line.call()
        await call.start()
        step = await call.say("My son's tooth got knocked out playing hockey")
        assert step.says == [
            "If you have the tooth, hold it by the top, not the root, and keep it moist in a little milk. "
            f"{SORRY} I'm connecting you with our on-call dentist now. Please hold."
        ]
        assert step.dial == ON_CALL
        lead = await lead_of(line.client)
        assert lead["fields"] == {
            "reason": "tooth got knocked out",
            "route": {"action": "transfer", "reason": "emergency:knocked_out", "target": ON_CALL},
        }


async def test_a_new_patient_is_asked_only_what_they_did_not_say_and_booked(make_settings) -> None:
    async with workflow_line(make_settings, plugins()) as line:
        call = line.call()
        await call.start()
        first = await call.say("Hi, I'm looking for a new dentist")
        assert first.says == [
            "Welcome! We'd love to see you. Do you have dental insurance? If so, who is it with?"
        ]
        assert (await call.say("Yes, it's with Delta")).says == ["And what's the reason for your visit?"]
        offer = await call.say("Just a cleaning and a checkup")
        assert offer.says[0].startswith("Let's find a time that works for you. The earliest I have is ")
        await call.hang_up()

        assert await lead_of(line.client) == {
            "name": None,
            "phone": CALLER,
            "intent": "new_patient",
            "workflow": "dental",
            "fields": {
                "patient_status": "new",
                "insurance": "Delta Dental",
                "reason": "cleaning",
                "route": {"action": "book", "reason": "new_patient"},
            },
            "score": 70,
        }

"""The offline model's intake on a call: answers it cannot read, names, and a change of subject."""

from __future__ import annotations

from tests.plugins.workflows.workflow_phone import lead_of, workflow_line

PLUGINS = {"home_services": {}, "routing": {}, "calendar": {}}
ADDRESS = "What's the address where you need us?"
URGENCY = "How soon do you need someone: today, this week, or are you flexible?"


async def test_an_answer_not_understood_is_asked_again_once_then_left_unknown(make_settings) -> None:
    async with workflow_line(make_settings, PLUGINS) as line:
        call = line.call()
        await call.start()
        first = await call.say("I need an electrician to fix some wiring")
        assert first.says == [f"Sorry to hear that. Let's get a technician out to you. {ADDRESS}"]
        assert (await call.say("blorp")).says == [f"Sorry, I didn't catch that. {ADDRESS}"]
        assert (await call.say("zzzt")).says == [URGENCY]
        await call.say("no rush at all")
        await call.hang_up()
        lead = await lead_of(line.client)
        assert {name: lead["fields"][name] for name in ("service_type", "address", "urgency")} == {
            "service_type": "electrical",
            "address": None,
            "urgency": "flexible",
        }


async def test_a_name_given_on_the_way_goes_on_the_lead_and_answers_are_not_taken_for_names(
    make_settings,
) -> None:
    async with workflow_line(make_settings, PLUGINS) as line:
        call = line.call()
        await call.start()
        await call.say("Hi, this is Dana Whitfield, my dryer stopped working")
        assert (await call.say("I am at 3 Cedar Court")).says == [URGENCY]
        await call.hang_up()
        lead = await lead_of(line.client)
        assert (lead["name"], lead["intent"], lead["fields"]["address"]) == (
            "Dana Whitfield",
            "repair",
            "3 Cedar Court",
        )


async def test_a_question_on_the_way_is_answered_and_the_intake_goes_on(make_settings) -> None:
    business = {"hours": {"mon": [["08:00", "17:00"]]}, "address": "1 Main Street, Springfield"}
    async with workflow_line(make_settings, PLUGINS, business=business) as line:
        call = line.call()
        await call.start()
        await call.say("I'd like a quote to replace my furnace")
        where = await call.say("Wait, where are you located?")
        assert where.says == [f"We're located at 1 Main Street, Springfield. {ADDRESS}"]
        assert (await call.say("12 Birch Road")).says == [URGENCY]

"""Whole scripted calls about appointments: booking, choosing, moving and cancelling."""

from __future__ import annotations

from datetime import datetime

from offline_calls import CALLER, ZONE, FakeTools, converse, make_call

from core import Message, TextDelta, ToolCall
from core.conversation.tools import tool_specs
from plugins.offline_model import Config, OfflineLLM


def booked(tools: FakeTools) -> list[tuple[str, str, str | None]]:
    return [
        (item["start"].isoformat(), item["name"], item["service"]) for item in tools.appointments.values()
    ]


async def test_books_a_cleaning_next_tuesday_at_3():
    call = await converse(
        ["Hi, I'd like to book a cleaning next Tuesday at 3", "Dana Smith", "No, that's all, thanks"]
    )
    tools = call.tools
    assert booked(tools) == [("2026-03-03T15:00:00-06:00", "Dana Smith", "Teeth cleaning")]
    assert (
        call.replies[0]
        == "Good news, Tuesday, March 3 at 3:00 PM is available. May I have your name to book it?"
    )
    assert call.replies[1] == (
        "You're all set, Dana. I've booked your teeth cleaning for Tuesday, March 3 at 3:00 PM. "
        "Is there anything else I can help you with?"
    )
    assert [c.arguments for c in tools.named("book_appointment")] == [
        {"start": "2026-03-03T15:00:00-06:00", "name": "Dana Smith", "service": "Teeth cleaning"}
    ]
    assert tools.leads == [
        {
            "name": "Dana Smith",
            "phone": None,
            "intent": "book_appointment",
            "fields": {"service": "Teeth cleaning"},
        }
    ]
    assert tools.ended
    assert call.last.startswith(
        "We'll see you Tuesday, March 3 at 3:00 PM. Thank you for calling Bright Smiles"
    )


async def test_a_refused_offer_leads_to_tomorrow_morning():
    call = await converse(
        [
            "I need to make an appointment",
            "That doesn't work for me. Do you have anything tomorrow morning?",
            "9 works",
            "It's Sam Lee",
            "bye",
        ]
    )
    searches = [c.arguments for c in call.tools.named("check_availability")]
    assert searches == [{"limit": 3}, {"date": "2026-02-27", "latest": "12:00", "limit": 10}]
    assert call.replies[0].startswith("The earliest I have is today at 11:00 AM, 1:00 PM, or 4:00 PM.")
    assert call.replies[1] == (
        "I have tomorrow at 8:00 AM, 9:00 AM, or 10:00 AM. Would one of those work for you?"
    )
    assert booked(call.tools) == [("2026-02-27T09:00:00-06:00", "Sam Lee", None)]
    assert call.tools.ended


async def test_picking_by_position_and_asking_for_later():
    call = await converse(["Can I come in on Monday?", "anything later?", "the second one", "Kim Park"])
    first, later = [c.arguments for c in call.tools.named("check_availability")]
    assert first == {"date": "2026-03-02", "limit": 10}
    # Monday's offers were spread over the day; "later" searches after the last of them.
    assert call.replies[0] == (
        "I have Monday, March 2 at 8:00 AM, 10:00 AM, or 12:00 PM. Would one of those work for you?"
    )
    assert later == {"date": "2026-03-02", "earliest": "12:01", "limit": 10}
    assert (
        call.replies[1]
        == "I have Monday, March 2 at 1:00 PM, 2:00 PM, or 3:00 PM. Would one of those work for you?"
    )
    assert booked(call.tools) == [("2026-03-02T14:00:00-06:00", "Kim Park", None)]


async def test_next_week_offers_one_slot_per_day():
    call = await converse(["I'd like to come in next week", "what about Thursday at 10", "yes", "Sam Lee"])
    days = [c.arguments.get("date") for c in call.tools.named("check_availability")][:5]
    assert days == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"]
    assert call.replies[0].startswith(
        "I have Monday, March 2 at 8:00 AM, Tuesday, March 3 at 8:00 AM, or Wednesday"
    )
    assert (
        call.replies[1]
        == "Good news, Thursday, March 5 at 10:00 AM is available. May I have your name to book it?"
    )
    assert booked(call.tools) == [("2026-03-05T10:00:00-06:00", "Sam Lee", None)]


async def test_a_day_and_time_alone_is_a_booking_request():
    call = await converse(["noon tomorrow", "Lee Chan"])
    assert call.replies[0] == "Good news, tomorrow at 12:00 PM is available. May I have your name to book it?"
    assert booked(call.tools) == [("2026-02-27T12:00:00-06:00", "Lee Chan", None)]


async def test_a_new_day_after_asking_for_earlier_keeps_only_what_the_caller_said():
    call = await converse(["Monday afternoon please", "anything earlier?", "what about Tuesday"])
    searches = [c.arguments for c in call.tools.named("check_availability")]
    assert searches[1] == {"date": "2026-03-02", "latest": "12:00", "limit": 10}
    # Tuesday keeps the afternoon the caller asked for, not the "before noon" of the last search.
    assert searches[2] == {"date": "2026-03-03", "earliest": "12:00", "latest": "17:00", "limit": 10}


async def test_never_mind_drops_the_booking():
    call = await converse(["book me in tomorrow at 9", "never mind", "no thanks"])
    assert call.replies[1] == "No problem. Is there anything else I can help you with?"
    assert call.tools.appointments == {} and call.tools.ended


async def test_a_slot_taken_meanwhile_offers_the_next_ones():
    tools = FakeTools(snatched={"2026-03-03T15:00:00-06:00"})
    call = await converse(
        ["My name is Dana Smith and I want a cleaning next Tuesday at 3", "yes", "4 pm please"], tools
    )
    assert call.replies[0] == "Good news, Tuesday, March 3 at 3:00 PM is available. Shall I book it for you?"
    assert call.replies[1].startswith("I'm sorry, that time was just taken.")
    assert "2:00 PM or 4:00 PM" in call.replies[1]
    assert booked(tools) == [("2026-03-03T16:00:00-06:00", "Dana Smith", "Teeth cleaning")]
    # The lead was captured with the first attempt, and only then.
    assert len(tools.named("capture_lead")) == 1


async def test_nothing_on_the_day_asked_offers_the_next_open_days():
    call = await converse(["Can I book something on Saturday?"])
    assert call.last.startswith(
        "I'm sorry, I don't have anything Saturday, February 28. The next openings I have are"
    )
    assert "Monday, March 2 at 8:00 AM" in call.last


async def test_an_unclear_request_is_clarified_first():
    call = await converse(["appointment", "yes", "the last one", "it's Pat", "thank you"])
    assert call.replies[0] == "Just to be sure, did you want to book an appointment?"
    assert booked(call.tools) == [("2026-02-26T16:00:00-06:00", "Pat", None)]
    assert call.tools.ended


async def test_reschedules_an_existing_appointment():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith", service="Teeth cleaning")
    call = await converse(
        ["I need to reschedule my appointment", "Wednesday afternoon", "the first one", "no thanks"], tools
    )
    assert tools.named("find_appointments")[0].arguments == {}
    assert call.replies[0] == (
        "I see your appointment for Monday, March 2 at 9:00 AM. "
        "What day and time would you like to move it to?"
    )
    assert [c.arguments for c in tools.named("reschedule_appointment")] == [
        {"appointment_id": "a-1", "start": "2026-03-04T12:00:00-06:00"}
    ]
    assert booked(tools) == [("2026-03-04T12:00:00-06:00", "Dana Smith", "Teeth cleaning")]
    assert call.replies[2].startswith(
        "All set. Your appointment is now set for Wednesday, March 4 at 12:00 PM."
    )
    assert tools.ended


async def test_the_days_named_pick_the_appointment_and_the_new_time():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith")
    tools.add_appointment(datetime(2026, 3, 10, 11, 0, tzinfo=ZONE), "Dana Smith")
    call = await converse(["Can I move my Monday appointment to Friday at 10?", "yes"], tools)
    assert call.replies[0] == (
        "I see your appointment for Monday, March 2 at 9:00 AM. "
        "Good news, tomorrow at 10:00 AM is available. Shall I move your appointment to then?"
    )
    assert [c.arguments for c in tools.named("reschedule_appointment")] == [
        {"appointment_id": "a-1", "start": "2026-02-27T10:00:00-06:00"}
    ]


async def test_the_new_time_said_before_which_appointment_is_kept_for_the_search():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith")
    tools.add_appointment(datetime(2026, 3, 10, 11, 0, tzinfo=ZONE), "Dana Smith")
    lines = [
        "I need to push back my appointment",
        "do you have anything like Wednesday the 11th in the afternoon",
        "the first one",
        "the second one",
    ]
    call = await converse(lines, tools)
    assert call.replies[1] == (
        "Sure. And which appointment should I move: "
        "Monday, March 2 at 9:00 AM or Tuesday, March 10 at 11:00 AM?"
    )
    assert [c.arguments for c in tools.named("check_availability")] == [
        {"date": "2026-03-11", "earliest": "12:00", "latest": "17:00", "limit": 10}
    ]
    assert call.replies[2].startswith(
        "I see your appointment for Monday, March 2 at 9:00 AM. I have Wednesday"
    )
    assert [c.arguments for c in tools.named("reschedule_appointment")] == [
        {"appointment_id": "a-1", "start": "2026-03-11T14:00:00-05:00"}
    ]
    assert not tools.named("book_appointment")


async def test_several_appointments_ask_which_one():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith")
    tools.add_appointment(datetime(2026, 3, 10, 11, 0, tzinfo=ZONE), "Dana Smith")
    call = await converse(["I have to cancel an appointment", "the one on the 10th", "yes"], tools)
    assert call.replies[0] == (
        "I see appointments for Monday, March 2 at 9:00 AM and Tuesday, March 10 at 11:00 AM. "
        "Which one would you like to cancel?"
    )
    assert (
        call.replies[1]
        == "I see your appointment for Tuesday, March 10 at 11:00 AM. Would you like me to cancel it?"
    )
    assert [c.arguments for c in tools.named("cancel_appointment")] == [{"appointment_id": "a-2"}]
    assert list(tools.appointments) == ["a-1"]


async def test_cancels_after_confirming():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith")
    call = await converse(["I need to cancel my appointment", "yes please", "that's all"], tools)
    assert call.replies[1] == (
        "Done. Your appointment for Monday, March 2 at 9:00 AM is cancelled. "
        "Is there anything else I can help you with?"
    )
    assert tools.appointments == {}
    assert tools.ended


async def test_a_declined_cancellation_keeps_the_appointment():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith")
    call = await converse(["cancel my appointment", "no, keep it"], tools)
    assert call.last.startswith("Okay, I'll leave your appointment as it is.")
    assert list(tools.appointments) == ["a-1"] and not tools.named("cancel_appointment")


async def test_an_appointment_under_another_number_is_looked_up_by_it():
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 2, 9, 0, tzinfo=ZONE), "Dana Smith", phone="+15552223333")
    call = await converse(["I want to cancel my appointment", "yes, try 555 222 3333", "yes"], tools)
    assert call.replies[0].startswith(
        "I couldn't find an upcoming appointment for the number you're calling from."
    )
    assert [c.arguments for c in tools.named("find_appointments")] == [{}, {"phone": "+15552223333"}]
    assert tools.appointments == {}


async def test_booking_off_offers_a_message_instead():
    call = await converse(
        ["I'd like to book a cleaning", "sure", "Dana Smith", "yes"],
        call=make_call(Config(offer_booking=False)),
    )
    assert not call.tools.named("check_availability")
    assert call.replies[0].startswith("I'm not able to book appointments over the phone")
    assert call.tools.messages == [
        {"message": "Would like to book teeth cleaning.", "name": "Dana Smith", "callback_number": CALLER}
    ]


async def test_the_model_is_stateless_replaying_the_same_history_gives_the_same_turn():
    call = await converse(["I'd like to book a cleaning next Tuesday at 3"])
    history = [*call.history, Message(role="user", content="Dana Smith")]
    model = OfflineLLM()

    async def once() -> list[ToolCall | TextDelta]:
        return [item async for item in model.respond(make_call(), list(history), tool_specs())]

    first, second = await once(), await once()
    assert first == second
    booking = next(item for item in first if isinstance(item, ToolCall))
    assert (booking.name, booking.arguments) == (
        "book_appointment",
        {
            "start": "2026-03-03T15:00:00-06:00",
            "name": "Dana Smith",
            "service": "Teeth cleaning",
        },
    )

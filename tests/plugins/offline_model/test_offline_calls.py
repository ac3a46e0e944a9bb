"""Whole scripted calls about everything but appointments: questions, messages, transfers, limits."""

from __future__ import annotations

from datetime import UTC, datetime

from offline_calls import CALLER, ZONE, FakeTools, converse, make_call

from plugins.offline_model import Config

ANYTHING_ELSE = "Is there anything else I can help you with?"


async def test_answers_an_insurance_question_from_the_knowledge_base():
    call = await converse(["Do you take my Delta insurance?", "no that's all"])
    assert call.tools.named("answer_question")[0].arguments == {"question": "Do you take my Delta insurance?"}
    assert (
        call.replies[0]
        == f"Yes, we accept most PPO plans, including Delta Dental, Cigna and Aetna. {ANYTHING_ELSE}"
    )
    assert call.tools.ended


async def test_an_unanswerable_question_becomes_a_message():
    call = await converse(["Do you sell gift cards?", "yes please", "Dana Smith", "yes"])
    assert call.replies[0] == (
        "I'm sorry, I don't have an answer to that. "
        "Would you like me to take a message so someone can get back to you?"
    )
    assert call.tools.messages == [
        {"message": "Question: Do you sell gift cards?", "name": "Dana Smith", "callback_number": CALLER}
    ]


async def test_hours_and_address_come_from_the_business_identity():
    call = await converse(["What are your hours?", "Where are you located?", "no thanks", "no"])
    assert call.replies[0] == (
        "We're open Monday to Thursday 8 AM to 5 PM and Friday 8 AM to 2 PM. "
        f"We're open now until 5 PM. {ANYTHING_ELSE}"
    )
    assert call.replies[1] == (
        "We're located at 12 Elm Street, Springfield. Would you like me to text you the address?"
    )
    assert call.replies[2] == f"No problem. {ANYTHING_ELSE}"
    assert not call.tools.named("answer_question")
    assert call.tools.ended


async def test_hours_know_when_the_office_is_closed():
    saturday = datetime(2026, 2, 28, 11, 0, tzinfo=ZONE).astimezone(UTC)
    call = await converse(["Are you open right now?", "and on Monday?"], call=make_call(now=saturday))
    assert (
        call.replies[0]
        == f"We're closed right now, and we open again Monday, March 2 at 8 AM. {ANYTHING_ELSE}"
    )
    assert call.replies[1] == f"On Monday we're open 8 AM to 5 PM. {ANYTHING_ELSE}"


async def test_the_address_can_be_texted():
    call = await converse(["what's your address", "yes please"])
    assert call.tools.texts == ["Bright Smiles Dental: 12 Elm Street, Springfield"]
    assert call.last == f"Done, I've texted it to you. {ANYTHING_ELSE}"


async def test_services_and_a_service_not_offered():
    call = await converse(["What services do you offer?", "no", "Do you do implants?"])
    assert call.replies[0] == (
        "We offer teeth cleaning, fillings, whitening, and new patient exam. "
        "Would you like to book an appointment?"
    )
    assert call.replies[2].startswith("I don't see that among our services. We offer teeth cleaning")


async def test_a_side_question_in_the_middle_of_booking_comes_back_to_it():
    call = await converse(
        ["I'd like to book a whitening tomorrow", "wait, where are you located?", "the first one"]
    )
    assert call.replies[1] == (
        "We're located at 12 Elm Street, Springfield. "
        "I have tomorrow at 8:00 AM, 10:00 AM, or 12:00 PM. Would one of those work for you?"
    )
    assert call.last == "Great. And may I have your name for the appointment?"


async def test_takes_a_message_with_the_caller_id_as_callback_number():
    call = await converse(
        [
            "I'd like to leave a message for Dr. Lee",
            "My name is Dana Smith",
            "Please tell her I'll be ten minutes late tomorrow",
            "yes",
            "no, that's it",
        ]
    )
    assert call.replies[:3] == [
        "Sure, I can take a message. May I have your name, please?",
        "Thanks, Dana. What message would you like me to pass along?",
        "Is the number you're calling from, ending in 0 0 0 1, the best one to reach you?",
    ]
    assert [c.arguments for c in call.tools.named("take_message")] == [
        {
            "message": "For Dr. Lee: Please tell her I'll be ten minutes late tomorrow",
            "name": "Dana Smith",
            "callback_number": CALLER,
        }
    ]
    assert call.tools.leads == [
        {"name": "Dana Smith", "phone": CALLER, "intent": "leave_message", "fields": {}}
    ]
    assert call.replies[3].startswith("Thank you, Dana. I've passed your message along.")
    assert call.tools.ended


async def test_a_message_said_in_one_breath():
    call = await converse(["Hi, this is Dana. Can you tell Dr. Lee that I'll be late?", "yes"])
    assert (
        call.replies[0] == "Is the number you're calling from, ending in 0 0 0 1, the best one to reach you?"
    )
    assert call.tools.messages == [
        {
            "message": "Hi, this is Dana. Can you tell Dr. Lee that I'll be late?",
            "name": "Dana",
            "callback_number": CALLER,
        }
    ]


async def test_another_callback_number_and_a_withheld_caller_id():
    other = await converse(
        ["take a message please", "Al Jones", "Call me about my bill", "no", "555 867 5309"]
    )
    assert other.tools.messages[0]["callback_number"] == "+15558675309"
    assert "5 5 5, 8 6 7, 5 3 0 9" in other.last

    withheld = make_call(caller="anonymous")
    lines = [
        "I want to leave a message",
        "Kim",
        "Please call me back",
        "five five five two two two three three three three",
    ]
    call = await converse(lines, FakeTools(caller="anonymous"), withheld)
    assert call.replies[2] == "What's the best phone number to reach you?"
    assert call.tools.named("take_message")[0].arguments == {
        "message": "Please call me back",
        "name": "Kim",
        "callback_number": "+15552223333",
    }


async def test_a_callback_number_said_for_the_message_is_kept_and_the_message_still_asked():
    call = await converse(
        [
            "I want to leave a message for Dr. Patel",
            "it's Marcus Lee",
            "you can reach me at 555 867 5309",
            "tell her the x-rays from my old dentist are ready to be sent over",
            "no that's it thanks",
        ]
    )
    assert call.replies[2] == "Got it. What message would you like me to pass along?"
    assert call.tools.messages == [
        {
            "message": "For Dr. Patel: tell her the x-rays from my old dentist are ready to be sent over",
            "name": "Marcus Lee",
            "callback_number": "+15558675309",
        }
    ]
    assert call.replies[3].startswith("Thank you, Marcus. I've passed your message along.")
    assert "5 5 5, 8 6 7, 5 3 0 9" in call.replies[3]


async def test_a_message_with_a_number_in_it_needs_no_number_question():
    call = await converse(["take a message please", "Al Jones", "I'm running late, call me at 555 867 5309"])
    assert call.tools.messages == [
        {
            "message": "I'm running late, call me at 555 867 5309",
            "name": "Al Jones",
            "callback_number": "+15558675309",
        }
    ]
    assert call.last.startswith("Thank you, Al. I've passed your message along.")


async def test_more_of_the_message_while_the_number_is_confirmed_is_added_to_it():
    call = await converse(
        [
            "I'd like to leave a message for Dr. Lee",
            "Dana Smith",
            "I'll be ten minutes late tomorrow",
            "and the new x-rays from my old dentist are on their way to her",
            "yes",
        ]
    )
    assert call.replies[3] == (
        "Got it, I've added that. "
        "Is the number you're calling from, ending in 0 0 0 1, the best one to reach you?"
    )
    assert call.tools.messages == [
        {
            "message": "For Dr. Lee: I'll be ten minutes late tomorrow. "
            "and the new x-rays from my old dentist are on their way to her",
            "name": "Dana Smith",
            "callback_number": CALLER,
        }
    ]


async def test_a_caller_who_says_goodbye_before_the_number_still_has_the_message_passed_on():
    call = await converse(
        [
            "I want to leave a message",
            "Kim Park",
            "The prescription you sent over is wrong, please call",
            "bye",
        ]
    )
    assert call.tools.messages == [
        {
            "message": "The prescription you sent over is wrong, please call",
            "name": "Kim Park",
            "callback_number": CALLER,
        }
    ]
    assert call.last.startswith("Thank you, Kim. I've passed your message along.")
    assert "Goodbye" in call.last
    assert call.tools.ended


async def test_transfers_when_asked_for_a_person():
    call = await converse(["Can I talk to a person?"])
    assert [c.arguments for c in call.tools.named("transfer_call")] == [
        {"reason": "caller asked for a person"}
    ]
    assert call.last == "Of course. Let me connect you now, please hold."
    assert not call.tools.ended


async def test_transfers_to_a_configured_department():
    config = Config(departments=["billing", "scheduling"])
    call = await converse(["I'd like to speak with someone in billing"], call=make_call(config))
    assert call.tools.transfers == [{"department": "billing", "target": "+15559870001"}]
    assert call.last == "Of course. Let me connect you with billing now, please hold."


async def test_no_one_to_transfer_to_offers_a_message():
    call = await converse(
        ["representative please", "yes", "Al Jones", "Call me back", "yes"], FakeTools(transfer_number=None)
    )
    assert call.replies[0] == (
        "I'm sorry, no one is available to take your call right now. "
        "Would you like me to take a message so someone can get back to you?"
    )
    assert call.tools.messages == [{"message": "Call me back", "name": "Al Jones", "callback_number": CALLER}]


async def test_goodbye_ends_the_call():
    call = await converse(["Actually never mind, goodbye"])
    assert call.last == "Thank you for calling Bright Smiles Dental. Have a great day. Goodbye!"
    assert [c.name for c in call.tools.calls] == ["end_call"]


async def test_repeat_says_the_last_thing_again():
    call = await converse(["what are your hours", "sorry, can you repeat that?"])
    assert call.replies[1] == call.replies[0]


async def test_thanks_in_the_middle_keeps_the_question_open():
    call = await converse(["can I book tomorrow morning", "thanks", "the first one"])
    assert call.replies[1].startswith("You're welcome! I have tomorrow at 8:00 AM")
    assert call.last == "Great. And may I have your name for the appointment?"


async def test_gibberish_three_times_offers_a_message_or_a_person():
    call = await converse(["blorp", "zzzt flim flam", "wub wub wub", "a message I guess"])
    assert call.replies[0].startswith("Sorry, I didn't quite catch that.")
    assert call.replies[2] == (
        "I'm sorry, I'm having trouble understanding. Would you like to leave a message, "
        "or would you like me to connect you with someone?"
    )
    assert call.last == "Sure, I can take a message. May I have your name, please?"


async def test_a_25_turn_ramble_ends_politely():
    ramble = [f"so anyway my cousin's dog number {n} was running around" for n in range(25)]
    call = await converse(ramble)
    assert call.tools.ended
    assert len(call.replies) < 25
    assert call.last.endswith("Thank you for calling Bright Smiles Dental. Have a great day. Goodbye!")
    assert not call.tools.messages


async def test_the_turn_limit_offers_a_message_then_closes():
    lines = ["what are your hours", "ok", "where are you", "no", "do you take insurance", "ok", "no", "nope"]
    call = await converse(lines, call=make_call(Config(max_turns=6)))
    assert call.replies[5] == (
        "I want to make sure you're taken care of. Would you like me to take a message so someone from "
        "our team can call you back?"
    )
    assert call.tools.ended
    assert len(call.replies) == 7

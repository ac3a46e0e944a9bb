"""Scripted calls from real transcripts where an answer was taken for another request.

A price question clarified instead of answered, a message lost to "yes", names and yeses read as
something else: each call below replays one (the first two against the demo dental tenant).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from offline_calls import CALLER, FakeTools, converse, make_call

from core import TenantIdentity
from core.knowledge.search import KnowledgeDoc

ANYTHING_ELSE = "Is there anything else I can help you with?"
ASK_BODY = "What message would you like me to pass along?"
GO_AHEAD = "Sure, go ahead. What would you like me to tell them?"
CONFIRM_NUMBER = "Is the number you're calling from, ending in 0 0 0 1, the best one to reach you?"
DEMO = Path(__file__).resolve().parents[3] / "tenants" / "bright-smile-dental.toml"


def dental() -> tuple[FakeTools, object]:
    """The demo dental tenant: its business identity and its knowledge base."""
    data = tomllib.loads(DEMO.read_text())
    tenant = TenantIdentity(
        id="t-demo",
        slug=data["slug"],
        name=data["name"],
        timezone=data["timezone"],
        business=data["business"],
    )
    knowledge = [
        KnowledgeDoc(id=f"k-{n}", question=item["question"], answer=item["answer"], tags=item.get("tags", []))
        for n, item in enumerate(data["knowledge"])
    ]
    return FakeTools(knowledge=knowledge), make_call(tenant=tenant)


# --- 1. information requests are answered, not clarified ---------------------------------------


async def test_a_price_question_is_answered_not_clarified():
    tools, call_context = dental()
    call = await converse(["How much is a cleaning without insurance?"], tools, call_context)
    assert tools.named("answer_question")[0].arguments == {
        "question": "How much is a cleaning without insurance?"
    }
    assert call.last.startswith("A routine cleaning with an exam is $145 without insurance.")
    assert call.last.endswith(ANYTHING_ELSE)
    assert "Just to be sure" not in call.last


@pytest.mark.parametrize(
    "line",
    [
        "How much is a cleaning?",
        "What does a cleaning cost?",
        "price of a cleaning",
        "Do you charge for a cleaning?",
        "Hi, how much do you charge for a cleaning without insurance",
        "what's the cost of a cleaning if I'm not insured",
    ],
)
async def test_price_phrasings_reach_the_knowledge_base(line):
    call = await converse([line])
    assert [c.arguments for c in call.tools.named("answer_question")] == [{"question": line}]
    assert call.last == f"A regular cleaning is 120 dollars without insurance. {ANYTHING_ELSE}"


async def test_two_questions_at_once_go_to_the_knowledge_base_without_a_clarification():
    call = await converse(["Are you open on Saturday, and do you take insurance?"])
    assert call.tools.named("answer_question")
    assert "Just to be sure" not in call.last


async def test_a_single_weak_request_is_still_confirmed():
    call = await converse(["appointment"])
    assert call.last == "Just to be sure, did you want to book an appointment?"


# --- 2. the message is the caller's next words ------------------------------------------------


async def test_a_yes_to_what_message_asks_again_and_the_next_words_are_the_message():
    tools, call_context = dental()
    lines = [
        "I'd like to leave a message for Dr. Patel",
        "This is Sam Rivera",
        "Yes",
        "Please call me back about my crown, it feels loose",
        "yes",
        "no that's all",
    ]
    call = await converse(lines, tools, call_context)
    assert call.replies[:4] == [
        "Sure, I can take a message. May I have your name, please?",
        f"Thanks, Sam. {ASK_BODY}",
        GO_AHEAD,
        CONFIRM_NUMBER,
    ]
    assert [c.arguments for c in tools.named("take_message")] == [
        {
            "message": "For Dr. Patel: Please call me back about my crown, it feels loose",
            "name": "Sam Rivera",
            "callback_number": CALLER,
        }
    ]
    assert call.replies[4].startswith("Thank you, Sam. I've passed your message along.")
    assert tools.ended


async def test_a_message_said_with_the_request_is_not_asked_for_again():
    lines = ["I'd like to leave a message for Dr. Patel, tell her I'm running late", "Dana Lee", "yes"]
    call = await converse(lines)
    assert call.replies[:2] == ["Sure, I can take a message. May I have your name, please?", CONFIRM_NUMBER]
    # The recipient is in the message already: no "For Dr. Patel:" before it.
    assert call.tools.messages == [
        {
            "message": "I'd like to leave a message for Dr. Patel, tell her I'm running late",
            "name": "Dana Lee",
            "callback_number": CALLER,
        }
    ]


async def test_the_recipient_is_kept_when_the_message_comes_later():
    call = await converse(
        ["Can I leave a message for the office manager?", "Dana Lee", "My bill is wrong", "yes"]
    )
    assert call.tools.messages[0]["message"] == "For the office manager: My bill is wrong"


@pytest.mark.parametrize("acknowledgement", ["okay", "sure, okay", "yes please", "uh huh", "go ahead"])
async def test_an_acknowledgement_is_not_the_message_nor_a_refusal(acknowledgement):
    call = await converse(["I want to leave a message", "Dana Lee", acknowledgement, "I'll be late", "yes"])
    assert call.replies[2] == GO_AHEAD
    assert call.tools.messages[0]["message"] == "I'll be late"


@pytest.mark.parametrize(
    "body",
    [
        "Thanks, I'm running late for my cleaning",
        "I need to reschedule my cleaning",
        "I have a question about my bill, can someone call me?",
        "Is my appointment still on Tuesday?",
    ],
)
async def test_whatever_is_said_for_the_message_is_the_message(body):
    # Words that would be another request at the start of a call are the message here.
    call = await converse(["I want to leave a message", "Dana Lee", body, "yes"])
    assert call.replies[2] == CONFIRM_NUMBER
    assert call.tools.messages[0]["message"] == body
    assert not call.tools.named("check_availability") and not call.tools.named("find_appointments")


@pytest.mark.parametrize(
    ("cancel", "reply"),
    [
        ("no message", f"Okay, no message then. {ANYTHING_ELSE}"),
        ("no", f"Okay, no message then. {ANYTHING_ELSE}"),
        ("never mind", f"No problem. {ANYTHING_ELSE}"),
        ("forget it", f"No problem. {ANYTHING_ELSE}"),
    ],
)
async def test_only_an_explicit_refusal_drops_the_message(cancel, reply):
    call = await converse(["I want to leave a message", "Dana Lee", cancel])
    assert call.last == reply
    assert not call.tools.messages


# --- 3. names and yeses where a name is expected ----------------------------------------------


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("It's Dana Whitfield", "Dana Whitfield"),
        ("Dana", "Dana"),
        ("my name's Dana", "Dana"),
        ("It's Dana, thanks", "Dana"),
        ("April Jones", "April Jones"),
        ("yeah this is June Park", "June Park"),
    ],
)
async def test_an_answer_to_your_name_is_a_name(answer, name):
    call = await converse(["I'd like to leave a message", answer, "Please call me back", "yes"])
    assert call.replies[1] == f"Thanks, {name.split()[0]}. {ASK_BODY}"
    assert call.tools.messages[0]["name"] == name


async def test_a_yes_to_the_name_for_a_booking_asks_for_the_name_plainly():
    call = await converse(["Can I book next Tuesday at 3?", "Yes, that works", "Dana Whitfield"])
    assert (
        call.replies[0]
        == "Good news, Tuesday, March 3 at 3:00 PM is available. May I have your name to book it?"
    )
    assert call.replies[1] == "Great. And what name should I put the appointment under?"
    assert call.tools.named("book_appointment")[0].arguments["name"] == "Dana Whitfield"
    assert call.last.startswith(
        "You're all set, Dana. I've booked your appointment for Tuesday, March 3 at 3:00 PM."
    )


async def test_a_name_in_a_month_is_not_a_new_time():
    call = await converse(["Can I book next Tuesday at 3?", "June Park"])
    assert call.tools.named("book_appointment")[0].arguments == {
        "start": "2026-03-03T15:00:00-06:00",
        "name": "June Park",
    }


async def test_a_yes_to_the_name_for_a_message_asks_for_the_name_plainly():
    call = await converse(["I'd like to leave a message", "yes", "Dana Lee"])
    assert call.replies[1] == "Sure. And what name should I put on the message?"
    assert call.last == f"Thanks, Dana. {ASK_BODY}"

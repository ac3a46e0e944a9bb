"""Intent recognition and entity extraction of the offline model, on varied phrasings."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from plugins.offline_model.lang import language_for
from plugins.offline_model.nlu import confidence, message_recipient, understand

ENGLISH = language_for("en-US")
NOW = datetime(2026, 2, 26, 10, 0, tzinfo=ZoneInfo("America/Chicago"))  # a Thursday
SERVICES = ["Teeth cleaning", "Fillings", "Whitening", "New patient exam"]
DEPARTMENTS = ["billing", "scheduling"]

PHRASINGS = {
    "book_appointment": [
        "I'd like to book an appointment",
        "Can I schedule a cleaning?",
        "I need to make an appointment for next week",
        "Do you have any openings on Friday?",
        "I want to come in for a checkup",
        "Could you fit me in tomorrow morning?",
        "I'm a new patient and I'd like to be seen",
        "Can I get an appointment with the dentist",
        "I'd like to set up a consultation",
        "I was hoping to book a whitening",
        "I need to see the doctor as soon as possible",
    ],
    "reschedule_appointment": [
        "I need to reschedule my appointment",
        "Can I move my appointment to Friday?",
        "I'd like to change my appointment time",
        "Could we push my cleaning back a week?",
        "I have an appointment tomorrow and need to move it",
        "Is it possible to switch my appointment to another day?",
        "I want to rebook for a different time",
        "Can you change the date of my visit",
        "I need to postpone my appointment",
        "Something came up, can we reschedule?",
    ],
    "cancel_appointment": [
        "I need to cancel my appointment",
        "Please cancel my cleaning on Tuesday",
        "I won't be able to make it tomorrow",
        "Can you cancel it?",
        "I'd like to cancel",
        "I can't make my appointment on Friday",
        "I want to call off my appointment",
        "Cancel the appointment please",
        "I'm calling to cancel my visit",
        "I have to cancel, I'm sick",
    ],
    "ask_question": [
        "Do you take Delta insurance?",
        "Do you accept Medicaid?",
        "Is there parking nearby?",
        "Do you accept credit cards?",
        "Can I pay with cash?",
        "Do you see kids?",
        "I have a question about my insurance coverage",
        "Do you take walk-ins?",
        "What is your cancellation policy?",
        "Do you handle emergencies?",
    ],
    "ask_hours": [
        "What are your hours?",
        "When do you open?",
        "What time do you close today?",
        "Are you open on Saturday?",
        "Are you still open?",
        "What are your business hours",
        "When are you guys open",
        "Are you open right now?",
        "What time does the office open tomorrow?",
        "Are you closed on Sundays?",
    ],
    "ask_location": [
        "Where are you located?",
        "What's your address?",
        "How do I get there?",
        "Can you give me directions?",
        "Where is your office?",
        "What street are you on?",
        "Where are you guys",
        "What's the location of the clinic?",
        "I need your address please",
        "How do I find you?",
    ],
    "ask_services": [
        "What services do you offer?",
        "What do you do?",
        "What kind of services do you have?",
        "Do you offer implants?",
        "Do you do root canals?",
        "What treatments do you provide?",
        "What does your practice specialize in?",
        "Do you guys do braces?",
        "Tell me about your services",
        "What procedures do you perform?",
    ],
    "ask_price": [
        "How much is a cleaning?",
        "What does a filling cost?",
        "What are your prices?",
        "How much do you charge for whitening?",
        "Is it expensive?",
        "What's the fee for a new patient exam?",
        "Can I get a quote?",
        "How much would it be?",
        "What are your rates?",
        "I'm wondering about pricing",
    ],
    "leave_message": [
        "I'd like to leave a message",
        "Can you take a message for Dr. Lee?",
        "Please tell the doctor I called",
        "Can you have someone call me back?",
        "Let her know I'll be late",
        "I want to leave a voicemail",
        "Could you pass along a message?",
        "Can I leave a message for the manager?",
        "Please ask him to call me back",
        "Just have the office get back to me",
    ],
    "talk_to_person": [
        "Can I talk to a person?",
        "I want to speak to a representative",
        "Operator",
        "Let me talk to a human",
        "Can I speak with a real person please",
        "Transfer me to someone",
        "I need to speak to the manager",
        "Put me through to the front desk",
        "Can you connect me with somebody?",
        "Representative please",
        "I'd like to speak with someone in billing",
    ],
    "affirm": [
        "Yes", "Yeah", "Yep, that works", "Sure", "Correct", "That's right", "Sounds good",
        "Yes please", "Absolutely", "Okay", "Perfect",
    ],
    "deny": [
        "No", "Nope", "No thanks", "That doesn't work", "Not really", "Neither of those",
        "That's not right", "Nah", "None of those work for me", "No, that won't work",
    ],
    "goodbye": [
        "Bye", "Goodbye", "That's all, bye", "Have a nice day", "That's it", "Nothing else, thanks, bye",
        "I'm all set", "See you", "Talk to you later", "Take care",
    ],
    "thanks": [
        "Thank you", "Thanks", "Thanks so much", "Thank you very much", "I appreciate it",
        "Great, thank you", "Thanks a lot", "Awesome thanks", "Ok thank you", "Thank you for your help",
    ],
    "repeat": [
        "Can you repeat that?", "Sorry, what?", "Say that again", "Pardon?", "I didn't catch that",
        "What did you say?", "Come again?", "Could you repeat it please", "Huh?", "One more time please",
    ],
}  # fmt: skip
CASES = [(intent, text) for intent, texts in PHRASINGS.items() for text in texts]


def read(text: str, **kwargs):
    return understand(text, ENGLISH, NOW, services=SERVICES, departments=DEPARTMENTS, **kwargs)


def test_every_main_intent_has_ten_phrasings():
    assert all(len(texts) >= 10 for texts in PHRASINGS.values())


@pytest.mark.parametrize(("intent", "text"), CASES)
def test_intent_is_recognised_with_confidence(intent, text):
    understood = read(text)
    assert understood.intent == intent, understood.raw
    # The chosen intent has the largest share of the evidence, and enough confidence to act on.
    assert understood.scores[intent] == max(understood.scores.values())
    assert understood.confidence >= 0.25


@pytest.mark.parametrize(
    ("clear", "vague"),
    [
        ("I'd like to book a cleaning next Tuesday", "appointment"),
        ("Can I talk to a real person please", "agent"),
        ("I need to cancel my appointment", "I can't make it"),
        ("What are your hours?", "open?"),
        ("Yes, that works", "fine"),
    ],
)
def test_a_clear_request_is_surer_than_a_vague_one(clear, vague):
    assert read(clear).confidence > read(vague).confidence


def test_two_requests_at_once_are_unsure():
    torn = read("I want to cancel, or maybe reschedule")
    assert torn.intent in ("cancel_appointment", "reschedule_appointment")
    assert torn.confidence < read("I need to cancel my appointment").confidence
    assert torn.confidence < 0.5


def test_confidence_grows_with_evidence_and_margin():
    assert confidence(0, 0) == 0.0
    assert confidence(4, 0) > confidence(2, 0) > confidence(1, 0)
    assert confidence(4, 0) > confidence(4, 2) > confidence(4, 4)


@pytest.mark.parametrize("text", ["the blue elephant sings", "asdf qwerty", "", "mmm"])
def test_nonsense_is_unknown(text):
    understood = read(text)
    assert (understood.intent, understood.confidence) == ("unknown", 0.0)


def test_a_negated_request_does_not_count():
    understood = read("I don't want to cancel, I want to reschedule")
    assert understood.intent == "reschedule_appointment"
    assert "cancel_appointment" not in understood.raw


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Dana Smith", "Dana Smith"),
        ("Hi, this is Dana calling about an appointment", "Dana"),
        ("It's Dana Smith", "Dana Smith"),
        ("my name's jordan o'neil and i need a cleaning", "Jordan Oneil"),
        ("I'm Priya and I'd like to book", "Priya"),
        ("I'm calling to book a cleaning", None),
        ("I'm having a toothache", None),
        ("Can you have the doctor call me back", None),
    ],
)
def test_person_names(text, name):
    assert read(text).name == name


def test_a_bare_answer_is_a_name_only_when_one_was_asked_for():
    assert read("Dana Smith").name is None
    assert read("Dana Smith", expect_name=True).name == "Dana Smith"
    assert read("sure, it's Lee", expect_name=True).name == "Lee"
    assert read("why do you need that", expect_name=True).name is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("five five five one two three four five six seven", "+15551234567"),
        ("my number is 555-867-5309", "+15558675309"),
        ("(555) 123 0001", "+15551230001"),
        ("it's five five five, eight six seven, fifty three oh nine", "+15558675309"),
        ("double five five, one two three, four five six seven", "+15551234567"),
        ("+1 555 222 3333", "+15552223333"),
        ("call me at 1 555 222 3333", "+15552223333"),
        ("I have 2 kids", None),
    ],
)
def test_phone_numbers_spoken_and_written(text, number):
    assert read(text).phone == number


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("I need a cleaning", "Teeth cleaning"),
        ("can I get my teeth cleaned", "Teeth cleaning"),
        ("two fillings please", "Fillings"),
        ("whitenning", "Whitening"),
        ("I'm a new patient, I need an exam", "New patient exam"),
        ("I need a root canal", None),
    ],
)
def test_services_match_the_tenants_list_loosely(text, service):
    assert read(text).service == service


def test_departments_match_the_configured_list_then_the_phrase():
    assert read("can I talk to someone in billing").department == "billing"
    assert read("I need to reschedule").department is None
    assert read("transfer me to the shipping department").department == "shipping"


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("the first one", 0),
        ("second please", 1),
        ("I'll take the third", 2),
        ("the last one", -1),
        ("either", 0),
    ],
)
def test_choices_among_offers(text, choice):
    assert read(text).choice == choice


@pytest.mark.parametrize(
    ("text", "shift"),
    [("anything later?", "later"), ("something earlier", "earlier"), ("a different day", "other_day")],
)
def test_asking_for_other_times(text, shift):
    assert read(text).shift == shift


def test_dates_and_times_are_extracted_in_the_tenants_time():
    understood = read("Can I book a cleaning next Tuesday at 3?")
    assert understood.intent == "book_appointment"
    assert understood.service == "Teeth cleaning"
    assert understood.when is not None
    assert (understood.when.day, understood.when.exact) == (date(2026, 3, 3), time(15))


@pytest.mark.parametrize(
    "text",
    [
        "How much is a cleaning without insurance?",
        "What does a filling cost?",
        "price of whitening",
        "Do you charge for x-rays?",
        "Are you open on Saturday and do you take insurance?",
    ],
)
def test_information_requests_do_not_make_each_other_unsure(text):
    # Pricing and insurance, hours and insurance: either way it is a question to answer.
    task, sure = read(text).task()
    assert task in ("ask_price", "ask_question")
    assert sure >= 0.5


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("April Jones", "April Jones"),
        ("June", "June"),
        ("my name is May Chen", "May Chen"),
        ("It's Dana Whitfield", "Dana Whitfield"),
        ("my name's Dana", "Dana"),
        ("Dana", "Dana"),
    ],
)
def test_a_month_is_a_name_when_a_name_was_asked_for(text, name):
    assert read(text, expect_name=True).name == name


def test_a_month_with_a_day_is_still_a_date():
    assert read("April 3rd", expect_name=True).name is None
    assert read("April Jones").name is None


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        ("I'd like to leave a message for Dr. Patel", "Dr. Patel"),
        ("a message for doctor patel, tell her I'm late", "Dr. Patel"),
        ("Can I leave a message for the office manager?", "the office manager"),
        ("leave a message for the doctor to call me", "the doctor"),
        ("message for Sam, tell him I called", "Sam"),
        ("I want to leave a message for tomorrow", None),
        ("can I leave a message for someone to call me back", None),
        ("I'd like to leave a message", None),
    ],
)
def test_who_a_message_is_for(text, recipient):
    understood = read(text)
    assert message_recipient(understood.text, understood.normalised, ENGLISH) == recipient

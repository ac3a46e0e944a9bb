"""The built-in routing: a person on request or by department, after hours, VIPs and escalations."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest

from core import CallContext, CallerProfile, RouteDecision, Turn
from core.plugins.config import PluginConfigError, validate_config
from plugins.routing import route_call

MAIN = "+15559870001"
BILLING = "+15559870002"
EMERGENCY = "+15559870003"
# Monday 3 March 2025 in Chicago (UTC-6): open at 10:00, closed at 20:00.
OPEN = datetime(2025, 3, 3, 16, 0, tzinfo=UTC)
CLOSED = datetime(2025, 3, 4, 2, 0, tzinfo=UTC)
WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
DEPARTMENTS = {
    "billing": {"number": BILLING, "keywords": ["invoice", "payment plan"]},
    "emergency": {
        "number": EMERGENCY,
        "keywords": ["emergency", "broken tooth"],
        "hours": {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    },
}
ROUTING = {"transfer_number": MAIN, "departments": DEPARTMENTS}


@pytest.fixture
def call_at(call_with):
    """``call_at(routing_layer, when, **overrides)``: a call to Bright Smiles, open weekdays 9 to 5."""

    def make(layer: dict, when: datetime = OPEN, **overrides) -> CallContext:
        call = call_with({"routing": layer}, now=when, **overrides)
        tenant = msgspec.structs.replace(call.tenant, business={"hours": WEEKDAYS_9_TO_5})
        return msgspec.structs.replace(call, tenant=tenant)

    return make


def said(text: str, **fields) -> Turn:
    return Turn(number=3, text=text, **fields)


def transfer(target: str, reason: str, say: str | None = None) -> RouteDecision:
    return RouteDecision(action="transfer", target=target, reason=reason, say=say)


# What an upset caller hears instead of the model's reply.
PUT_THROUGH = "I'm sorry about this. Let me put you through to someone who can help."
LEAVE_A_MESSAGE = (
    "I'm sorry about this. Nobody can come to the phone right now, but if you leave a message "
    "after the tone, someone will call you back."
)


# --- nothing to do ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to book a cleaning next week",
        "I have a billing question",  # a department's name alone is not a request for a person
        "Can I come in person on Friday?",  # "in person" is not "a person"
        "She's a personal trainer",
    ],
)
def test_an_ordinary_turn_continues_the_conversation(call_at, text):
    assert route_call(call_at(ROUTING), said(text)) is None


def test_the_default_config_never_routes_an_ordinary_turn(call_at):
    assert route_call(call_at({}), said("What are your hours?")) is None


# --- "let me talk to a person" ---------------------------------------------------------------


@pytest.mark.parametrize(
    "turn",
    [
        said("hmm", intent="talk_to_person"),
        said("Can I speak to a real person please?"),
        said("OPERATOR!"),
        said("let me talk to someone"),
    ],
)
def test_asking_for_a_person_when_open_transfers_to_the_main_number(call_at, turn):
    assert route_call(call_at(ROUTING), turn) == transfer(MAIN, "talk_to_person")


def test_a_department_named_in_the_request_gets_the_call(call_at):
    turn = said("Could I talk to someone in Billing?")
    assert route_call(call_at(ROUTING), turn) == transfer(BILLING, "department:billing")


def test_the_transfer_tool_names_the_department_with_the_intent(call_at):
    # What the host's transfer_call tool sends: the department and the model's reason as text.
    turn = said("billing wants to discuss a refund", intent="talk_to_person")
    assert route_call(call_at(ROUTING), turn) == transfer(BILLING, "department:billing")


def test_department_names_match_as_words(call_at):
    layer = {"departments": {"front_desk": {"number": BILLING}}}
    turn = said("Put me through to the Front Desk, please", intent="talk_to_person")
    assert route_call(call_at(layer), turn) == transfer(BILLING, "department:front_desk")


def test_a_keyword_without_words_matches_nothing(call_at):
    layer = {"transfer_number": MAIN, "departments": {"billing": {"number": BILLING, "keywords": ["?!"]}}}
    assert route_call(call_at(layer), said("")) is None
    assert route_call(call_at(layer), said("?!")) is None


def test_a_department_keyword_routes_without_being_asked(call_at):
    turn = said("It's about my invoice from March")
    assert route_call(call_at(ROUTING), turn) == transfer(BILLING, "department:billing")
    turn = said("Do you offer a payment plan?")
    assert route_call(call_at(ROUTING), turn) == transfer(BILLING, "department:billing")


def test_a_named_department_beats_another_ones_keyword(call_at):
    turn = said("I'd like to speak to someone in billing about an emergency")
    assert route_call(call_at(ROUTING), turn) == transfer(BILLING, "department:billing")


def test_a_department_with_its_own_hours_is_reached_when_the_business_is_closed(call_at):
    turn = said("I have a broken tooth")
    assert route_call(call_at(ROUTING, CLOSED), turn) == transfer(EMERGENCY, "department:emergency")


def test_without_a_number_to_reach_the_model_takes_a_message(call_at):
    decision = route_call(call_at({"departments": DEPARTMENTS}), said("a human please"))
    assert decision == RouteDecision(action="continue", reason="no_transfer_number")


# --- after hours and VIPs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after_hours", "expected"),
    [
        ("message", RouteDecision(action="continue", reason="after_hours_message")),
        ("voicemail", RouteDecision(action="voicemail", reason="after_hours_voicemail")),
        ("transfer", transfer(MAIN, "after_hours_transfer")),
    ],
)
def test_asking_for_a_person_when_closed_follows_after_hours(call_at, after_hours, expected):
    call = call_at({**ROUTING, "after_hours": after_hours}, CLOSED)
    assert route_call(call, said("representative")) == expected


def test_a_department_keyword_after_hours_follows_after_hours_too(call_at):
    call = call_at(ROUTING, CLOSED)
    assert route_call(call, said("my invoice")) == RouteDecision(
        action="continue", reason="after_hours_message"
    )


def test_vip_callers_go_straight_through_after_hours(call_at):
    vip = CallerProfile(known=True, vip=True, name="Ada")
    call = call_at(ROUTING, CLOSED, caller_profile=vip)
    assert route_call(call, said("put me through to a person")) == transfer(MAIN, "vip_after_hours")


def test_vip_action_continue_treats_vips_like_everyone_else(call_at):
    vip = CallerProfile(known=True, vip=True, name="Ada")
    call = call_at({**ROUTING, "vip_action": "continue"}, CLOSED, caller_profile=vip)
    decision = route_call(call, said("put me through to a person"))
    assert decision == RouteDecision(action="continue", reason="after_hours_message")


# --- escalation ------------------------------------------------------------------------------


def test_escalates_to_a_person_after_repeated_misunderstandings(call_at):
    assert route_call(call_at(ROUTING), said("mumble", misunderstandings=2)) is None
    decision = route_call(call_at(ROUTING), said("mumble", misunderstandings=3))
    assert decision == transfer(MAIN, "misunderstandings:3")


def test_escalation_goes_to_voicemail_when_nobody_can_be_reached(call_at):
    closed = route_call(call_at(ROUTING, CLOSED), said("mumble", misunderstandings=4))
    assert closed == RouteDecision(action="voicemail", reason="misunderstandings:4")
    no_number = route_call(call_at({"departments": DEPARTMENTS}), said("mumble", misunderstandings=3))
    assert no_number == RouteDecision(action="voicemail", reason="misunderstandings:3")


def test_escalation_after_hours_transfers_when_after_hours_transfers(call_at):
    call = call_at({**ROUTING, "after_hours": "transfer"}, CLOSED)
    assert route_call(call, said("mumble", misunderstandings=3)) == transfer(MAIN, "misunderstandings:3")


def test_escalation_threshold_is_configurable_and_can_be_off(call_at):
    assert route_call(
        call_at({**ROUTING, "escalate_after_misunderstandings": 1}), said("?", misunderstandings=1)
    ) == (transfer(MAIN, "misunderstandings:1"))
    off = call_at({**ROUTING, "escalate_after_misunderstandings": 0})
    assert route_call(off, said("?", misunderstandings=9)) is None


@pytest.mark.parametrize(
    ("sentiment", "earlier_negative_turns", "expected"),
    [
        (-0.7, 1, transfer(MAIN, "negative_sentiment:2", PUT_THROUGH)),
        (-0.5, 3, transfer(MAIN, "negative_sentiment:4", PUT_THROUGH)),  # at the threshold: negative
        (-0.7, 0, None),  # one bad turn is not a pattern
        (-0.2, 5, None),  # this turn is not negative: the streak is broken
        (None, 5, None),  # not measured
    ],
)
def test_escalates_after_negative_turns_in_a_row(call_at, sentiment, earlier_negative_turns, expected):
    call = call_at(ROUTING, metadata={"negative_turns": earlier_negative_turns})
    assert route_call(call, said("this is ridiculous", sentiment=sentiment)) == expected


def test_negative_sentiment_after_hours_goes_to_voicemail(call_at):
    call = call_at({**ROUTING, "negative_sentiment_threshold": -0.3}, CLOSED, metadata={"negative_turns": 1})
    decision = route_call(call, said("useless", sentiment=-0.4))
    assert decision == RouteDecision(action="voicemail", reason="negative_sentiment:2", say=LEAVE_A_MESSAGE)


def test_negative_sentiment_without_a_number_offers_a_message(call_at):
    call = call_at({"departments": DEPARTMENTS}, metadata={"negative_turns": 1})
    decision = route_call(call, said("this is useless", sentiment=-0.9))
    assert decision == RouteDecision(action="voicemail", reason="negative_sentiment:2", say=LEAVE_A_MESSAGE)


def test_the_apology_is_in_the_callers_language(call_at):
    spanish = call_at(ROUTING, metadata={"negative_turns": 1}, language="es-US")
    decision = route_call(spanish, said("esto es inaceptable", sentiment=-0.8))
    assert decision == transfer(
        MAIN,
        "negative_sentiment:2",
        "Lamento mucho las molestias. Le comunico con alguien que le pueda ayudar.",
    )
    # A language without an apology keeps the model's reply.
    french = call_at(ROUTING, metadata={"negative_turns": 1}, language="fr-FR")
    assert route_call(french, said("c'est inadmissible", sentiment=-0.8)) == transfer(
        MAIN, "negative_sentiment:2"
    )


def test_misunderstandings_keep_the_models_words(call_at):
    decision = route_call(call_at(ROUTING), said("mumble", misunderstandings=3))
    assert decision is not None and decision.say is None


def test_a_request_for_a_person_comes_before_escalation(call_at):
    turn = said("get me a human", misunderstandings=5, sentiment=-1.0)
    call = call_at(ROUTING, metadata={"negative_turns": 4})
    assert route_call(call, turn) == transfer(MAIN, "talk_to_person")


# --- config ----------------------------------------------------------------------------------


def test_routing_is_a_default_installed_builtin(builtin_catalog):
    info = builtin_catalog.get("routing")
    assert (info.default_installed, info.description) == (
        True,
        "Routes a call to a person: on request, by department keyword, or when the conversation goes badly.",
    )


def test_numbers_are_stored_normalised(builtin_catalog):
    layer = {
        "transfer_number": "+1 (555) 987-0001",
        "departments": {"billing": {"number": "001 555 987 0002"}},
    }
    config = validate_config(builtin_catalog.get("routing"), [layer], environ={})
    assert (config.transfer_number, config.departments["billing"].number) == (MAIN, BILLING)
    assert config.dial_timeout_s == 20


NOT_E164 = "is not a phone number in E.164 form, e.g. +15551230001"
HH_MM = 'must be ["HH:MM", "HH:MM"], e.g. ["09:00", "17:00"]'


def department(**fields) -> dict:
    return {"departments": {"billing": {"number": BILLING, **fields}}}


@pytest.mark.parametrize(
    ("layer", "field", "message"),
    [
        ({"transfer_number": "front desk"}, "config.transfer_number", f"'front desk' {NOT_E164}"),
        (department(number="ext 12"), "config.departments.billing.number", f"'ext 12' {NOT_E164}"),
        (department(hours={"mon": [["9am", "5pm"]]}), "config.departments.billing.hours.mon[0]", HH_MM),
        (
            department(hours={"monday": []}),
            "config.departments.billing.hours.monday",
            "is not a day; use mon, tue, wed, thu, fri, sat, sun",
        ),
        (department(keywords=[" "]), "config.departments.billing.keywords[0]", "must not be empty"),
        ({"dial_timeout_s": 2}, "config.dial_timeout_s", "must be between 5 and 600 seconds"),
        (
            {"negative_sentiment_threshold": -2},
            "config.negative_sentiment_threshold",
            "must be between -1 and 1",
        ),
        (
            {"escalate_after_misunderstandings": -1},
            "config.escalate_after_misunderstandings",
            "must be 0 (off) or more",
        ),
        ({"after_hours": "hangup"}, "config.after_hours", "Invalid enum value 'hangup'"),
        ({"person_phrases": ["a person", ""]}, "config.person_phrases[1]", "must not be empty"),
    ],
)
def test_invalid_config_names_the_field(builtin_catalog, layer, field, message):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("routing"), [layer], environ={})
    assert (raised.value.field, raised.value.message) == (field, message)

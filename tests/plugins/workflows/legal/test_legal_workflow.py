"""The legal workflow's reading, scoring and routing, without a call."""

from __future__ import annotations

import pytest

from core import ConfigFieldError, LeadRoute
from plugins.workflows.legal import Config
from plugins.workflows.legal.workflow import legal_workflow
from tests.plugins.workflows.workflow_calls import call_with

LEGAL = legal_workflow()


@pytest.mark.parametrize(
    ("said", "fields"),
    [
        ("I need a divorce lawyer", {"practice_area": "family"}),
        ("I got a DUI and my court date is Friday", {"practice_area": "criminal", "urgency": "urgent"}),
        (
            "I want to sue my landlord for my deposit",
            {"practice_area": "real_estate", "opposing_party": "my landlord"},
        ),
        ("I need to write a will", {"practice_area": "estate"}),
        ("I was fired for no reason", {"practice_area": "employment"}),
        ("my visa is expiring", {"practice_area": "immigration"}),
    ],
)
def test_the_matter_is_read_from_what_the_caller_says(said: str, fields: dict[str, str]) -> None:
    reading = LEGAL.read(said)
    assert reading.fields == fields


def test_a_lawyer_is_asked_for() -> None:
    assert LEGAL.read("I need a divorce lawyer").intent == "consultation"
    assert LEGAL.read("Can I book a consultation?").intent == "consultation"
    assert LEGAL.read("what are your hours").intent is None


def test_answers_to_the_questions() -> None:
    assert LEGAL.read("Yes, next Tuesday", expecting="urgency").fields["urgency"] == "urgent"
    assert LEGAL.read("no", expecting="urgency").fields == {"urgency": "normal"}
    assert LEGAL.read("There's no one", expecting="opposing_party").fields == {"opposing_party": "none"}


def test_an_urgent_matter_is_hot_only_with_the_conflict_check_done() -> None:
    call = call_with("legal", Config(urgent_department="litigation"))
    waiting = LEGAL.assess(call, "consultation", {"practice_area": "criminal", "urgency": "urgent"})
    assert (waiting.score, waiting.hot, waiting.missing, waiting.routes) == (
        70,
        False,
        ["opposing_party"],
        [],
    )
    ready = LEGAL.assess(
        call, "consultation", {"practice_area": "criminal", "urgency": "urgent", "opposing_party": "none"}
    )
    assert (ready.score, ready.hot) == (85, True)
    assert ready.routes == [
        LeadRoute(action="transfer", department="litigation", who="an attorney", reason="urgent_matter"),
        LeadRoute(action="book", service="consultation", reason="urgent_matter"),
        LeadRoute(action="message", reason="urgent_matter"),
    ]


def test_practice_areas_the_firm_does_not_take_are_messages() -> None:
    call = call_with("legal", Config(practice_areas=["family"]))
    fields = {"practice_area": "immigration", "urgency": "normal", "opposing_party": "none"}
    assert LEGAL.assess(call, "consultation", fields).routes == [
        LeadRoute(action="message", reason="outside_practice_areas")
    ]
    with pytest.raises(ConfigFieldError) as error:
        Config(practice_areas=["family", "tax"])
    assert error.value.field == "practice_areas[1]"

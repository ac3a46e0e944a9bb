"""The dental workflow's reading, scoring and triage, without a call."""

from __future__ import annotations

import pytest

from core import LeadRoute
from plugins.workflows.dental import Config
from plugins.workflows.dental.workflow import dental_workflow
from tests.plugins.workflows.workflow_calls import call_with

DENTAL = dental_workflow()
ON_CALL = "+15557000002"


@pytest.mark.parametrize(
    ("said", "intent", "fields"),
    [
        ("I have a toothache", "emergency", {"reason": "toothache"}),
        ("My face is swollen", "emergency", {"reason": "swollen"}),
        ("I cracked a tooth", "emergency", {"reason": "cracked a tooth"}),
        ("I'm a new patient, I have Cigna", "new_patient", {"patient_status": "new", "insurance": "Cigna"}),
        ("do you take walk ins", None, {}),
    ],
)
def test_intents_and_fields(said: str, intent: str | None, fields: dict[str, str]) -> None:
    reading = DENTAL.read(said)
    assert (reading.intent, reading.fields) == (intent, fields)


def test_answers_to_the_questions() -> None:
    assert DENTAL.read("yes I've been there before", expecting="patient_status").fields == {
        "patient_status": "existing"
    }
    assert DENTAL.read("no, I don't", expecting="insurance").fields == {"insurance": "none"}
    assert DENTAL.read("it's through my work, I think MetLife", expecting="insurance").fields == {
        "insurance": "MetLife"
    }


def test_an_emergency_is_offered_today_then_the_on_call_dentist_while_open() -> None:
    call = call_with("dental", Config(on_call_number=ON_CALL))
    assessment = DENTAL.assess(call, "emergency", {"reason": "my gums are bleeding"})
    assert (assessment.emergency, assessment.score, assessment.missing) == ("bleeding", 50, [])
    why = "emergency:bleeding"
    assert assessment.routes == [
        LeadRoute(action="same_day", service="emergency visit", reason=why),
        LeadRoute(action="transfer", number=ON_CALL, who="our on-call dentist", reason=why),
        LeadRoute(action="transfer", who="our front desk", reason=why),
        LeadRoute(action="message", reason=why),
    ]


def test_after_hours_an_emergency_goes_straight_on_call() -> None:
    call = call_with("dental", Config(on_call_number=ON_CALL), open_now=False)
    assessment = DENTAL.assess(call, "new_patient", {"reason": "swelling in my jaw"})
    assert assessment.emergency == "swelling"
    assert assessment.instructions == (
        "If the swelling is making it hard to breathe or swallow, please hang up and call 911."
    )
    assert [route.action for route in assessment.routes] == ["transfer", "message"]
    # Without an on-call number there is only the message.
    unstaffed = DENTAL.assess(call_with("dental", Config(), open_now=False), "emergency", {})
    assert (unstaffed.emergency, unstaffed.routes) == (
        "dental_emergency",
        [LeadRoute(action="message", reason="emergency:dental_emergency")],
    )


def test_a_new_patient_is_scored_and_booked_once_qualified() -> None:
    call = call_with("dental", Config(new_patient_service="new patient exam"))
    partial = DENTAL.assess(call, "new_patient", {"patient_status": "new"})
    assert (partial.score, partial.missing, partial.routes) == (40, ["insurance", "reason"], [])
    done = DENTAL.assess(
        call, "new_patient", {"patient_status": "new", "insurance": "none", "reason": "cleaning"}
    )
    # 15 (new patient) + 25 (new) + 10 (paying themselves) + 10 (a reason).
    assert done.score == 60
    assert done.routes == [
        LeadRoute(action="book", service="new patient exam", reason="new_patient"),
        LeadRoute(action="message", reason="new_patient"),
    ]

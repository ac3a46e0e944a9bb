"""The mortgage workflow's reading, scoring and routing, without a call."""

from __future__ import annotations

import pytest

from core import ConfigFieldError, LeadRoute
from plugins.workflows.mortgage import Config
from plugins.workflows.mortgage.workflow import mortgage_workflow
from tests.plugins.workflows.workflow_calls import call_with

MORTGAGE = mortgage_workflow()


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("I want to refinance", "refinance"),
        ("We're looking to lower our rate", "refinance"),
        ("I'd like to get pre-approved", "purchase"),
        ("we're buying our first home", "purchase"),
        ("I want to open a home equity line of credit", "heloc"),
        ("what time do you close", None),
    ],
)
def test_intents(said: str, intent: str | None) -> None:
    assert MORTGAGE.read(said).intent == intent


def test_fields_said_in_passing_are_tied_by_their_cues() -> None:
    reading = MORTGAGE.read("I want to refinance, the house is worth 650k and I owe about $300,000")
    assert reading.fields == {"loan_amount": 300_000, "property_value": 650_000}
    assert MORTGAGE.read("my credit is pretty good").fields == {"credit_band": "good"}


def test_a_complete_lead_is_scored_on_every_rule() -> None:
    call = call_with("mortgage", Config())
    lead = {
        "loan_amount": 520_000,
        "property_value": 650_000,
        "down_payment": "20%",
        "credit_band": 745,
        "timeline": "in 2 months",
        "employment": "self-employed",
    }
    assessment = MORTGAGE.assess(call, "purchase", lead)
    # 10 (purchase) + 25 (excellent) + 18 (within 3 months) + 15 (over 500k) + 15 (20% down) + 8.
    assert (assessment.score, assessment.hot, assessment.missing) == (91, True, [])
    assert assessment.fields == {
        "loan_amount": 520_000,
        "property_value": 650_000,
        "down_payment": 130_000,
        "credit_band": "excellent",
        "timeline": "within_3_months",
        "employment": "self_employed",
    }
    assert assessment.routes == [
        LeadRoute(action="transfer", department="loan_officer", who="a loan officer", reason="hot_lead"),
        LeadRoute(action="message", reason="hot_lead"),
    ]


def test_a_lead_that_is_not_hot_waits_for_its_answers_then_books() -> None:
    call = call_with("mortgage", Config(consultation_services={"heloc": "equity review"}, hot_score=95))
    partial = MORTGAGE.assess(call, "heloc", {"loan_amount": 50_000})
    assert (partial.score, partial.routes) == (11, [])
    assert partial.missing == ["property_value", "credit_band", "timeline", "employment"]  # no down payment
    complete = MORTGAGE.assess(
        call,
        "heloc",
        {
            "loan_amount": 50_000,
            "property_value": 500_000,
            "credit_band": "fair",
            "timeline": None,
            "employment": None,
        },
    )
    assert (complete.score, complete.missing) == (34, [])
    assert complete.routes == [
        LeadRoute(action="book", service="equity review", reason="qualified"),
        LeadRoute(action="message", reason="qualified"),
    ]


def test_config_is_checked_naming_the_field() -> None:
    assert Config(alert_number="+1 (555) 700-0009").alert_number == "+15557000009"
    with pytest.raises(ConfigFieldError) as error:
        Config(alert_number="loan officer")
    assert error.value.field == "alert_number"
    with pytest.raises(ConfigFieldError) as error:
        Config(hot_score=120)
    assert error.value.field == "hot_score"

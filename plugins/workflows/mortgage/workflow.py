"""The mortgage workflow: purchase, refinance and HELOC intake, scored on credit, timeline, size, equity."""

from __future__ import annotations

from typing import Any

from core import ConfigFieldError, LeadRoute
from plugins.workflows.config import WorkflowConfig
from plugins.workflows.fields import Field
from plugins.workflows.mortgage.knowledge import KNOWLEDGE
from plugins.workflows.routing import LeadFacts, alert, book, message, routes, transfer
from plugins.workflows.scoring import AmountPoints, IntentPoints, RatioPoints, ValuePoints
from plugins.workflows.workflow import IndustryWorkflow, Intent

NAME = "mortgage"
WHO = "a loan officer"


class Config(WorkflowConfig, kw_only=True, forbid_unknown_fields=True):
    # The routing plugin's department a hot lead is put through to.
    department: str = "loan_officer"
    # Texted about a hot lead nobody can take on the call (after hours, no one free), to call back.
    alert_number: str | None = None
    # The calendar service a lead that is not hot books, by intent ({"refinance": "refinance review"}).
    consultation_services: dict[str, str] = {}

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.department.strip():
            raise ConfigFieldError("department", "must name a department of the routing plugin")
        self.check_number("alert_number")


INTENTS = (
    Intent(
        name="purchase",
        description="buying a home: a purchase loan or a pre-approval",
        acknowledgement=(
            "Congratulations on the home search! A few quick questions and we'll get you started."
        ),
        patterns=(
            (
                r"\b(buy|buying|purchase|purchasing)\b.{0,30}\b(house|home|condo|property|place|townhouse)\b",
                4.0,
            ),
            (r"\b(first time (home )?buyer|home ?buyer|pre ?approv\w*|purchase loan|home loan)\b", 3.5),
            (r"\b(get|need|want|looking for) a (new )?mortgage\b", 3.0),
            (r"\bmortgage\b", 1.0),
        ),
    ),
    Intent(
        name="refinance",
        description="refinancing an existing mortgage (lower rate, shorter term or cash out)",
        acknowledgement=(
            "Happy to help with a refinance. I'll ask a few quick questions for the loan officer."
        ),
        patterns=(
            (r"\b(refinanc\w*|refi|re finance)\b", 4.0),
            (r"\b(lower|reduce|drop|better)\b.{0,20}\b(rate|payment|interest)\b", 3.0),
            (r"\bcash out\b", 3.0),
        ),
    ),
    Intent(
        name="heloc",
        description="a home equity line of credit (HELOC) against a home the caller owns",
        acknowledgement="A home equity line can be a great option. Let me ask a few quick questions.",
        patterns=(
            (
                r"\b(heloc|home equity|equity line|line of credit|second mortgage|"
                r"tap\w* (into )?\w* ?equity)\b",
                4.0,
            ),
        ),
    ),
)

FIELDS = (
    Field(
        name="loan_amount",
        description="the amount the caller wants to borrow",
        kind="amount",
        question="About how much would you like to borrow?",
        cues=(r"\b(borrow\w*|loan|mortgage|owe|balance|financ\w*|cash out|line of credit|heloc)\b",),
        thousands_below=10_000,
    ),
    Field(
        name="property_value",
        description="what the property is worth, or its purchase price",
        kind="amount",
        question="And roughly what is the property worth, or what's the purchase price?",
        cues=(r"\b(worth|value|valued|appraised|price|priced|costs?|paying|listed)\b",),
        thousands_below=10_000,
    ),
    Field(
        name="down_payment",
        description="the down payment the caller plans to make",
        kind="amount",
        question="How much are you planning to put down?",
        cues=(r"\b(down|deposit|saved|savings)\b",),
        intents=("purchase",),
        thousands_below=10_000,
    ),
    Field(
        name="credit_band",
        description="the caller's credit, as a band",
        kind="credit",
        question=(
            "How would you describe your credit: excellent, good, fair or poor? A rough score is fine too."
        ),
    ),
    Field(
        name="timeline",
        description="how soon the caller wants the loan",
        kind="timeline",
        question="And how soon are you hoping to get this done?",
    ),
    Field(
        name="employment",
        description="how the caller earns their income",
        kind="choice",
        question="Last one: are you employed, self-employed or retired?",
        synonyms={
            "not_employed": (r"\b(unemployed|not working|between jobs|laid off|no job|out of work)\b",),
            "self_employed": (
                r"\b(self employed|own (my own |a )?business|work for myself|freelanc\w*|contractor|1099)\b",
            ),
            "retired": (r"\b(retired|pension|social security)\b",),
            "employed": (r"\b(employed|full time|part time|w ?2|salaried|work (at|for)|job)\b",),
        },
    ),
)

SCORING = (
    IntentPoints(table={"purchase": 10, "refinance": 10, "heloc": 8}),
    ValuePoints(field="credit_band", table={"excellent": 25, "good": 18, "fair": 8}),
    ValuePoints(
        field="timeline", table={"asap": 25, "within_3_months": 18, "within_6_months": 8, "later": 2}
    ),
    AmountPoints(field="loan_amount", tiers=((500_000, 15), (250_000, 12), (100_000, 8), (1, 3))),
    RatioPoints(
        part="loan_amount",
        whole="property_value",
        tiers=((0.8, 15), (0.9, 8), (0.97, 3)),
        intents=("refinance", "heloc"),
    ),
    RatioPoints(
        part="down_payment",
        whole="property_value",
        tiers=((0.2, 15), (0.1, 10), (0.03, 5)),
        at_most=False,
        intents=("purchase",),
    ),
    ValuePoints(field="employment", table={"employed": 10, "self_employed": 8, "retired": 8}),
)


def route(lead: LeadFacts, config: Config) -> list[LeadRoute]:
    """A hot lead to a loan officer now (or a text to one); any other a consultation, else a message."""
    if lead.hot:
        return routes(
            transfer(config.department, WHO, "hot_lead"),
            alert(config.alert_number, WHO, "hot_lead"),
            message("hot_lead"),
        )
    return routes(
        book(config.consultation_services.get(lead.intent or ""), "qualified"), message("qualified")
    )


def down_payment_in_dollars(values: dict[str, Any]) -> dict[str, Any]:
    """A down payment said as a percentage ("20%") in dollars, once the price is known."""
    down, price = values.get("down_payment"), values.get("property_value")
    if isinstance(down, str) and down.endswith("%") and isinstance(price, int | float):
        try:
            share = float(down[:-1]) / 100
        except ValueError:
            return values
        return {**values, "down_payment": round(price * share)}
    return values


def mortgage_workflow() -> IndustryWorkflow:
    return IndustryWorkflow(
        name=NAME,
        description="a mortgage broker: purchase loans, refinances and home equity lines",
        intents=INTENTS,
        fields=FIELDS,
        scoring=SCORING,
        router=route,
        config_type=Config,
        knowledge=KNOWLEDGE,
        adjust=down_payment_in_dollars,
    )

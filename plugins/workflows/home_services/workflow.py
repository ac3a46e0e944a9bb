"""The home services workflow: service type, address and urgency; emergencies to the on-call technician.

A gas smell, flooding, no heat, or sparking and lost power is an emergency: the caller is told
what to do to stay safe at once, asked for the address, and put through to the on-call technician
(or the technician is texted when the call cannot be put through).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core import LeadRoute
from plugins.workflows.config import WorkflowConfig
from plugins.workflows.fields import Field
from plugins.workflows.home_services.knowledge import KNOWLEDGE
from plugins.workflows.routing import LeadFacts, alert, book, dial, message, routes, transfer
from plugins.workflows.scoring import EmergencyPoints, IntentPoints, KnownPoints, ValuePoints
from plugins.workflows.workflow import IndustryWorkflow, Intent

NAME = "home_services"
ON_CALL = "our on-call technician"


class Config(WorkflowConfig, kw_only=True, forbid_unknown_fields=True):
    # The on-call technician, put through for an emergency at any hour.
    on_call_number: str | None = None
    # Texted about an emergency that cannot be put through (a text thread); default: the on-call number.
    alert_number: str | None = None
    # The calendar service a visit books (None: the calendar's default length).
    visit_service: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.check_number("on_call_number")
        self.check_number("alert_number")


EMERGENCIES: dict[str, tuple[str, ...]] = {
    "gas_smell": (r"\b(smell\w* (of |like )?gas|gas smell|gas leak|leaking gas|rotten eggs?)\b",),
    "flooding": (
        r"\b(flood\w*|burst (pipe|water)|pipe (burst|broke|exploded)|water (everywhere|pouring|gushing))\b",
    ),
    "no_heat": (
        r"\b(no heat|heat (is )?(out|off|not working)|(furnace|heater|boiler) (is )?(out|dead|broken|"
        r"not working|stopped working|went out))\b",
    ),
    "electrical_hazard": (
        r"\b(spark\w*|arcing|burning smell|smoke (from|coming)|electrical fire|no power|power (is )?out|"
        r"lost power)\b",
    ),
}

INTENTS = (
    Intent(
        name="emergency",
        description="an emergency: a gas smell, flooding or a burst pipe, no heat, sparking or no power",
        acknowledgement="We'll get someone out to you right away.",
        patterns=(
            *((pattern, 5.0) for pattern in EMERGENCIES["gas_smell"]),
            *(
                (pattern, 4.5)
                for kind in ("flooding", "no_heat", "electrical_hazard")
                for pattern in EMERGENCIES[kind]
            ),
            (r"\bemergency\b", 4.0),
        ),
    ),
    Intent(
        name="repair",
        description="something broken, leaking or not working that needs a technician",
        acknowledgement="Sorry to hear that. Let's get a technician out to you.",
        patterns=(
            (r"\b(broken|broke|not working|stopped working|does not work|leak\w*|clog\w*|repair|fix)\b", 3.0),
            (r"\b(plumber|electrician|technician|hvac|roofer|handyman)\b", 3.0),
        ),
    ),
    Intent(
        name="installation",
        description="installing or replacing equipment: a water heater, furnace, AC unit, panel or roof",
        acknowledgement="Happy to help with that installation.",
        patterns=(
            (
                r"\b(install\w*|replac\w*|new (water heater|furnace|ac|air conditioner|roof|panel|boiler))\b",
                3.5,
            ),
        ),
    ),
    Intent(
        name="maintenance",
        description="a tune-up, inspection or estimate",
        acknowledgement="Sure, we can set that up.",
        patterns=(
            (
                r"\b(maintenance|tune ?up|inspection|inspect|estimate|service (call|visit)|annual service)\b",
                3.0,
            ),
        ),
    ),
)

FIELDS = (
    Field(
        name="emergency",
        description="the kind of emergency, when it is one",
        kind="choice",
        synonyms=EMERGENCIES,
    ),
    Field(
        name="service_type",
        description="the trade the job needs",
        kind="choice",
        question=(
            "What kind of work is it: plumbing, heating or cooling, electrical, roofing, or an appliance?"
        ),
        synonyms={
            "appliance": (r"\b(appliance|washer|dryer|dishwasher|fridge|refrigerator|oven|stove|freezer)\b",),
            "plumbing": (
                r"\b(plumb\w*|pipes?|leak\w*|drain|toilet|faucet|sink|water heater|sewer|clog\w*|flood\w*|"
                r"burst|shower|sump pump)\b",
            ),
            "hvac": (
                r"\b(hvac|heat\w*|furnace|boiler|air condition\w*|ac|a c|cooling|heat pump|thermostat|"
                r"ducts?)\b",
            ),
            "electrical": (r"\b(electric\w*|outlets?|wiring|breakers?|panel|power|spark\w*|circuit)\b",),
            "roofing": (r"\b(roof\w*|shingles?|gutters?)\b",),
        },
    ),
    Field(
        name="address",
        description="where the work is",
        kind="address",
        question="What's the address where you need us?",
        urgent=True,
    ),
    Field(
        name="urgency",
        description="how soon the caller needs someone",
        kind="choice",
        question="How soon do you need someone: today, this week, or are you flexible?",
        synonyms={
            "flexible": (r"\b(flexible|no rush|whenever|next week|any ?time|not urgent|no hurry)\b",),
            "today": (r"\b(today|tonight|right away|asap|as soon as possible|now|immediately|urgent)\b",),
            "this_week": (r"\b(this week|tomorrow|next few days|couple of days|soon)\b",),
        },
    ),
)

SCORING = (
    EmergencyPoints(worth=50),
    IntentPoints(table={"installation": 20, "repair": 10, "maintenance": 5}),
    ValuePoints(field="urgency", table={"today": 30, "this_week": 20, "flexible": 10}),
    KnownPoints(field="service_type", worth=15),
    KnownPoints(field="address", worth=15),
)

INSTRUCTIONS = {
    "gas_smell": (
        "Please leave the house now, and don't switch lights or appliances on or off or light a flame. "
        "Once you're outside, call your gas company's emergency line or 911."
    ),
    "flooding": (
        "If you can do it safely, turn off the main water valve, and keep away from outlets near the water."
    ),
    "electrical_hazard": (
        "Please stay away from the sparking outlet or panel. If you see smoke or fire, leave and call 911."
    ),
}


def find_emergency(intent: str | None, values: Mapping[str, Any]) -> str | None:
    kind = values.get("emergency")
    if isinstance(kind, str) and kind in EMERGENCIES:
        return kind
    return "emergency" if intent == "emergency" else None


def route(lead: LeadFacts, config: Config) -> list[LeadRoute]:
    """An emergency to the on-call technician (a text when it cannot be dialled); other jobs a visit."""
    if lead.emergency:
        why = f"emergency:{lead.emergency}"
        return routes(
            dial(config.on_call_number, ON_CALL, why),
            alert(config.alert_number or config.on_call_number, ON_CALL, why),
            transfer(None, "our office", why),
            message(why),
        )
    return routes(book(config.visit_service, lead.intent or "visit"), message(lead.intent or "visit"))


def home_services_workflow() -> IndustryWorkflow:
    return IndustryWorkflow(
        name=NAME,
        description="a home services company: plumbing, heating and cooling, electrical, roofing, appliances",
        intents=INTENTS,
        fields=FIELDS,
        scoring=SCORING,
        router=route,
        config_type=Config,
        knowledge=KNOWLEDGE,
        emergency=find_emergency,
        instructions=INSTRUCTIONS,
    )

"""The dental workflow: patient status, insurance and reason; emergencies to a same-day slot or on call."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core import LeadRoute
from plugins.workflows.config import WorkflowConfig
from plugins.workflows.dental.knowledge import KNOWLEDGE
from plugins.workflows.fields import Field
from plugins.workflows.routing import LeadFacts, book, dial, message, routes, same_day, transfer
from plugins.workflows.scoring import EmergencyPoints, IntentPoints, KnownPoints, ValuePoints
from plugins.workflows.words import normalise
from plugins.workflows.workflow import IndustryWorkflow, Intent

NAME = "dental"
ON_CALL = "our on-call dentist"


class Config(WorkflowConfig, kw_only=True, forbid_unknown_fields=True):
    # The on-call dentist, put through for an emergency with no slot left today or after hours.
    on_call_number: str | None = None
    # The calendar service a same-day emergency books.
    emergency_service: str = "emergency visit"
    # The calendar service a new patient books (None: what the caller asks for, or the default length).
    new_patient_service: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.check_number("on_call_number")


_TOOTH = r"(tooth|teeth|filling|crown)"
_BROKEN = r"(knocked out|broke|broken|chipped|cracked|fell out|came out|lost)"
INTENTS = (
    Intent(
        name="emergency",
        description="a dental emergency: pain, swelling, a broken or knocked-out tooth, bleeding",
        acknowledgement="I'm so sorry you're dealing with that. Let's get you seen as soon as possible.",
        patterns=(
            (r"\b(tooth ?ache|teeth ?ache|dental emergency|emergency)\b", 5.0),
            (r"\b(pain|painful|hurts?|hurting|aching|throbbing|killing me)\b", 3.0),
            (r"\b(swollen|swelling|abscess\w*|infection|infected)\b", 5.0),
            (
                rf"\b{_BROKEN}\b.{{0,20}}\b{_TOOTH}\b",
                5.0,
            ),
            (rf"\b{_TOOTH}\b.{{0,20}}\b(broke|broken|chipped|cracked|knocked out|fell out|loose)\b", 5.0),
            (r"\bbleeding\b", 3.0),
        ),
    ),
    Intent(
        name="new_patient",
        description="someone who would like to become a patient",
        acknowledgement="Welcome! We'd love to see you.",
        patterns=(
            (r"\b(become|becoming) a (new )?patient\b", 4.0),
            (r"\bnew patient\b", 3.5),
            (r"\b(looking for|need|find) a (new )?(dentist|dental office)\b", 3.5),
            (r"\bswitch\w* (dentists|dental offices?)\b", 3.5),
        ),
    ),
)

# The kinds of emergency, by what the caller said about it; the first that matches names it.
SYMPTOMS = {
    "knocked_out": r"\b(knocked out|fell out|came out)\b",
    "broken_tooth": r"\b(broke|broken|chipped|cracked)\b",
    "swelling": r"\b(swell\w*|swollen|abscess\w*|infect\w*)\b",
    "bleeding": r"\bbleed\w*\b",
    "toothache": r"\b(tooth ?ache|teeth ?ache|pain\w*|hurt\w*|aching|throbbing)\b",
}

FIELDS = (
    Field(
        name="patient_status",
        description="whether the caller is a new or an existing patient",
        kind="choice",
        question="Have you been to see us before, or would you be a new patient?",
        synonyms={
            "new": (
                r"\b(new patient|new here|first time|never been|not a patient|new to)\b",
                r"\b(looking for|need|find) a (new )?dentist\b",
            ),
            "existing": (
                r"\b(existing|current|returning|regular|already a patient|been a patient)\b",
                r"\b(been (there|here|in|coming|to see you)|seen (there|here|you))\b",
            ),
        },
        yes="existing",
        no="new",
    ),
    Field(
        name="insurance",
        description="the caller's dental insurance carrier, or none",
        kind="carrier",
        question="Do you have dental insurance? If so, who is it with?",
    ),
    Field(
        name="reason",
        description="why the caller wants to be seen, in their words",
        question="And what's the reason for your visit?",
        cues=(
            rf"(?P<value>{_BROKEN} (a |my |the |out )?(front |back )?{_TOOTH})",
            rf"(?P<value>{_TOOTH} (got |gets |was |is |has )?{_BROKEN})",
            r"(?P<value>tooth ?ache|teeth ?ache|swollen( (face|cheek|gums?|jaw))?|swelling|abscess\w*)",
            r"(?P<value>bleeding( gums)?)",
            r"(?P<value>(severe |bad |a lot of |terrible |sharp )?pain)",
            r"(?P<value>cleaning|check ?up|exam|whitening|filling|crown|root canal)",
        ),
    ),
)

SCORING = (
    EmergencyPoints(worth=40),
    IntentPoints(table={"new_patient": 15}),
    ValuePoints(field="patient_status", table={"new": 25, "existing": 15}),
    KnownPoints(field="insurance", worth=20),
    ValuePoints(field="insurance", table={"none": 10}),
    KnownPoints(field="reason", worth=10),
)

INSTRUCTIONS = {
    "knocked_out": (
        "If you have the tooth, hold it by the top, not the root, and keep it moist in a little milk."
    ),
    "swelling": ("If the swelling is making it hard to breathe or swallow, please hang up and call 911."),
}


def find_emergency(intent: str | None, values: Mapping[str, Any]) -> str | None:
    """The kind of emergency the reason describes; any emergency intent is one."""
    reason = normalise(str(values.get("reason") or ""))
    for kind, pattern in SYMPTOMS.items():
        if re.search(pattern, reason):
            return kind
    return "dental_emergency" if intent == "emergency" else None


def route(lead: LeadFacts, config: Config) -> list[LeadRoute]:
    """An emergency to a slot today, else the on-call dentist; anyone else books a visit."""
    if lead.emergency:
        why = f"emergency:{lead.emergency}"
        on_call = dial(config.on_call_number, ON_CALL, why)
        if not lead.open_now:
            return routes(on_call, message(why))
        return routes(
            same_day(config.emergency_service, why),
            on_call,
            transfer(None, "our front desk", why),
            message(why),
        )
    service = config.new_patient_service if lead.fields.get("patient_status") == "new" else None
    return routes(book(service, lead.intent or "appointment"), message(lead.intent or "appointment"))


def dental_workflow() -> IndustryWorkflow:
    return IndustryWorkflow(
        name=NAME,
        description="a dental practice: new patients, insurance, and same-day care for emergencies",
        intents=INTENTS,
        fields=FIELDS,
        scoring=SCORING,
        router=route,
        config_type=Config,
        knowledge=KNOWLEDGE,
        emergency=find_emergency,
        instructions=INSTRUCTIONS,
    )

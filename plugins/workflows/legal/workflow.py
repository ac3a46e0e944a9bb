"""The legal workflow: practice area, opposing party (for the conflict check) and urgency; a consultation."""

from __future__ import annotations

from core import ConfigFieldError, LeadRoute
from plugins.workflows.config import WorkflowConfig
from plugins.workflows.fields import Field
from plugins.workflows.legal.knowledge import KNOWLEDGE
from plugins.workflows.routing import LeadFacts, book, message, routes, transfer
from plugins.workflows.scoring import IntentPoints, KnownPoints, ValuePoints
from plugins.workflows.workflow import IndustryWorkflow, Intent

NAME = "legal"

# Practice areas and what callers say about them, most specific first ("my employer" before "contract").
PRACTICE_AREAS: dict[str, tuple[str, ...]] = {
    "family": (
        r"\b(divorc\w*|custody|child support|alimony|separation|separated|adoption|adopt|prenup\w*|"
        r"family law|visitation)\b",
    ),
    "criminal": (
        r"\b(arrest\w*|charged|charges|dui|dwi|criminal|assault|theft|drugs?|probation|warrant|felony|"
        r"misdemeanor|jail)\b",
    ),
    "immigration": (r"\b(visa|green card|immigration|deport\w*|citizenship|asylum|daca)\b",),
    "employment": (
        r"\b(fired|wrongful termination|discriminat\w*|harass\w*|unpaid wages|overtime|my employer|my boss|"
        r"workplace)\b",
    ),
    "estate": (
        r"\b((a|my|living|last) will|wills|trusts?|estate|probate|inheritance|power of attorney|executor)\b",
    ),
    "real_estate": (r"\b(real estate|landlord|evict\w*|lease|closing|property line|title|hoa)\b",),
    "personal_injury": (
        r"\b(accident|injur\w*|slip(ped)? and fell|crash|malpractice|dog bite|personal injury|whiplash)\b",
    ),
    "business": (r"\b(business|contract|llc|partnership|corporation|incorporat\w*|trademark|startup)\b",),
}
_STOP = r"(?:for|because|over|about|who|that|and|after|since|in|on|at|with|last|this|next|to|from|but|so)"
_PARTY_WORD = rf"(?:(?!{_STOP}\b)[a-z][a-z'&.-]*)"


class Config(WorkflowConfig, kw_only=True, forbid_unknown_fields=True):
    # Hot: an urgent matter whose conflict check is done (urgency, area and other party known).
    hot_score: int = 80
    # The practice areas the firm takes; empty: all of them. Others are taken as a message.
    practice_areas: list[str] = []
    # The routing plugin's department an urgent matter is put through to (None: its main number).
    urgent_department: str | None = None
    # The calendar service a consultation books.
    consultation_service: str = "consultation"

    def __post_init__(self) -> None:
        super().__post_init__()
        for index, area in enumerate(self.practice_areas):
            if area not in PRACTICE_AREAS:
                raise ConfigFieldError(f"practice_areas[{index}]", f"use one of {', '.join(PRACTICE_AREAS)}")


INTENTS = (
    Intent(
        name="consultation",
        description="a new legal matter: the caller wants a lawyer or a consultation",
        acknowledgement="I can help you set up a consultation with one of our attorneys.",
        patterns=(
            (r"\b(lawyer|attorney|legal (help|advice|matter|issue|problem|question)|law firm)\b", 3.5),
            (r"\bconsult(ation)?\b", 3.5),
            (r"\b(sue|suing|sued|lawsuit)\b", 3.5),
            (
                r"\b(divorce|custody|arrested|charged with|dui|dwi|car accident|wrongful\w* (termination|"
                r"terminated|fired)|evicted|eviction|probate|green card)\b",
                3.0,
            ),
        ),
    ),
)

FIELDS = (
    Field(
        name="practice_area",
        description="the area of law the matter is in",
        kind="choice",
        question=(
            "What is your legal matter about? For example a divorce, an accident, a criminal charge, a will."
        ),
        synonyms=PRACTICE_AREAS,
    ),
    Field(
        name="opposing_party",
        description="the other party in the matter (person or company), for the conflict check; none if none",
        question=(
            "So we can check for conflicts of interest, who is the other party involved, if there is one?"
        ),
        cues=(
            rf"\b(?:against|suing|sue|sued by|versus|vs|divorcing|divorce from)\s+"
            rf"(?P<value>(?:my |the |a |an )?{_PARTY_WORD}(?: {_PARTY_WORD}){{0,3}})",
        ),
    ),
    Field(
        name="urgency",
        description="urgent when a court date or deadline is coming up soon, else normal",
        kind="choice",
        question="Do you have a court date or a deadline coming up soon?",
        synonyms={
            "normal": (
                r"\b(no (court date|deadline|hearing|rush|hurry|dates?)|not urgent|nothing scheduled)\b",
            ),
            "urgent": (
                r"\b(court date|hearing|arraignment|trial|deadline|due (date|by)|arrested|in jail|served|"
                r"summons|statute of limitations|urgent|emergency|asap|right away)\b",
            ),
        },
        yes="urgent",
        no="normal",
    ),
)

SCORING = (
    IntentPoints(table={"consultation": 10}),
    KnownPoints(field="practice_area", worth=25),
    KnownPoints(field="opposing_party", worth=15),
    ValuePoints(field="opposing_party", table={"none": 15}),
    ValuePoints(field="urgency", table={"urgent": 35, "normal": 10}),
)


def route(lead: LeadFacts, config: Config) -> list[LeadRoute]:
    """Matters outside the firm's areas as messages; urgent ones to an attorney now; others a consultation."""
    area = lead.fields.get("practice_area")
    if config.practice_areas and isinstance(area, str) and area not in config.practice_areas:
        return [message("outside_practice_areas")]
    service = config.consultation_service
    if lead.hot:
        return routes(
            transfer(config.urgent_department, "an attorney", "urgent_matter"),
            book(service, "urgent_matter"),
            message("urgent_matter"),
        )
    return routes(book(service, "consultation"), message("consultation"))


def legal_workflow() -> IndustryWorkflow:
    return IndustryWorkflow(
        name=NAME,
        description="a law firm: new matters by practice area, conflict checks, consultations",
        intents=INTENTS,
        fields=FIELDS,
        scoring=SCORING,
        router=route,
        config_type=Config,
        knowledge=KNOWLEDGE,
    )

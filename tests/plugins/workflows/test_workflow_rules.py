"""Scoring and routing rules, and what ``IndustryWorkflow`` does with them."""

from __future__ import annotations

from datetime import UTC, datetime

from core import CallContext, LeadRoute, TenantIdentity
from plugins.workflows.config import WorkflowConfig
from plugins.workflows.fields import Field
from plugins.workflows.routing import LeadFacts, alert, book, dial, message, routes, transfer
from plugins.workflows.scoring import (
    AmountPoints,
    EmergencyPoints,
    IntentPoints,
    KnownPoints,
    RatioPoints,
    ValuePoints,
    score,
)
from plugins.workflows.workflow import IndustryWorkflow, Intent


def facts(intent: str | None = "refinance", emergency: str | None = None, **fields: object) -> LeadFacts:
    return LeadFacts(intent=intent, fields=dict(fields), emergency=emergency)


def test_each_rule_gives_its_points() -> None:
    lead = facts(credit_band="good", loan_amount=300_000, property_value=400_000, timeline=None)
    assert IntentPoints(table={"refinance": 10}).points(lead) == 10
    assert ValuePoints(field="credit_band", table={"good": 18}).points(lead) == 18
    assert AmountPoints(field="loan_amount", tiers=((500_000, 15), (250_000, 12))).points(lead) == 12
    assert (
        RatioPoints(part="loan_amount", whole="property_value", tiers=((0.8, 15), (0.9, 8))).points(lead)
        == 15
    )
    down = RatioPoints(part="loan_amount", whole="property_value", tiers=((0.8, 5),), at_most=False)
    assert down.points(lead) == 0  # 0.75 is below the 0.8 floor
    assert KnownPoints(field="credit_band", worth=7).points(lead) == 7
    assert KnownPoints(field="timeline", worth=7).points(lead) == 0  # asked, not known
    assert EmergencyPoints(worth=40).points(facts(emergency="gas_smell")) == 40


def test_a_score_is_the_sum_kept_within_0_and_100_and_rules_keep_to_their_intents() -> None:
    rules = (
        IntentPoints(table={"refinance": 60}),
        KnownPoints(field="credit_band", worth=60),
        KnownPoints(field="credit_band", worth=30, intents=("purchase",)),
    )
    assert score(rules, facts(credit_band="good")) == 100
    assert score(rules, facts(intent="purchase")) == 0
    assert score(rules, facts(intent="purchase", credit_band="good")) == 90


def test_routes_leave_out_what_the_tenant_has_no_number_for() -> None:
    assert routes(dial(None, "x", "r"), alert(None, "x", "r"), message("r")) == [
        LeadRoute(action="message", reason="r")
    ]
    assert routes(
        transfer("sales", "sales", "hot"), dial("+15550001111", "on call", "hot"), book("visit", "r")
    ) == [
        LeadRoute(action="transfer", department="sales", who="sales", reason="hot"),
        LeadRoute(action="transfer", number="+15550001111", who="on call", reason="hot"),
        LeadRoute(action="book", service="visit", reason="r"),
    ]


class PetConfig(WorkflowConfig, kw_only=True, forbid_unknown_fields=True):
    sitter_number: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.check_number("sitter_number")


def pet_routes(lead: LeadFacts, config: PetConfig) -> list[LeadRoute]:
    if lead.emergency:
        return routes(
            dial(config.sitter_number, "the sitter", f"emergency:{lead.emergency}"), message("emergency")
        )
    return [book("walk", "walk" if lead.hot else "maybe")]


PETS = IndustryWorkflow(
    name="pets",
    description="a dog walker",
    intents=(
        Intent(name="walk", description="a walk", patterns=((r"\bwalk\b", 3.0),)),
        Intent(name="lost", description="a lost dog", patterns=((r"\b(lost|ran away)\b", 5.0),)),
    ),
    fields=(
        Field(name="budget", description="per walk", kind="amount", question="What budget per walk?"),
        Field(name="address", description="where", kind="address", question="Where?", urgent=True),
        Field(
            name="weekly", description="every week", kind="yes_no", question="Every week?", intents=("walk",)
        ),
    ),
    scoring=(
        IntentPoints(table={"walk": 40}),
        ValuePoints(field="weekly", table={True: 40}),
        EmergencyPoints(worth=90),
    ),
    router=pet_routes,
    config_type=PetConfig,
    emergency=lambda intent, values: "lost_dog" if intent == "lost" else None,
    instructions={"lost_dog": "Check the park first."},
)


def pet_call(**config: object) -> CallContext:
    tenant = TenantIdentity(id="t", slug="paws", name="Paws")
    return CallContext(
        call_sid="CA1",
        tenant=tenant,
        caller="+15550002222",
        called="+15550003333",
        language="en-US",
        now=datetime(2026, 3, 2, 15, tzinfo=UTC),
        plugin_configs={"pets": PetConfig(**config)},
    )


def test_read_weighs_intents_and_reads_the_asked_field_leniently() -> None:
    first = PETS.read("My dog ran away from 12 Elm Street")
    assert (first.intent, first.evidence, first.fields) == ("lost", 5.0, {"address": "12 Elm Street"})
    assert PETS.read("twenty", expecting="budget").fields == {"budget": 20}
    assert PETS.read("twenty").fields == {}
    assert PETS.read("no idea", expecting="budget").fields == {"budget": None}
    assert PETS.read("hello").intent is None


def test_a_lead_is_routed_once_nothing_is_left_to_ask_or_it_is_hot() -> None:
    call = pet_call()
    asking = PETS.assess(call, "walk", {"budget": "$20"})
    assert (asking.fields, asking.score, asking.missing, asking.routes) == (
        {"budget": 20},
        40,
        ["address", "weekly"],
        [],
    )
    hot = PETS.assess(call, "walk", {"weekly": "yes"})
    assert (hot.score, hot.hot, hot.missing) == (80, True, ["budget", "address"])
    assert hot.routes == [LeadRoute(action="book", service="walk", reason="walk")]
    done = PETS.assess(call, "walk", {"budget": 25, "address": "12 Elm Street", "weekly": False})
    assert (done.hot, done.missing, done.routes) == (
        False,
        [],
        [LeadRoute(action="book", service="walk", reason="maybe")],
    )
    assert done.summary == "walk; budget $25; address 12 Elm Street; weekly no"


def test_an_emergency_waits_only_for_its_urgent_fields_and_says_what_to_do() -> None:
    call = pet_call(sitter_number="+1 555 000 4444")
    waiting = PETS.assess(call, "lost", {})
    assert (waiting.emergency, waiting.missing, waiting.routes) == ("lost_dog", ["address"], [])
    assert waiting.instructions == "Check the park first."
    ready = PETS.assess(call, "lost", {"address": "12 Elm Street"})
    assert ready.routes == [
        LeadRoute(action="transfer", number="+15550004444", who="the sitter", reason="emergency:lost_dog"),
        LeadRoute(action="message", reason="emergency"),
    ]


def test_intents_the_workflow_does_not_know_are_scored_but_never_routed() -> None:
    assessment = PETS.assess(pet_call(), "book_appointment", {"budget": 30, "address": "1 A Street"})
    assert (assessment.score, assessment.missing, assessment.routes) == (0, [], [])


def test_description_for_models() -> None:
    assert PETS.qualification_fields == ["budget", "address", "weekly"]
    weekly = PETS.field("weekly")
    assert weekly is not None and (weekly.kind, weekly.intents, weekly.question) == (
        "yes_no",
        ["walk"],
        "Every week?",
    )
    assert [intent.name for intent in PETS.intents] == ["walk", "lost"]

"""Answers read out of speech: amounts, credit, timelines, yes/no, choices, carriers, addresses, free text."""

from __future__ import annotations

import re

import pytest

from plugins.workflows import extract
from plugins.workflows.fields import NOT_SAID, Field
from plugins.workflows.words import normalise

BORROW = re.compile(r"\b(borrow|loan)\b")


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("four hundred thousand", 400_000),
        ("$400k", 400_000),
        ("400,000", 400_000),
        ("about 400", 400_000),  # a bare small number to a question about a loan is in thousands
        ("1.2 million", 1_200_000),
        ("20 percent", "20%"),
        ("I'm not sure", None),
    ],
)
def test_an_amount_answering_its_question(said: str, expected: object) -> None:
    assert extract.amount(normalise(said), lenient=True, thousands_below=10_000) == expected


def test_an_amount_said_in_passing_needs_money_words_and_its_cue() -> None:
    said = normalise("I'd like to borrow 300k and the house is worth 650 thousand")
    assert extract.amount(said, lenient=False, cues=BORROW) == 300_000
    worth = re.compile(r"\bworth\b")
    assert extract.amount(said, lenient=False, cues=worth) == 650_000
    assert extract.amount(normalise("we have 3 kids and want to borrow"), lenient=False, cues=BORROW) is None


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("around 720", "good"),
        ("it's about seven sixty", "excellent"),
        ("620", "fair"),
        ("550 I think", "poor"),
        ("excellent", "excellent"),
        ("very good", "excellent"),
        ("pretty good", "good"),
        ("not bad", "fair"),
        ("not good at all", "poor"),
        ("no idea", None),
    ],
)
def test_credit_bands_from_words_or_scores(said: str, band: str | None) -> None:
    assert extract.credit(normalise(said), lenient=True) == band


def test_credit_in_passing_needs_the_word_credit() -> None:
    assert extract.credit(normalise("my credit is great"), lenient=False) == "excellent"
    assert extract.credit(normalise("the house is great"), lenient=False) is None


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("as soon as possible", "asap"),
        ("asap", "asap"),
        ("within 2 weeks", "asap"),
        ("in 3 months", "within_3_months"),
        ("next month", "within_3_months"),
        ("a couple of months", "within_3_months"),
        ("in about six months", "within_6_months"),
        ("next year", "later"),
        ("no rush", "later"),
        ("just looking", "undecided"),
    ],
)
def test_timelines(said: str, timeline: str) -> None:
    assert extract.timeline(normalise(said), lenient=True) == timeline


def test_a_vague_timeline_counts_only_as_an_answer() -> None:
    assert extract.timeline(normalise("now"), lenient=True) == "asap"
    assert extract.timeline(normalise("now"), lenient=False) is None
    assert extract.timeline(normalise("just looking"), lenient=False) is None


@pytest.mark.parametrize(
    ("said", "answer"),
    [("yes we do", True), ("yeah", True), ("no, not yet", False), ("nope", False), ("maybe", None)],
)
def test_yes_or_no(said: str, answer: bool | None) -> None:
    assert extract.yes_no(normalise(said)) is answer


@pytest.mark.parametrize(
    ("said", "address"),
    [
        ("It's 42 Oak Lane, Springfield", "42 Oak Lane, Springfield"),
        (
            "the address is 1200 West Main Street, Apt 4B, Austin, TX 78701",
            "1200 West Main Street, Apt 4B, Austin, TX 78701",
        ),
        ("42 Oak Lane, Springfield and please hurry", "42 Oak Lane, Springfield"),
        ("I'm at 9 Elm St.", "9 Elm St"),
    ],
)
def test_street_addresses(said: str, address: str) -> None:
    assert extract.address(said, lenient=False) == address


def test_an_address_without_a_street_type_counts_only_as_an_answer() -> None:
    assert extract.address("it's unit 4 at the Maple apartments", lenient=False) is None
    assert extract.address("unit 4 at the Maple apartments", lenient=True) == "unit 4 at the Maple apartments"
    assert extract.address("somewhere downtown", lenient=True) is None


def test_not_knowing() -> None:
    assert extract.unsure(normalise("I'm not sure"))
    assert extract.unsure(normalise("I'd rather not say"))
    assert not extract.unsure(normalise("about 400"))


def test_carriers_are_named_the_way_callers_say_them() -> None:
    insurance = Field(name="insurance", description="carrier", kind="carrier", question="Insurance?")
    assert insurance.read(normalise("I have Delta"), "I have Delta", lenient=False) == "Delta Dental"
    assert insurance.read(normalise("met life"), "met life", lenient=False) == "MetLife"
    assert insurance.read(normalise("I don't have insurance"), "", lenient=False) == "none"
    assert insurance.read(normalise("no"), "no", lenient=True) == "none"
    assert insurance.read(normalise("no"), "no", lenient=False) is NOT_SAID
    assert "Delta Dental" in insurance.describe().choices


def test_a_choice_answers_yes_or_no_when_the_question_allows() -> None:
    status = Field(
        name="patient_status",
        description="new or existing",
        kind="choice",
        question="Have you been to see us before?",
        synonyms={"new": (r"\bnew patient\b",), "existing": (r"\bbeen (here|there) before\b",)},
        yes="existing",
        no="new",
    )
    assert status.read("yes", "yes", lenient=True) == "existing"
    assert status.read("no", "no", lenient=True) == "new"
    assert status.read("im a new patient", "I'm a new patient", lenient=False) == "new"
    assert status.clean(True) == "existing"


def test_text_fields_take_a_cue_as_said_or_the_whole_answer() -> None:
    party = Field(
        name="opposing_party",
        description="the other side",
        question="Who is the other party?",
        cues=(r"\bagainst (?P<value>[a-z]+ [a-z]+)",),
    )
    said = "I want to file against Acme Roofing"
    assert party.read(normalise(said), said, lenient=False) == "Acme Roofing"
    assert party.read("my ex husband", "Um, my ex husband", lenient=True) == "my ex husband"
    assert party.read("no one", "No one", lenient=True) == "none"


def test_values_a_model_passes_are_stored_like_spoken_ones() -> None:
    loan = Field(name="loan_amount", description="loan", kind="amount", thousands_below=10_000)
    credit = Field(name="credit_band", description="credit", kind="credit")
    timeline = Field(name="timeline", description="when", kind="timeline")
    assert [loan.clean("$400k"), loan.clean(400000.0), loan.clean("lots"), loan.clean(None)] == [
        400_000,
        400_000,
        "lots",
        None,
    ]
    assert [credit.clean(720), credit.clean("Excellent"), credit.clean("around 650")] == [
        "good",
        "excellent",
        "fair",
    ]
    assert [timeline.clean("ASAP"), timeline.clean("in 3 months")] == ["asap", "within_3_months"]
    assert [loan.spoken(400_000), credit.spoken("excellent"), timeline.spoken("within_3_months")] == [
        "$400,000",
        "excellent",
        "within 3 months",
    ]

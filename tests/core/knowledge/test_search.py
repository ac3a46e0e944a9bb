"""BM25 ranking of knowledge entries: paraphrases find their entry, unrelated questions score low."""

from __future__ import annotations

import pytest

from core.knowledge.search import KnowledgeDoc, analyze, rank, stem

ENTRIES = [
    KnowledgeDoc(
        id="insurance",
        question="Do you accept insurance?",
        answer="We accept most PPO plans, including Delta Dental, Cigna, MetLife and Aetna.",
        tags=["insurance", "delta", "ppo"],
    ),
    KnowledgeDoc(
        id="parking",
        question="Where can I park?",
        answer="Free parking is available in the lot behind the building.",
        tags=["parking"],
    ),
    KnowledgeDoc(
        id="cleaning-price",
        question="How much does a cleaning cost?",
        answer="A standard cleaning costs 120 dollars without insurance.",
        tags=["price", "cleaning"],
    ),
    KnowledgeDoc(
        id="children",
        question="Do you see children?",
        answer="Yes, we see patients of all ages, including kids from age three.",
        tags=["kids", "pediatric"],
    ),
    KnowledgeDoc(
        id="emergencies",
        question="What should I do in a dental emergency?",
        answer="Call us right away; we keep time every day for emergencies.",
        tags=["emergency", "pain"],
    ),
]
THRESHOLD = 0.35


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("do you take my Delta insurance", "insurance"),
        ("is my dental plan covered", "insurance"),
        ("do you accept Cigna", "insurance"),
        ("where do I park my car", "parking"),
        ("what's the price of a teeth cleaning", "cleaning-price"),
        ("how much do you charge for cleanings", "cleaning-price"),
        ("can my kids come to you", "children"),
        ("I have a dental emergency, I'm in pain", "emergencies"),
    ],
)
def test_paraphrased_questions_find_their_entry(query, expected):
    (best, score), *_ = rank(query, ENTRIES)
    assert best.id == expected
    assert score >= THRESHOLD


@pytest.mark.parametrize("query", ["what is the weather on mars", "do you sell used cars", "tell me a joke"])
def test_unrelated_questions_score_low(query):
    ranked = rank(query, ENTRIES)
    assert all(score < THRESHOLD for _, score in ranked)


def test_scores_are_normalised_and_sorted():
    ranked = rank("insurance parking price", ENTRIES, limit=5)
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)


def test_an_exact_question_scores_higher_than_a_loose_paraphrase():
    exact = rank("Do you accept insurance?", ENTRIES)[0]
    loose = rank("I was wondering about plans", ENTRIES)[0]
    assert exact[0].id == loose[0].id == "insurance"
    assert exact[1] > loose[1]


def test_the_question_field_outweighs_the_answer():
    entries = [
        KnowledgeDoc(id="in-answer", question="Payment options", answer="We also validate parking tickets."),
        KnowledgeDoc(id="in-question", question="Is there parking?", answer="Yes, behind the building."),
    ]
    assert [doc.id for doc, _ in rank("parking", entries)] == ["in-question", "in-answer"]


def test_limit_and_empty_inputs():
    assert len(rank("insurance cleaning parking kids emergency", ENTRIES, limit=2)) == 2
    assert rank("", ENTRIES) == []
    assert rank("the and of", ENTRIES) == []  # only stopwords
    assert rank("insurance", []) == []


def test_analysis_folds_plurals_synonyms_and_stopwords():
    assert stem("cleanings") == stem("cleaning") == "clean"
    assert stem("insurances") == stem("insurance")
    assert analyze("What does it cost?") == analyze("price") == ["pric"]
    assert analyze("Do you accept Delta?") == ["take", "delta"]


def test_a_question_about_a_subject_no_entry_mentions_is_not_answered_by_a_generic_match() -> None:
    """The only pricing entry is about cleanings: it must not answer what whitening costs."""
    entries = [
        KnowledgeDoc(
            id="price",
            question="How much does a cleaning cost without insurance?",
            answer="A routine cleaning with an exam is $145.",
            tags=["pricing", "cleaning"],
        ),
        KnowledgeDoc(
            id="plans",
            question="Do you offer payment plans?",
            answer="Yes, through CareCredit.",
            tags=["billing"],
        ),
    ]
    assert rank("what does whitening cost", entries) == []
    assert rank("price of a crown", entries) == []
    assert [doc.id for doc, _ in rank("how much is a cleaning", entries)][:1] == ["price"]
    assert [doc.id for doc, _ in rank("what are your prices", entries)][:1] == ["price"]
    assert [doc.id for doc, _ in rank("do you offer payment plans", entries)][:1] == ["plans"]

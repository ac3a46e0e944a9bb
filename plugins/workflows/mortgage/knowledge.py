"""Starter knowledge for mortgage brokers: what most callers ask before their first application."""

from __future__ import annotations

from core import KnowledgeItem

KNOWLEDGE = (
    KnowledgeItem(
        question="What documents do I need to get pre-approved?",
        answer=(
            "Usually your last two pay stubs, two years of W-2s or tax returns, two months of bank "
            "statements, a photo ID, and permission to check your credit."
        ),
        tags=["pre-approval", "documents"],
    ),
    KnowledgeItem(
        question="What is the difference between the interest rate and the APR?",
        answer=(
            "The rate is what you pay to borrow the money; the APR adds the loan's fees and points, "
            "so it is the better number for comparing offers."
        ),
        tags=["rates", "apr"],
    ),
    KnowledgeItem(
        question="What is PMI and how do I avoid it?",
        answer=(
            "Private mortgage insurance protects the lender when you put down less than 20 percent on a "
            "conventional loan. Putting 20 percent down avoids it, and it can be removed once you reach "
            "20 percent equity."
        ),
        tags=["pmi", "down payment"],
    ),
    KnowledgeItem(
        question="How long does it take to close a mortgage?",
        answer="Most purchases and refinances close in 30 to 45 days from application.",
        tags=["closing", "timeline"],
    ),
    KnowledgeItem(
        question="What is a rate lock?",
        answer=(
            "A rate lock holds your interest rate for a set time, usually 30 to 60 days, while your loan "
            "is processed, so a market move does not change it."
        ),
        tags=["rates", "rate lock"],
    ),
    KnowledgeItem(
        question="Does checking my rate hurt my credit?",
        answer=(
            "A pre-approval needs a credit check, but mortgage checks made within 45 days count as one "
            "inquiry, so shopping around costs you almost nothing."
        ),
        tags=["credit"],
    ),
)

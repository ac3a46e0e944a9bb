"""Starter knowledge for law firms: consultations, confidentiality, conflict checks."""

from __future__ import annotations

from core import KnowledgeItem

KNOWLEDGE = (
    KnowledgeItem(
        question="Is what I tell you confidential?",
        answer=(
            "Yes. What you share to get legal advice is kept confidential, even before you hire the firm. "
            "We only ask for the other party's name first, to make sure we can take your case."
        ),
        tags=["confidential", "privacy"],
    ),
    KnowledgeItem(
        question="What is a conflict check?",
        answer=(
            "Before an attorney discusses your matter, the firm checks that it has never represented the "
            "other side. That is why we ask who the other party is."
        ),
        tags=["conflict check"],
    ),
    KnowledgeItem(
        question="What should I bring to my consultation?",
        answer=(
            "Bring any papers about your matter: letters, contracts, court notices, police or accident "
            "reports, and a short timeline of what happened."
        ),
        tags=["consultation", "documents"],
    ),
    KnowledgeItem(
        question="How much does a consultation cost?",
        answer=(
            "It depends on the kind of case; many matters start with a short consultation at low or no "
            "cost. We will tell you the fee before booking."
        ),
        tags=["fees", "price", "consultation"],
    ),
    KnowledgeItem(
        question="I have a court date soon. What should I do?",
        answer=(
            "Tell us the date right away so an attorney can review your case in time, and don't miss the "
            "hearing: ask the court for a continuance if you need one."
        ),
        tags=["court", "deadline", "urgent"],
    ),
)

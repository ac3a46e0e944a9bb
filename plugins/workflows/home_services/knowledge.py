"""Starter knowledge for home services: emergencies, estimates, visits."""

from __future__ import annotations

from core import KnowledgeItem

KNOWLEDGE = (
    KnowledgeItem(
        question="What should I do if I smell gas?",
        answer=(
            "Leave the house right away without switching anything on or off, and once you're outside call "
            "your gas company's emergency line or 911. Then call us and we'll send the on-call technician."
        ),
        tags=["gas", "emergency", "safety"],
    ),
    KnowledgeItem(
        question="What should I do if a pipe bursts?",
        answer=(
            "Turn off the main water valve, usually where the water line enters the house, keep away from "
            "outlets near the water, and call us: flooding is an emergency we answer at any hour."
        ),
        tags=["flooding", "burst pipe", "emergency"],
    ),
    KnowledgeItem(
        question="Do you offer emergency service?",
        answer=(
            "Yes. Gas smells, flooding, no heat, and sparking or lost power go straight to our on-call "
            "technician, day or night."
        ),
        tags=["emergency", "after hours"],
    ),
    KnowledgeItem(
        question="Do you give free estimates?",
        answer=(
            "We give a written estimate before any work starts. For installations and replacements the "
            "estimate visit is usually free."
        ),
        tags=["estimate", "price", "quote"],
    ),
    KnowledgeItem(
        question="How soon can a technician come out?",
        answer=(
            "Emergencies are dispatched right away; other jobs are usually scheduled within one to three "
            "business days."
        ),
        tags=["scheduling", "visit"],
    ),
)

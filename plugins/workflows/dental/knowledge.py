"""Starter knowledge for dental practices: emergencies, first visits, cleanings."""

from __future__ import annotations

from core import KnowledgeItem

KNOWLEDGE = (
    KnowledgeItem(
        question="What counts as a dental emergency?",
        answer=(
            "Severe tooth pain, swelling in your face or gums, a knocked-out or broken tooth, and bleeding "
            "that won't stop all need care the same day. Call us and we will fit you in or reach the "
            "dentist on call."
        ),
        tags=["emergency"],
    ),
    KnowledgeItem(
        question="What should I do if a tooth gets knocked out?",
        answer=(
            "Pick it up by the top, not the root, rinse it gently without scrubbing, and keep it moist in "
            "milk or inside your cheek. A dentist has the best chance of saving it within an hour."
        ),
        tags=["emergency", "knocked out"],
    ),
    KnowledgeItem(
        question="What happens at a first visit?",
        answer=(
            "A first visit usually includes a full exam, any x-rays you need and a cleaning, and takes "
            "about an hour. Please bring your insurance card and a photo ID."
        ),
        tags=["new patient", "first visit"],
    ),
    KnowledgeItem(
        question="How often should I get a cleaning?",
        answer="Most people should have a cleaning and checkup every six months.",
        tags=["cleaning", "checkup"],
    ),
    KnowledgeItem(
        question="Can I be seen without dental insurance?",
        answer=(
            "Yes. Patients without insurance pay at the visit, and we are happy to give you an estimate "
            "before any treatment."
        ),
        tags=["insurance", "self pay"],
    ),
)

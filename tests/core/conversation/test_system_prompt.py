"""The hosted models' system prompt: identity, local time, language, workflow, knowledge, tenant script."""

from __future__ import annotations

from datetime import UTC, datetime

from core import CallContext, LeadAssessment, TenantIdentity, Workflow, WorkflowField, WorkflowIntent
from core.context import CallerProfile, KnowledgeSnippet
from core.conversation.prompt import system_prompt


class Intake(Workflow):
    def assess(self, call, intent, fields) -> LeadAssessment:
        return LeadAssessment(fields=dict(fields), score=0)


DENTAL = Intake(
    name="dental",
    description="new patients and emergencies",
    intents=[WorkflowIntent(name="emergency", description="pain or a broken tooth")],
    fields=[WorkflowField(name="insurance", description="carrier", question="Who is your insurance with?")],
)

TENANT = TenantIdentity(
    id="t-1",
    slug="sunny",
    name="Sunny Dental",
    timezone="America/Chicago",
    languages=["en-US", "es-US"],
    business={
        "hours": {"mon": [["08:00", "17:00"]], "sat": [["09:00", "12:00"]]},
        "address": "4 Oak Ave",
        "services": ["cleaning", "whitening"],
    },
)


def call(**overrides) -> CallContext:
    fields = {
        "call_sid": "CA1",
        "tenant": TENANT,
        "caller": "+15550001111",
        "called": "+15550002222",
        "language": "es-US",
        # Monday, March 2, 2026, 15:30 UTC = 9:30 AM in Chicago (CST, UTC-06:00).
        "now": datetime(2026, 3, 2, 15, 30, tzinfo=UTC),
    }
    return CallContext(**(fields | overrides))


def test_says_who_the_business_is_and_the_local_time_and_hours():
    prompt = system_prompt(call())

    assert prompt.startswith("You are the receptionist of Sunny Dental")
    assert (
        "It is now Monday, March 2, 2026, 9:30 AM (2026-03-02, timezone America/Chicago, UTC-06:00)."
        in prompt
    )
    assert "Business hours: Monday 08:00-17:00; Tuesday closed;" in prompt
    assert "Saturday 09:00-12:00; Sunday closed. The business is open now." in prompt
    assert "Address: 4 Oak Ave." in prompt and "Services: cleaning, whitening." in prompt


def test_asks_for_the_callers_language_and_spoken_style():
    prompt = system_prompt(call())

    assert "The caller speaks Spanish (es-US): always reply in Spanish" in prompt
    assert "The business serves callers in English, Spanish." in prompt
    assert "everything you write is spoken aloud" in prompt
    assert "spoken aloud" not in system_prompt(call(channel="sms"))


def test_names_only_known_contacts():
    known = system_prompt(call(caller_profile=CallerProfile(known=True, name="Ana", vip=True)))
    claimed = system_prompt(call(caller_profile=CallerProfile(known=False, name="Ana")))

    assert "They are Ana, a known contact of the business. They are a VIP" in known
    assert "Ana" not in claimed


def test_carries_the_workflow_and_the_turns_knowledge():
    snippets = [KnowledgeSnippet(question="Is there parking?", answer="Free parking behind the building.")]
    prompt = system_prompt(call(workflow=DENTAL, knowledge=snippets))

    assert "This business follows the 'dental' intake workflow (new patients and emergencies)." in prompt
    assert "Reasons callers call: emergency: pain or a broken tooth." in prompt
    assert "- insurance: Who is your insurance with?" in prompt
    assert "Call capture_lead as soon as you know why they call" in prompt
    assert "- Q: Is there parking?\n  A: Free parking behind the building." in prompt
    assert "No knowledge entry matches" in system_prompt(call())


def test_renders_the_tenant_script_in_a_sandbox_and_skips_one_that_fails():
    script = "Offer {{ business.services | join(' or ') }}. {% if is_open %}We are open.{% endif %}"
    assert system_prompt(call(), script).endswith(
        "The business's own instructions (follow them unless they contradict the rules above):\n"
        "Offer cleaning or whitening. We are open."
    )
    # Reaching into Python internals is refused by the sandbox; the prompt goes on without it.
    broken = system_prompt(call(), "{{ tenant.__class__.__mro__[1].__subclasses__() }}")
    assert "own instructions" not in broken
    assert broken.startswith("You are the receptionist of Sunny Dental")

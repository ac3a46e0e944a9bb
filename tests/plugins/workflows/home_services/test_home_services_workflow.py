"""The home services workflow's reading, scoring and dispatch, without a call."""

from __future__ import annotations

import pytest

from core import LeadRoute
from plugins.workflows.home_services import Config
from plugins.workflows.home_services.workflow import home_services_workflow
from tests.plugins.workflows.workflow_calls import call_with

HOME = home_services_workflow()
ON_CALL = "+15557000003"


@pytest.mark.parametrize(
    ("said", "intent", "fields"),
    [
        ("my basement is flooding", "emergency", {"emergency": "flooding", "service_type": "plumbing"}),
        ("I smell gas", "emergency", {"emergency": "gas_smell"}),
        (
            "our furnace is out and we have no heat",
            "emergency",
            {"emergency": "no_heat", "service_type": "hvac"},
        ),
        (
            "an outlet is sparking",
            "emergency",
            {"emergency": "electrical_hazard", "service_type": "electrical"},
        ),
        ("I need a new water heater installed", "installation", {"service_type": "plumbing"}),
        ("can you fix my dryer", "repair", {"service_type": "appliance"}),
        ("my roof needs an inspection", "maintenance", {"service_type": "roofing"}),
    ],
)
def test_intents_and_fields(said: str, intent: str, fields: dict[str, str]) -> None:
    reading = HOME.read(said)
    assert (reading.intent, reading.fields) == (intent, fields)


def test_an_emergency_waits_for_the_address_then_goes_on_call_or_by_text() -> None:
    call = call_with("home_services", Config(on_call_number=ON_CALL))
    waiting = HOME.assess(call, "emergency", {"emergency": "electrical_hazard"})
    assert (waiting.missing, waiting.routes) == (["address"], [])
    assert waiting.instructions == (
        "Please stay away from the sparking outlet or panel. If you see smoke or fire, leave and call 911."
    )
    ready = HOME.assess(call, "emergency", {"emergency": "electrical_hazard", "address": "5 Pine Way"})
    why = "emergency:electrical_hazard"
    assert ready.score == 65
    assert ready.routes == [
        LeadRoute(action="transfer", number=ON_CALL, who="our on-call technician", reason=why),
        LeadRoute(action="alert", number=ON_CALL, who="our on-call technician", reason=why),
        LeadRoute(action="transfer", who="our office", reason=why),
        LeadRoute(action="message", reason=why),
    ]
    assert ready.summary == "emergency; emergency electrical hazard; address 5 Pine Way"


def test_a_job_is_scored_and_booked_once_qualified() -> None:
    call = call_with("home_services", Config(visit_service="estimate"))
    fields = {"service_type": "hvac", "address": "5 Pine Way", "urgency": "as soon as possible"}
    assessment = HOME.assess(call, "installation", fields)
    # 20 (installation) + 30 (today) + 15 + 15.
    assert (assessment.score, assessment.hot, assessment.fields["urgency"]) == (80, True, "today")
    assert assessment.routes == [
        LeadRoute(action="book", service="estimate", reason="installation"),
        LeadRoute(action="message", reason="installation"),
    ]

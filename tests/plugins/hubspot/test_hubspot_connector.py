"""The HubSpot connector against an in-memory HubSpot that answers in the CRM v3 wire format."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from core import ConnectorEvent, DeliveryError, TenantIdentity
from core.plugins.config import PluginConfigError, validate_config
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers
from plugins.http_connector import EVENT_NAMES
from plugins.hubspot import HubSpotConnector
from plugins.hubspot.crm import SEARCH_INDEX_DELAY

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
API = "https://api.hubapi.com"
OCCURRED = datetime(2026, 11, 24, 15, 5, 2, tzinfo=UTC)
TENANT = TenantIdentity(
    id="t-bright", slug="bright-smiles", name="Bright Smiles Dental", timezone="America/Chicago"
)
CALLER = "+15551230099"

TRANSCRIPT = [
    {"role": "assistant", "text": "Thanks for calling. How can I help?", "at": "2026-11-24T15:02:11Z"},
    {"role": "caller", "text": "I'd like a cleaning next Tuesday at 3.", "at": "2026-11-24T15:02:19Z"},
]
LEAD = {
    "id": "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "call_id": "0b6f3c2e-5d1a-4c8e-9f21-7a3d2b1c0e9f",
    "call_sid": "CA1f2e3d4c5b6a79880716253443526170",
    "name": "Dana Whitfield",
    "phone": CALLER,
    "intent": "refinance",
    "workflow": "mortgage",
    "fields": {"loan_amount": 320000, "credit_band": "excellent"},
    "score": 86.0,
    "created_at": "2026-11-24T15:04:40Z",
}
CALL = {
    "id": "0b6f3c2e-5d1a-4c8e-9f21-7a3d2b1c0e9f",
    "call_sid": "CA1f2e3d4c5b6a79880716253443526170",
    "from": CALLER,
    "to": "+15559870000",
    "channel": "voice",
    "status": "completed",
    "started_at": "2026-11-24T15:02:11Z",
    "ended_at": "2026-11-24T15:05:02Z",
    "duration_s": 171,
    "language": "en-US",
    "outcome": "booked",
    "summary": "Booked a cleaning for Tuesday at 3 pm.",
    "transcript": TRANSCRIPT,
    "lead": LEAD,
    "appointment_id": "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
    "message_id": None,
    "transferred_to": None,
    "sentiment": 0.4,
    "screening": {"decision": "allow", "reasons": []},
    "experiments": [],
    "recording_url": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    "recording_duration_s": 170,
}
APPOINTMENT = {
    "id": "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
    "call_sid": CALL["call_sid"],
    "start": "2026-12-01T15:00:00Z",
    "end": "2026-12-01T15:30:00Z",
    "service": "cleaning",
    "name": "Dana Whitfield",
    "phone": CALLER,
    "status": "booked",
    "call_id": CALL["id"],
    "resource": "default",
    "notes": "Prefers the afternoon",
    "created_at": "2026-11-24T15:04:51Z",
}
CONTACT_SEARCH = {
    "filterGroups": [
        {"filters": [{"propertyName": "phone", "operator": "EQ", "value": CALLER}]},
        {"filters": [{"propertyName": "mobilephone", "operator": "EQ", "value": CALLER}]},
    ],
    "properties": ["phone", "mobilephone", "firstname", "lastname"],
    "limit": 1,
    "sorts": [{"propertyName": "createdate", "direction": "ASCENDING"}],
}


def to_contact(contact_id: str, type_id: int) -> list[dict[str, Any]]:
    return [
        {
            "to": {"id": contact_id},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
        }
    ]


class FakeHubSpot:
    """HubSpot's CRM objects in memory: search, create and update, with HubSpot's answers and errors."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, dict[str, Any]]] = {
            t: {} for t in ("contacts", "calls", "deals", "notes")
        }
        self.requests: list[httpx.Request] = []
        # (method, path) -> answers given instead of doing the work, in order.
        self.failures: dict[tuple[str, str], list[httpx.Response]] = {}
        # (method, path) -> how many times to do the work and then lose the answer.
        self.lost_answers: dict[tuple[str, str], int] = {}
        self._ids = itertools.count(501)

    def add(self, object_type: str, **properties: str) -> str:
        object_id = str(next(self._ids))
        self.objects[object_type][object_id] = {"properties": properties, "associations": []}
        return object_id

    def fail(self, method: str, path: str, response: httpx.Response) -> None:
        self.failures.setdefault((method, path), []).append(response)

    def sent(self) -> list[tuple[str, str, Any]]:
        return [(r.method, str(r.url), json.loads(r.content)) for r in self.requests]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return httpx.Response(
                401, json=_error("Authentication credentials not found.", "INVALID_AUTHENTICATION")
            )
        key = (request.method, request.url.path)
        if self.failures.get(key):
            return self.failures[key].pop(0)
        response = self._answer(request)
        if self.lost_answers.get(key):
            self.lost_answers[key] -= 1
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        match request.method, request.url.path.split("/")[4:]:
            case "POST", [object_type, "search"]:
                return httpx.Response(200, json=self._search(object_type, body))
            case "POST", [object_type]:
                object_id = self.add(object_type, **body["properties"])
                self.objects[object_type][object_id]["associations"] = body["associations"]
                return httpx.Response(201, json=self._wire(object_type, object_id))
            case "PATCH", [object_type, object_id]:
                self.objects[object_type][object_id]["properties"].update(body["properties"])
                return httpx.Response(200, json=self._wire(object_type, object_id))
        return httpx.Response(404, json=_error("Not found", "OBJECT_NOT_FOUND"))

    def _search(self, object_type: str, body: dict[str, Any]) -> dict[str, Any]:
        def matches(properties: dict[str, str], condition: dict[str, str]) -> bool:
            value = properties.get(condition["propertyName"]) or ""
            if condition["operator"] == "EQ":
                return value.lower() == condition["value"].lower()
            return set(re.findall(r"\w+", condition["value"])) <= set(re.findall(r"\w+", value))

        hits = [
            object_id
            for object_id, stored in self.objects[object_type].items()
            if any(all(matches(stored["properties"], f) for f in g["filters"]) for g in body["filterGroups"])
        ]
        results = [
            self._wire(object_type, object_id, body["properties"]) for object_id in hits[: body["limit"]]
        ]
        return {"total": len(hits), "results": results}

    def _wire(self, object_type: str, object_id: str, wanted: list[str] | None = None) -> dict[str, Any]:
        properties = self.objects[object_type][object_id]["properties"]
        shown = {name: properties.get(name) for name in wanted} if wanted is not None else dict(properties)
        return {
            "id": object_id,
            "properties": {**shown, "hs_object_id": object_id},
            "createdAt": "2026-11-24T15:05:03.512Z",
            "updatedAt": "2026-11-24T15:05:03.512Z",
            "archived": False,
        }


def _error(message: str, category: str) -> dict[str, str]:
    return {
        "status": "error",
        "message": message,
        "correlationId": "8a2f6a32-0c43-4bd0-b0b2",
        "category": category,
    }


@pytest.fixture
def hubspot() -> FakeHubSpot:
    return FakeHubSpot()


@pytest.fixture
def configure(builtin_catalog):
    def make(**layer: Any):
        return validate_config(builtin_catalog.get("hubspot"), [{"access_token": TOKEN, **layer}], environ={})

    return make


def event(event_type: str, data: dict[str, Any], attempt: int = 1) -> ConnectorEvent:
    delivery_id = {"call.completed": "msg_call01", "lead.created": "msg_lead01"}.get(event_type, "msg_appt01")
    return ConnectorEvent(
        id=delivery_id, type=event_type, timestamp=OCCURRED, data=data, tenant=TENANT, attempt=attempt
    )


async def deliver(hubspot: FakeHubSpot, config, delivered: ConnectorEvent) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(hubspot.handler)) as http:
        await HubSpotConnector().deliver(delivered, config, http)


# --- call.completed --------------------------------------------------------------------------


async def test_a_new_caller_becomes_a_contact_and_the_call_is_logged_on_it(hubspot, configure):
    await deliver(hubspot, configure(), event("call.completed", CALL))

    title = "Call from +15551230099: appointment booked [ref msg_call01]"
    assert hubspot.sent() == [
        ("POST", f"{API}/crm/v3/objects/contacts/search", CONTACT_SEARCH),
        (
            "POST",
            f"{API}/crm/v3/objects/contacts",
            {
                "properties": {"phone": CALLER, "firstname": "Dana", "lastname": "Whitfield"},
                "associations": [],
            },
        ),
        (
            "POST",
            f"{API}/crm/v3/objects/calls/search",
            {
                "filterGroups": [
                    {"filters": [{"propertyName": "hs_call_title", "operator": "EQ", "value": title}]}
                ],
                "properties": ["hs_call_title"],
                "limit": 10,
            },
        ),
        (
            "POST",
            f"{API}/crm/v3/objects/calls",
            {
                "properties": {
                    "hs_timestamp": "2026-11-24T15:02:11Z",
                    "hs_call_title": title,
                    "hs_call_body": (
                        "<p>Booked a cleaning for Tuesday at 3 pm.</p>"
                        "<p>Outcome: appointment booked</p>"
                        "<p>Receptionist: Thanks for calling. How can I help?</p>"
                        "<p>Caller: I&#x27;d like a cleaning next Tuesday at 3.</p>"
                    ),
                    "hs_call_direction": "INBOUND",
                    "hs_call_from_number": CALLER,
                    "hs_call_to_number": "+15559870000",
                    "hs_call_status": "COMPLETED",
                    "hs_call_recording_url": CALL["recording_url"],
                    "hs_call_duration": "171000",
                },
                "associations": to_contact("501", 194),
            },
        ),
    ]
    assert {request.headers["authorization"] for request in hubspot.requests} == {f"Bearer {TOKEN}"}
    assert {request.headers["content-type"] for request in hubspot.requests} == {"application/json"}


async def test_a_known_caller_is_found_by_phone_and_only_missing_names_are_filled_in(hubspot, configure):
    contact_id = hubspot.add("contacts", phone=CALLER, firstname="Dana")

    await deliver(hubspot, configure(owner_id="41629779"), event("call.completed", CALL))

    assert hubspot.sent()[1] == (
        "PATCH",
        f"{API}/crm/v3/objects/contacts/{contact_id}",
        {"properties": {"lastname": "Whitfield"}},
    )
    assert len(hubspot.objects["contacts"]) == 1
    (call,) = hubspot.objects["calls"].values()
    assert call["associations"] == to_contact(contact_id, 194)
    assert call["properties"]["hubspot_owner_id"] == "41629779"


async def test_names_the_business_entered_are_never_overwritten(hubspot, configure):
    hubspot.add("contacts", mobilephone=CALLER, firstname="Danielle", lastname="Whitfield-Ross")

    await deliver(hubspot, configure(), event("call.completed", CALL))

    assert [method for method, _, _ in hubspot.sent()] == ["POST", "POST", "POST"]  # searches and the call
    assert hubspot.objects["contacts"]["501"]["properties"]["firstname"] == "Danielle"


async def test_a_call_without_a_lead_logs_what_it_knows(hubspot, configure):
    unnamed = {**CALL, "lead": None, "summary": None, "transcript": [], "outcome": "transferred"}
    unnamed |= {"transferred_to": "+15559870001", "recording_url": None, "duration_s": None}

    await deliver(hubspot, configure(), event("call.completed", unnamed))

    assert hubspot.sent()[1][2] == {"properties": {"phone": CALLER}, "associations": []}
    (call,) = hubspot.objects["calls"].values()
    assert call["properties"]["hs_call_body"] == "<p>Outcome: transferred to +15559870001</p>"
    assert "hs_call_recording_url" not in call["properties"]
    assert "hs_call_duration" not in call["properties"]


async def test_a_text_conversation_is_logged_as_a_note_not_a_call(hubspot, configure):
    thread = {**CALL, "channel": "sms", "duration_s": None, "outcome": "answered", "summary": None}

    await deliver(hubspot, configure(), event("call.completed", thread))

    assert hubspot.objects["calls"] == {}
    (note,) = hubspot.objects["notes"].values()
    assert note["properties"] == {
        "hs_timestamp": "2026-11-24T15:02:11Z",
        "hs_note_body": (
            "<p>Text conversation with +15551230099 [ref msg_call01]</p>"
            "<p>Outcome: question answered</p>"
            "<p>Receptionist: Thanks for calling. How can I help?</p>"
            "<p>Caller: I&#x27;d like a cleaning next Tuesday at 3.</p>"
        ),
    }
    assert note["associations"] == to_contact("501", 202)


# --- lead.created and appointment.booked -----------------------------------------------------


async def test_a_lead_becomes_a_deal_on_the_contact(hubspot, configure):
    config = configure(deal_pipeline="default", deal_stage="qualifiedtobuy")

    await deliver(hubspot, config, event("lead.created", LEAD))

    dealname = "Mortgage lead: Dana Whitfield [ref msg_lead01]"
    assert hubspot.sent()[2:] == [
        (
            "POST",
            f"{API}/crm/v3/objects/deals/search",
            {
                "filterGroups": [
                    {"filters": [{"propertyName": "dealname", "operator": "EQ", "value": dealname}]}
                ],
                "properties": ["dealname"],
                "limit": 10,
            },
        ),
        (
            "POST",
            f"{API}/crm/v3/objects/deals",
            {
                "properties": {
                    "dealname": dealname,
                    "pipeline": "default",
                    "dealstage": "qualifiedtobuy",
                    "amount": "320000",
                    "description": (
                        "Phone: +15551230099\nIntent: refinance\nScore: 86/100\n"
                        "Loan amount: 320000\nCredit band: excellent"
                    ),
                },
                "associations": to_contact("501", 3),
            },
        ),
    ]


async def test_a_lead_becomes_a_note_when_leads_go_as_notes(hubspot, configure):
    await deliver(hubspot, configure(leads_as="notes"), event("lead.created", LEAD))

    assert hubspot.sent()[2:] == [
        (
            "POST",
            f"{API}/crm/v3/objects/notes/search",
            {
                "filterGroups": [
                    {
                        "filters": [
                            {
                                "propertyName": "hs_note_body",
                                "operator": "CONTAINS_TOKEN",
                                "value": "msg_lead01",
                            }
                        ]
                    }
                ],
                "properties": ["hs_note_body"],
                "limit": 10,
            },
        ),
        (
            "POST",
            f"{API}/crm/v3/objects/notes",
            {
                "properties": {
                    "hs_timestamp": "2026-11-24T15:04:40Z",
                    "hs_note_body": (
                        "<p>Mortgage lead: Dana Whitfield [ref msg_lead01]</p><p>Phone: +15551230099</p>"
                        "<p>Intent: refinance</p><p>Score: 86/100</p><p>Loan amount: 320000</p>"
                        "<p>Credit band: excellent</p>"
                    ),
                },
                "associations": to_contact("501", 202),
            },
        ),
    ]
    assert hubspot.objects["deals"] == {}


@pytest.mark.parametrize(
    ("fields", "amount"),
    [
        ({"purchase_price": "$450,000"}, "450000"),
        ({"budget": 1250.5}, "1250.5"),
        ({"loan_amount": "soon"}, None),
    ],
)
async def test_the_deal_amount_is_read_from_the_lead_fields(hubspot, configure, fields, amount):
    await deliver(hubspot, configure(), event("lead.created", {**LEAD, "fields": fields}))

    (deal,) = hubspot.objects["deals"].values()
    assert deal["properties"].get("amount") == amount


async def test_a_booked_appointment_is_a_note_in_the_tenants_time(hubspot, configure):
    await deliver(hubspot, configure(), event("appointment.booked", APPOINTMENT))

    (note,) = hubspot.objects["notes"].values()
    assert note["properties"]["hs_note_body"] == (
        "<p>Appointment booked: cleaning on Tue 01 Dec 2026, 09:00 (America/Chicago) [ref msg_appt01]</p>"
        "<p>Notes: Prefers the afternoon</p>"
    )
    assert note["associations"] == to_contact("501", 202)


def test_wants_calls_leads_and_appointments_only(configure):
    connector, config = HubSpotConnector(), configure()
    wanted = [kind for kind in EVENT_NAMES if connector.wants(kind, config)]
    assert wanted == ["call.completed", "lead.created", "appointment.booked"]


# --- failures --------------------------------------------------------------------------------


async def test_rate_limit_honours_retry_after(hubspot, configure):
    limited = _error("You have reached your secondly limit.", "RATE_LIMITS") | {"policyName": "SECONDLY"}
    hubspot.fail(
        "POST",
        "/crm/v3/objects/contacts/search",
        httpx.Response(429, json=limited, headers={"Retry-After": "7"}),
    )

    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(), event("call.completed", CALL))

    assert (raised.value.status_code, raised.value.retry_after, raised.value.permanent) == (429, 7.0, False)
    assert "You have reached your secondly limit." in raised.value.reason


@pytest.mark.parametrize(
    ("policy", "retry_after"), [("SECONDLY", 10.0), ("TEN_SECONDLY_ROLLING", 10.0), ("DAILY", 3600.0)]
)
async def test_rate_limit_without_retry_after_waits_by_policy(hubspot, configure, policy, retry_after):
    limited = {
        "status": "error",
        "message": "You have reached your limit.",
        "errorType": "RATE_LIMIT",
        "policyName": policy,
    }
    hubspot.fail("POST", "/crm/v3/objects/contacts/search", httpx.Response(429, json=limited))

    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(), event("call.completed", CALL))

    assert (raised.value.retry_after, raised.value.permanent) == (retry_after, False)


async def test_a_refused_token_is_permanent(hubspot, configure):
    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(access_token="pat-na1-revoked"), event("call.completed", CALL))

    assert (raised.value.status_code, raised.value.permanent) == (401, True)
    assert "access_token" in raised.value.reason
    assert "Authentication credentials not found. [INVALID_AUTHENTICATION]" in raised.value.reason


async def test_a_missing_token_is_permanent_and_sends_nothing(hubspot, configure):
    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(access_token=None), event("call.completed", CALL))

    assert raised.value.permanent
    assert raised.value.reason.startswith("access_token is not set")
    assert hubspot.requests == []


async def test_an_invalid_deal_stage_is_permanent_and_points_at_the_config(hubspot, configure):
    invalid = _error("Property values were not valid: dealstage", "VALIDATION_ERROR")
    hubspot.fail("POST", "/crm/v3/objects/deals", httpx.Response(400, json=invalid))

    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(deal_stage="Qualified"), event("lead.created", LEAD))

    assert (raised.value.status_code, raised.value.permanent) == (400, True)
    assert "[VALIDATION_ERROR]" in raised.value.reason
    assert raised.value.reason.endswith(
        "check deal_pipeline and deal_stage (internal ids, not labels) and owner_id"
    )


async def test_a_server_error_before_any_write_is_retried_on_the_normal_schedule(hubspot, configure):
    hubspot.fail(
        "POST", "/crm/v3/objects/contacts/search", httpx.Response(502, text="<html>Bad gateway</html>")
    )

    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(), event("call.completed", CALL))

    assert (raised.value.status_code, raised.value.retry_after, raised.value.permanent) == (502, None, False)


async def test_a_lead_without_a_phone_number_is_permanent(hubspot, configure):
    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(), event("lead.created", {**LEAD, "phone": None}))

    assert raised.value.permanent
    assert hubspot.requests == []


# --- retries ---------------------------------------------------------------------------------


async def test_a_retry_after_a_partial_failure_creates_nothing_twice(hubspot, configure):
    hubspot.fail(
        "POST", "/crm/v3/objects/calls", httpx.Response(500, json=_error("internal error", "UNKNOWN"))
    )

    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(), event("call.completed", CALL))
    # The contact was created: the retry must come after HubSpot's search can see it.
    assert (raised.value.status_code, raised.value.permanent) == (500, False)
    assert raised.value.retry_after == SEARCH_INDEX_DELAY
    assert (len(hubspot.objects["contacts"]), len(hubspot.objects["calls"])) == (1, 0)

    await deliver(hubspot, configure(), event("call.completed", CALL, attempt=2))

    assert (len(hubspot.objects["contacts"]), len(hubspot.objects["calls"])) == (1, 1)
    (call,) = hubspot.objects["calls"].values()
    assert call["associations"] == to_contact("501", 194)


@pytest.mark.parametrize(
    ("event_type", "data", "object_type", "layer"),
    [
        ("call.completed", CALL, "calls", {}),
        ("lead.created", LEAD, "deals", {}),
        ("lead.created", LEAD, "notes", {"leads_as": "notes"}),
        ("appointment.booked", APPOINTMENT, "notes", {}),
    ],
)
async def test_a_retry_after_a_lost_answer_finds_what_was_created(
    hubspot, configure, event_type, data, object_type, layer
):
    hubspot.lost_answers[("POST", f"/crm/v3/objects/{object_type}")] = 1

    with pytest.raises(DeliveryError) as raised:
        await deliver(hubspot, configure(**layer), event(event_type, data))
    assert (raised.value.permanent, raised.value.retry_after) == (False, SEARCH_INDEX_DELAY)
    assert "did not answer in time" in raised.value.reason

    await deliver(hubspot, configure(**layer), event(event_type, data, attempt=2))

    assert len(hubspot.objects[object_type]) == 1
    assert len(hubspot.objects["contacts"]) == 1
    assert hubspot.sent()[-1][0:2] == ("POST", f"{API}/crm/v3/objects/{object_type}/search")


# --- configuration and registration ----------------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        ({"owner_id": "jane@example.com"}, "config.owner_id"),
        ({"base_url": "api.hubapi.com"}, "config.base_url"),
        ({"deal_stage": " "}, "config.deal_stage"),
        ({"leads_as": "tickets"}, "config.leads_as"),
    ],
)
def test_invalid_config_is_refused_naming_the_field(builtin_catalog, layer, field):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("hubspot"), [layer], environ={})
    assert raised.value.field == field


def test_the_token_is_a_secret_and_nothing_else_is_required(builtin_catalog):
    info = builtin_catalog.get("hubspot")
    assert info.secret_fields == ("access_token",)
    assert info.default_installed is False
    assert validate_config(info, [{}], environ={}).base_url == API


def test_the_plugin_registers_the_hubspot_connector():
    registration = collect_providers(build_plugin_manager()).get("crm_connector", "hubspot")
    assert registration.plugin == "hubspot"
    assert registration.metadata == {"objects": ["contacts", "calls", "deals", "notes"]}
    assert isinstance(registration.provider, HubSpotConnector)

"""Every admin route x every role x own and foreign tenant, with the exact status each must get.

The expectations are written out here by hand (not derived from core/authz/roles.py), so a
change to the policy that alters who may do what shows up as a failing row.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from db_support import fetch_one, insert
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.calls.models import Call
from core.scheduling.models import Appointment
from core.tenancy.models import Tenant
from core.webhooks.models import OutboxEvent, WebhookDelivery

ROLES = ("platform_admin", "agency_admin", "owner", "admin", "agent", "viewer")
_numbers = itertools.count(1000)


def hook_body() -> dict[str, str]:
    # An address literal: public, so the SSRF guard lets it through without DNS.
    return {"target_url": "https://93.184.216.34/hooks/frontdesk", "event": "call.completed"}


def fresh_number() -> str:
    return f"+1555777{next(_numbers):04d}"


@dataclass
class Route:
    method: str
    path: str  # {t} is the tenant slug; {id} is filled by prepare
    allowed: dict[str, int]  # role -> status on its own tenant; roles not listed get 403
    body: Callable[[], Any] | None = None
    prepare: str | None = None  # what object the route needs on the target tenant first


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def managers(status: int) -> dict[str, int]:
    return dict.fromkeys(("platform_admin", "agency_admin", "owner", "admin"), status)


def plus(mapping: dict[str, int], **extra: int) -> dict[str, int]:
    return {**mapping, **extra}


TENANT_ROUTES = [
    Route("GET", "/api/v1/tenants/{t}", everyone(200)),
    Route("PATCH", "/api/v1/tenants/{t}", managers(200), body=lambda: {"name": "Renamed"}),
    Route("GET", "/api/v1/tenants/{t}/phone-numbers", plus(managers(200), viewer=200)),
    Route(
        "POST", "/api/v1/tenants/{t}/phone-numbers", managers(201), body=lambda: {"number": fresh_number()}
    ),
    Route("GET", "/api/v1/tenants/{t}/phone-numbers/{id}", plus(managers(200), viewer=200), prepare="number"),
    Route(
        "PATCH",
        "/api/v1/tenants/{t}/phone-numbers/{id}",
        managers(200),
        body=lambda: {"label": "Front"},
        prepare="number",
    ),
    Route("DELETE", "/api/v1/tenants/{t}/phone-numbers/{id}", managers(204), prepare="number"),
    Route("GET", "/api/v1/tenants/{t}/plugins", plus(managers(200), viewer=200)),
    Route("GET", "/api/v1/tenants/{t}/plugins/greeting", plus(managers(200), viewer=200)),
    Route(
        "PUT",
        "/api/v1/tenants/{t}/plugins/greeting",
        managers(200),
        body=lambda: {"config": {"template": "Hello from {{ business.name }}"}},
    ),
    Route("DELETE", "/api/v1/tenants/{t}/plugins/screening", managers(204), prepare="screening"),
    Route("GET", "/api/v1/tenants/{t}/knowledge", everyone(200)),
    Route(
        "POST",
        "/api/v1/tenants/{t}/knowledge",
        managers(201),
        body=lambda: {"question": "Do you open on Sundays?", "answer": "No."},
    ),
    Route("GET", "/api/v1/tenants/{t}/knowledge/{id}", everyone(200), prepare="knowledge"),
    Route(
        "PATCH",
        "/api/v1/tenants/{t}/knowledge/{id}",
        managers(200),
        body=lambda: {"answer": "Yes."},
        prepare="knowledge",
    ),
    Route("DELETE", "/api/v1/tenants/{t}/knowledge/{id}", managers(204), prepare="knowledge"),
    Route("GET", "/api/v1/tenants/{t}/api-keys", managers(200)),
    Route(
        "POST",
        "/api/v1/tenants/{t}/api-keys",
        managers(201),
        body=lambda: {"name": "kiosk", "role": "viewer"},
    ),
    Route("DELETE", "/api/v1/tenants/{t}/api-keys/{id}", managers(204), prepare="api_key"),
    Route("GET", "/api/v1/tenants/{t}/members", managers(200)),
    Route(
        "POST",
        "/api/v1/tenants/{t}/members",
        managers(201),
        body=lambda: {"email": f"person{next(_numbers)}@example.com", "name": "Pat", "role": "agent"},
    ),
    Route("DELETE", "/api/v1/tenants/{t}/members/{id}", managers(204), prepare="member"),
    Route("GET", "/api/v1/tenants/{t}/audit", managers(200)),
    # What the conversation models cost, against the budget every reader of the tenant sees.
    Route("GET", "/api/v1/tenants/{t}/usage", everyone(200)),
    # Call data: front-desk agents read it; viewers (dashboards, configuration) do not.
    Route("GET", "/api/v1/tenants/{t}/calls", plus(managers(200), agent=200)),
    Route("GET", "/api/v1/tenants/{t}/calls/{id}", plus(managers(200), agent=200), prepare="call"),
    Route("GET", "/api/v1/tenants/{t}/messages", plus(managers(200), agent=200)),
    Route("GET", "/api/v1/tenants/{t}/leads", plus(managers(200), agent=200)),
    # Analytics are dashboards: viewers read them, agents (call content only) do not.
    Route("GET", "/api/v1/tenants/{t}/analytics", plus(managers(200), viewer=200)),
    # Contacts are the business's customers: agents see them, viewers do not; managers edit.
    Route("GET", "/api/v1/tenants/{t}/contacts", plus(managers(200), agent=200)),
    Route(
        "POST",
        "/api/v1/tenants/{t}/contacts",
        managers(201),
        body=lambda: {"phone": fresh_number(), "vip": True},
    ),
    Route(
        "PATCH",
        "/api/v1/tenants/{t}/contacts/{id}",
        managers(200),
        body=lambda: {"vip": False},
        prepare="contact",
    ),
    Route("DELETE", "/api/v1/tenants/{t}/contacts/{id}", managers(204), prepare="contact"),
    Route("GET", "/api/v1/tenants/{t}/appointments", plus(managers(200), agent=200)),
    Route(
        "GET", "/api/v1/tenants/{t}/appointments/{id}", plus(managers(200), agent=200), prepare="appointment"
    ),
    # Staff may cancel a booking by hand; agents only read.
    Route("POST", "/api/v1/tenants/{t}/appointments/{id}/cancel", managers(200), prepare="appointment"),
    Route("GET", "/api/v1/tenants/{t}/appointments.ics", plus(managers(200), agent=200)),
    Route("GET", "/api/v1/tenants/{t}/calendar-feed", plus(managers(200), agent=200)),
    # Experiments: managers run them; everyone who reads the tenant reads their results.
    Route("GET", "/api/v1/tenants/{t}/experiments", everyone(200)),
    Route("POST", "/api/v1/tenants/{t}/experiments", managers(201), body=lambda: experiment_body()),
    Route("GET", "/api/v1/tenants/{t}/experiments/{id}", everyone(200), prepare="experiment"),
    Route(
        "PATCH",
        "/api/v1/tenants/{t}/experiments/{id}",
        managers(200),
        body=lambda: {"name": "Renamed"},
        prepare="experiment",
    ),
    Route("DELETE", "/api/v1/tenants/{t}/experiments/{id}", managers(204), prepare="experiment"),
    Route("POST", "/api/v1/tenants/{t}/experiments/{id}/start", managers(200), prepare="experiment"),
    Route("POST", "/api/v1/tenants/{t}/experiments/{id}/stop", managers(200), prepare="running_experiment"),
    Route(
        "POST", "/api/v1/tenants/{t}/experiments/{id}/archive", managers(200), prepare="completed_experiment"
    ),
    Route(
        "POST",
        "/api/v1/tenants/{t}/experiments/{id}/assignments",
        managers(200),
        body=lambda: {"unit_id": fresh_number()},
        prepare="running_experiment",
    ),
    Route(
        "POST",
        "/api/v1/tenants/{t}/experiments/{id}/results",
        managers(201),
        body=lambda: {"unit_id": fresh_number(), "metric": "booked", "value": 1},
        prepare="running_experiment",
    ),
    Route("GET", "/api/v1/tenants/{t}/experiments/{id}/analysis", everyone(200), prepare="experiment"),
    Route("GET", "/api/v1/tenants/{t}/experiments/{id}/summary", everyone(200), prepare="experiment"),
    Route("GET", "/api/v1/tenants/{t}/hooks", managers(200)),
    Route("POST", "/api/v1/tenants/{t}/hooks", managers(201), body=lambda: hook_body()),
    Route("GET", "/api/v1/tenants/{t}/hooks/event-types", managers(200)),
    Route("GET", "/api/v1/tenants/{t}/hooks/samples/{id}", managers(200), prepare="event_name"),
    Route("GET", "/api/v1/tenants/{t}/hooks/{id}", managers(200), prepare="hook"),
    Route("POST", "/api/v1/tenants/{t}/hooks/{id}/rotate-secret", managers(200), prepare="hook"),
    Route("GET", "/api/v1/tenants/{t}/hooks/{id}/deliveries", managers(200), prepare="hook"),
    Route(
        "POST",
        "/api/v1/tenants/{t}/hooks/{id}/replay",
        managers(202),
        body=lambda: {"since": "2026-01-01T00:00:00Z"},
        prepare="hook",
    ),
    # {id} is "<hook>/deliveries/<delivery>" here.
    Route("GET", "/api/v1/tenants/{t}/hooks/{id}", managers(200), prepare="hook_delivery"),
    Route("POST", "/api/v1/tenants/{t}/hooks/{id}/replay", managers(202), prepare="hook_delivery"),
    Route("DELETE", "/api/v1/tenants/{t}/hooks/{id}", managers(204), prepare="hook"),
    Route("GET", "/api/v1/tenants/{t}/deliveries", managers(200)),
    # Last: it removes the tenant (and the caller's own key with it).
    Route("DELETE", "/api/v1/tenants/{t}", {"platform_admin": 204, "agency_admin": 204, "owner": 204}),
]

PLATFORM_ROUTES = [
    # (method, path, body, {role: status})
    ("GET", "/api/v1/tenants", None, everyone(200)),
    (
        "POST",
        "/api/v1/tenants",
        lambda: {"slug": f"new-{next(_numbers)}", "name": "New", "timezone": "UTC"},
        plus(dict.fromkeys(ROLES, 403), platform_admin=201),
    ),
    # Under the agency: only platform and agency admins; the others cannot even see the agency.
    (
        "POST",
        "/api/v1/tenants",
        lambda: {"slug": f"child-{next(_numbers)}", "name": "Child", "timezone": "UTC", "parent": "agency"},
        {"platform_admin": 201, "agency_admin": 201, "owner": 404, "admin": 404, "agent": 404, "viewer": 404},
    ),
    # Under the caller's own tenant: seeing it is not enough to create children.
    (
        "POST",
        "/api/v1/tenants",
        lambda: {"slug": f"sub-{next(_numbers)}", "name": "Sub", "timezone": "UTC", "parent": "own"},
        {"platform_admin": 201, "agency_admin": 201, "owner": 403, "admin": 403, "agent": 403, "viewer": 403},
    ),
    ("GET", "/api/v1/plugins", None, everyone(200)),
    (
        "PUT",
        "/api/v1/plugins/greeting/defaults",
        lambda: {"config": {}},
        plus(dict.fromkeys(ROLES, 403), platform_admin=200),
    ),
]


def experiment_body() -> dict[str, Any]:
    # No plugin overlays, so any number of these may run side by side.
    return {
        "key": f"exp-{next(_numbers)}",
        "name": "Test",
        "type": "feature",
        "unit": "caller",
        "variants": [
            {"key": "a", "name": "A", "weight": 0.5, "config": {}},
            {"key": "b", "name": "B", "weight": 0.5, "config": {}},
        ],
        "primary_metric": "booked",
    }


async def build_world(admin: AsyncTestClient) -> dict[str, str]:
    """agency → own (a child of the agency); foreign stands apart. One key per role, as the API gives them."""
    for slug, parent in (("agency", None), ("own", "agency"), ("foreign", None)):
        body = {
            "slug": slug,
            "name": slug.title(),
            "timezone": "UTC",
            **({"parent": parent} if parent else {}),
        }
        assert (await admin.post("/api/v1/tenants", json=body)).status_code == 201
    keys = {"platform_admin": admin.headers["Authorization"].removeprefix("Bearer ")}
    created = await admin.post(
        "/api/v1/tenants/agency/api-keys", json={"name": "agency", "role": "agency_admin"}
    )
    keys["agency_admin"] = created.json()["key"]
    for role in ("owner", "admin", "agent", "viewer"):
        created = await admin.post("/api/v1/tenants/own/api-keys", json={"name": role, "role": role})
        assert created.status_code == 201, created.text
        keys[role] = created.json()["key"]
    return keys


async def prepare(admin: AsyncTestClient, what: str | None, slug: str, database_url: str) -> str:
    """Create, as the platform admin, the object a route acts on; return what fills {id}."""
    if what is None:
        return ""
    if what == "number":
        number = fresh_number()
        assert (
            await admin.post(f"/api/v1/tenants/{slug}/phone-numbers", json={"number": number})
        ).status_code == 201
        return number
    if what == "knowledge":
        response = await admin.post(
            f"/api/v1/tenants/{slug}/knowledge", json={"question": "Q?", "answer": "A."}
        )
        return response.json()["id"]
    if what == "api_key":
        response = await admin.post(
            f"/api/v1/tenants/{slug}/api-keys", json={"name": "spare", "role": "viewer"}
        )
        return response.json()["id"]
    if what == "member":
        body = {"email": f"m{next(_numbers)}@example.com", "name": "M", "role": "viewer"}
        return (await admin.post(f"/api/v1/tenants/{slug}/members", json=body)).json()["id"]
    if what == "call":
        # Calls only come from Twilio; write the row as the call path would, on the test's own engine.
        tenant = await fetch_one(database_url, select(Tenant).where(Tenant.slug == slug))
        call_sid = f"CA{next(_numbers)}"
        await insert(
            database_url,
            Call(
                tenant_id=tenant.id,
                call_sid=call_sid,
                channel="voice",
                from_number="+15550001234",
                to_number="+15551230001",
                status="completed",
                language="en-US",
            ),
        )
        return call_sid
    if what == "appointment":
        tenant = await fetch_one(database_url, select(Tenant).where(Tenant.slug == slug))
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
        appointment_id = str(uuid.uuid4())
        end = start + timedelta(minutes=30)
        await insert(
            database_url,
            Appointment(id=appointment_id, tenant_id=tenant.id, name="Pat", start_at=start, end_at=end),
        )
        return appointment_id
    if what == "contact":
        phone = fresh_number()
        assert (
            await admin.post(f"/api/v1/tenants/{slug}/contacts", json={"phone": phone})
        ).status_code == 201
        return phone
    if what in ("experiment", "running_experiment", "completed_experiment"):
        response = await admin.post(f"/api/v1/tenants/{slug}/experiments", json=experiment_body())
        experiment_id = response.json()["id"]
        steps = {"running_experiment": ["start"], "completed_experiment": ["start", "stop"]}.get(what, [])
        for step in steps:
            url = f"/api/v1/tenants/{slug}/experiments/{experiment_id}/{step}"
            assert (await admin.post(url)).status_code == 200
        return experiment_id
    if what == "event_name":
        return "call.completed"
    if what in ("hook", "hook_delivery"):
        response = await admin.post(f"/api/v1/tenants/{slug}/hooks", json=hook_body())
        assert response.status_code == 201, response.text
        hook_id = response.json()["id"]
        if what == "hook":
            return hook_id
        tenant = await fetch_one(database_url, select(Tenant).where(Tenant.slug == slug))
        now, event_id, delivery_id = datetime.now(UTC), str(uuid.uuid4()), f"msg_{uuid.uuid4().hex}"
        event = OutboxEvent(
            id=event_id,
            tenant_id=tenant.id,
            type="call.completed",
            data={},
            occurred_at=now,
            dispatched_at=now,
        )
        delivery = WebhookDelivery(
            id=delivery_id,
            tenant_id=tenant.id,
            event_id=event_id,
            event_type="call.completed",
            occurred_at=now,
            subscription_id=hook_id,
            status="failed",
        )
        await insert(database_url, event, delivery)
        return f"{hook_id}/deliveries/{delivery_id}"
    if what == "screening":
        await admin.put(f"/api/v1/tenants/{slug}/plugins/screening", json={"config": {}})
        return ""
    raise AssertionError(what)


async def send(client: AsyncTestClient, method: str, path: str, key: str | None, body: Any = None) -> int:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {"Authorization": ""}
    response = await client.request(method, path, json=body, headers=headers)
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
async def test_access_matrix(client: AsyncTestClient, database_url: str, role: str) -> None:
    keys = await build_world(client)
    failures = []
    for target in ("own", "foreign"):
        for route in TENANT_ROUTES:
            if route.path == "/api/v1/tenants/{t}" and route.method == "DELETE" and target == "own":
                continue  # run once at the very end
            object_id = await prepare(client, route.prepare, target, database_url)
            path = route.path.format(t=target, id=object_id)
            status = await send(client, route.method, path, keys[role], route.body() if route.body else None)
            if target == "foreign" and role != "platform_admin":
                expected = 404  # another tenant's objects do not exist for this caller
            else:
                expected = route.allowed.get(role, 403)
            if status != expected:
                failures.append(f"{role} {route.method} {path}: {status}, expected {expected}")
    for method, path, body, expected_by_role in PLATFORM_ROUTES:
        status = await send(client, method, path, keys[role], body() if body else None)
        if status != expected_by_role[role]:
            failures.append(f"{role} {method} {path}: {status}, expected {expected_by_role[role]}")
    # The platform routes may have created children under "own"; a tenant with children is kept (409).
    for tenant in (await client.get("/api/v1/tenants?limit=500")).json()["items"]:
        if tenant["parent"] == "own":
            assert (await client.delete(f"/api/v1/tenants/{tenant['slug']}")).status_code == 204
    last = TENANT_ROUTES[-1]
    status = await send(client, last.method, last.path.format(t="own"), keys[role])
    if status != last.allowed.get(role, 403):
        failures.append(f"{role} DELETE own tenant: {status}, expected {last.allowed.get(role, 403)}")
    assert not failures, "\n".join(failures)


async def test_every_admin_route_is_in_the_matrix(client: AsyncTestClient) -> None:
    covered = {(r.method, r.path.replace("{t}", "{slug}").replace("{id}", "*")) for r in TENANT_ROUTES}
    covered |= {(method, path) for method, path, _body, _roles in PLATFORM_ROUTES}
    covered |= {
        ("PUT", "/api/v1/plugins/*/defaults"),
        ("GET", "/api/v1/tenants/{slug}/plugins/*"),
        ("PUT", "/api/v1/tenants/{slug}/plugins/*"),
        ("DELETE", "/api/v1/tenants/{slug}/plugins/*"),
        ("GET", "/api/v1/tenants/{slug}/hooks/*/deliveries/*"),
        ("POST", "/api/v1/tenants/{slug}/hooks/*/deliveries/*/replay"),
    }
    schema = (await client.get("/schema/openapi.json")).json()
    missing = []
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method in operations:
            if method.upper() in {"OPTIONS", "HEAD"}:
                continue
            generic = _generic(path)
            if (method.upper(), generic) not in covered and (method.upper(), path) not in covered:
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"admin routes missing from the access matrix: {missing}"


def _generic(path: str) -> str:
    parts = []
    for part in path.split("/"):
        if part.startswith("{") and part != "{slug}":
            parts.append("*")
        else:
            parts.append(part)
    return "/".join(parts)


@pytest.mark.parametrize("key", [None, "", "fd_not_a_real_key"])
async def test_missing_or_bad_key_is_401_everywhere(client: AsyncTestClient, key: str | None) -> None:
    await build_world(client)
    statuses = set()
    for route in TENANT_ROUTES:
        statuses.add(
            await send(
                client,
                route.method,
                route.path.format(t="own", id="x"),
                key,
                route.body() if route.body else None,
            )
        )
    for method, path, body, _roles in PLATFORM_ROUTES:
        statuses.add(await send(client, method, path, key, body() if body else None))
    assert statuses == {401}

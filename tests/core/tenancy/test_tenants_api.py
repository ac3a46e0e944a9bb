"""Tenants through the admin API: create, read, update, delete, validation and agencies."""

from __future__ import annotations

from db_support import fetch_one
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.tenancy.models import Tenant

DENTAL = {
    "slug": "smile",
    "name": "Smile Dental",
    "timezone": "America/Chicago",
    "languages": ["en-US", "es-US"],
    "industry": "dental",
    "business": {
        "hours": {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "fri": [["08:00", "14:00"]]},
        "address": "1 Main St",
        "services": ["cleaning", "whitening"],
        "phone": "+12145550100",
    },
    "branding": {"product_name": "Smile Desk", "primary_color": "#112233"},
}


async def test_create_and_read_tenant(client: AsyncTestClient) -> None:
    created = await client.post("/api/v1/tenants", json=DENTAL)
    assert created.status_code == 201
    body = created.json()
    assert body["slug"] == "smile"
    assert body["languages"] == ["en-US", "es-US"]
    assert body["business"]["hours"]["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert body["branding"] == {"product_name": "Smile Desk", "primary_color": "#112233"}
    assert body["parent"] is None
    assert body["twilio_auth_token_set"] is False

    fetched = (await client.get("/api/v1/tenants/smile")).json()
    assert fetched["id"] == body["id"]
    assert fetched["business"]["services"] == ["cleaning", "whitening"]


async def test_new_tenant_has_the_default_plugins_installed(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json=DENTAL)
    installed = {item["name"] for item in (await client.get("/api/v1/tenants/smile/plugins")).json()["items"]}
    defaults = {
        item["name"]
        for item in (await client.get("/api/v1/plugins")).json()["items"]
        if item["default_installed"]
    }
    assert defaults  # greeting, screening, twilio voice at least
    assert installed == defaults


async def test_duplicate_slug_is_409_naming_the_field(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json=DENTAL)
    again = await client.post("/api/v1/tenants", json=DENTAL)
    assert again.status_code == 409
    assert again.json()["extra"] == {"field": "slug"}


async def test_bad_input_is_400_naming_the_field(client: AsyncTestClient) -> None:
    cases = {
        "timezone": {**DENTAL, "timezone": "Mars/Olympus"},
        "slug": {**DENTAL, "slug": "Not A Slug"},
        "languages": {**DENTAL, "languages": []},
        "business.hours.mon": {**DENTAL, "business": {"hours": {"mon": [["17:00", "09:00"]]}}},
        "business.hours.xyz": {**DENTAL, "business": {"hours": {"xyz": [["09:00", "17:00"]]}}},
        "branding.primary_color": {**DENTAL, "branding": {"primary_color": "blue"}},
        "business.phone": {**DENTAL, "business": {"phone": "555-1234"}},
        "colour": {**DENTAL, "colour": "red"},
    }
    for field, body in cases.items():
        response = await client.post("/api/v1/tenants", json=body)
        assert response.status_code == 400, (field, response.text)
        keys = [item.get("key", "") for item in response.json()["extra"]]
        assert any(field.split(".")[0] in key for key in keys), (field, response.json())
    assert (await client.get("/api/v1/tenants")).json()["items"] == []


async def test_update_changes_only_given_fields_and_bumps_config_version(client: AsyncTestClient) -> None:
    before = (await client.post("/api/v1/tenants", json=DENTAL)).json()
    patched = await client.patch(
        "/api/v1/tenants/smile", json={"name": "Smile Dental Group", "timezone": "UTC"}
    )
    assert patched.status_code == 200
    after = patched.json()
    assert after["name"] == "Smile Dental Group"
    assert after["timezone"] == "UTC"
    assert after["business"] == before["business"]
    assert after["config_version"] == before["config_version"] + 1
    bad = await client.patch("/api/v1/tenants/smile", json={"timezone": "Nowhere/Land"})
    assert bad.status_code == 400
    assert (await client.get("/api/v1/tenants/smile")).json()["timezone"] == "UTC"


async def test_twilio_auth_token_is_encrypted_at_rest(client: AsyncTestClient, database_url: str) -> None:
    body = {**DENTAL, "twilio_account_sid": "AC" + "a" * 32, "twilio_auth_token": "super-secret-token-123"}
    created = (await client.post("/api/v1/tenants", json=body)).json()
    assert created["twilio_auth_token_set"] is True
    assert "super-secret-token-123" not in str(created)
    stored = await fetch_one(
        database_url, select(Tenant.twilio_auth_token_encrypted).where(Tenant.slug == "smile")
    )
    assert stored and "super-secret-token-123" not in stored
    services = client.app.state.services
    assert services.secret_box.decrypt(stored) == "super-secret-token-123"


async def test_agency_branding_is_inherited_and_overridden(client: AsyncTestClient) -> None:
    agency = {
        "slug": "growth",
        "name": "Growth Agency",
        "timezone": "UTC",
        "branding": {
            "product_name": "GrowthVoice",
            "support_email": "help@growth.example",
            "primary_color": "#000000",
        },
    }
    assert (await client.post("/api/v1/tenants", json=agency)).status_code == 201
    child = {**DENTAL, "parent": "growth", "branding": {"primary_color": "#ff0000"}}
    created = (await client.post("/api/v1/tenants", json=child)).json()
    assert created["parent"] == "growth"
    assert created["effective_branding"] == {
        "product_name": "GrowthVoice",
        "support_email": "help@growth.example",
        "primary_color": "#ff0000",
    }


async def test_delete_tenant_with_children_is_409_then_works(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json={"slug": "growth", "name": "Growth", "timezone": "UTC"})
    await client.post("/api/v1/tenants", json={**DENTAL, "parent": "growth"})
    assert (await client.delete("/api/v1/tenants/growth")).status_code == 409
    assert (await client.delete("/api/v1/tenants/smile")).status_code == 204
    assert (await client.get("/api/v1/tenants/smile")).status_code == 404
    assert (await client.delete("/api/v1/tenants/growth")).status_code == 204


async def test_unknown_parent_is_404_naming_it(client: AsyncTestClient) -> None:
    response = await client.post("/api/v1/tenants", json={**DENTAL, "parent": "nobody"})
    assert response.status_code == 404
    assert "parent" in response.json()["detail"]


async def test_list_pages_with_a_cursor(client: AsyncTestClient) -> None:
    for index in range(5):
        await client.post(
            "/api/v1/tenants", json={"slug": f"t{index}", "name": f"T{index}", "timezone": "UTC"}
        )
    first = (await client.get("/api/v1/tenants?limit=2")).json()
    assert [t["slug"] for t in first["items"]] == ["t0", "t1"]
    second = (await client.get(f"/api/v1/tenants?limit=2&cursor={first['next_cursor']}")).json()
    assert [t["slug"] for t in second["items"]] == ["t2", "t3"]
    third = (await client.get(f"/api/v1/tenants?limit=2&cursor={second['next_cursor']}")).json()
    assert [t["slug"] for t in third["items"]] == ["t4"]
    assert third["next_cursor"] is None
    assert (await client.get("/api/v1/tenants?limit=0")).status_code == 400

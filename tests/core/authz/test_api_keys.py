"""API keys: shown once, hashed at rest, revocable, never granting more than their creator holds."""

from __future__ import annotations

import hashlib

from db_support import fetch_all
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.authz.models import ApiKey, CasbinRule


async def test_key_is_shown_once_and_stored_as_a_hash(client: AsyncTestClient, database_url: str) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    created = (
        await client.post("/api/v1/tenants/acme/api-keys", json={"name": "ops", "role": "admin"})
    ).json()
    key = created["key"]
    assert key.startswith("fd_") and len(key) > 40
    listed = (await client.get("/api/v1/tenants/acme/api-keys")).json()["items"]
    assert [item["id"] for item in listed] == [created["id"]]
    assert key not in str(listed)
    assert listed[0]["prefix"] == key[:10]
    [row] = await fetch_all(database_url, select(ApiKey).where(ApiKey.id == created["id"]))
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (row.key_hash, row.prefix, row.name)
    grants = await fetch_all(
        database_url,
        select(CasbinRule).where(CasbinRule.ptype == "g", CasbinRule.v0 == f"key:{created['id']}"),
    )
    assert [(g.v1, g.v2) for g in grants] == [("admin", "acme")]


async def test_revoked_key_stops_working_at_once(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    created = (
        await client.post("/api/v1/tenants/acme/api-keys", json={"name": "ops", "role": "viewer"})
    ).json()
    as_key = {"Authorization": f"Bearer {created['key']}"}
    assert (await client.get("/api/v1/tenants/acme", headers=as_key)).status_code == 200
    assert (await client.delete(f"/api/v1/tenants/acme/api-keys/{created['id']}")).status_code == 204
    assert (await client.get("/api/v1/tenants/acme", headers=as_key)).status_code == 401


async def test_no_one_grants_a_role_above_their_own(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    admin = (await client.post("/api/v1/tenants/acme/api-keys", json={"name": "a", "role": "admin"})).json()
    owner = (await client.post("/api/v1/tenants/acme/api-keys", json={"name": "o", "role": "owner"})).json()
    as_admin = {"Authorization": f"Bearer {admin['key']}"}
    as_owner = {"Authorization": f"Bearer {owner['key']}"}
    assert (
        await client.post(
            "/api/v1/tenants/acme/api-keys", json={"name": "x", "role": "owner"}, headers=as_admin
        )
    ).status_code == 403
    assert (
        await client.post(
            "/api/v1/tenants/acme/api-keys", json={"name": "x", "role": "admin"}, headers=as_admin
        )
    ).status_code == 201
    assert (
        await client.post(
            "/api/v1/tenants/acme/api-keys", json={"name": "x", "role": "agency_admin"}, headers=as_owner
        )
    ).status_code == 403
    # an admin cannot revoke the owner's key either
    assert (
        await client.delete(f"/api/v1/tenants/acme/api-keys/{owner['id']}", headers=as_admin)
    ).status_code == 403
    bad_role = await client.post("/api/v1/tenants/acme/api-keys", json={"name": "x", "role": "god"})
    assert bad_role.status_code == 400
    assert bad_role.json()["extra"][0]["key"] == "role"


async def test_agency_admin_reaches_its_subtree_only(client: AsyncTestClient) -> None:
    for body in (
        {"slug": "agency", "name": "Agency", "timezone": "UTC"},
        {"slug": "client-a", "name": "A", "timezone": "UTC", "parent": "agency"},
        {"slug": "client-a-sub", "name": "A sub", "timezone": "UTC", "parent": "client-a"},
        {"slug": "elsewhere", "name": "E", "timezone": "UTC"},
    ):
        assert (await client.post("/api/v1/tenants", json=body)).status_code == 201
    key = (
        await client.post("/api/v1/tenants/agency/api-keys", json={"name": "ag", "role": "agency_admin"})
    ).json()
    as_agency = {"Authorization": f"Bearer {key['key']}"}
    visible = (await client.get("/api/v1/tenants", headers=as_agency)).json()["items"]
    assert sorted(t["slug"] for t in visible) == ["agency", "client-a", "client-a-sub"]
    assert (await client.get("/api/v1/tenants/client-a-sub", headers=as_agency)).status_code == 200
    assert (await client.get("/api/v1/tenants/elsewhere", headers=as_agency)).status_code == 404
    made = await client.post(
        "/api/v1/tenants",
        headers=as_agency,
        json={"slug": "client-b", "name": "B", "timezone": "UTC", "parent": "agency"},
    )
    assert made.status_code == 201
    top = await client.post(
        "/api/v1/tenants", headers=as_agency, json={"slug": "rogue", "name": "R", "timezone": "UTC"}
    )
    assert top.status_code == 403


async def test_members_get_roles_like_keys(client: AsyncTestClient, database_url: str) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    added = await client.post(
        "/api/v1/tenants/acme/members", json={"email": "Pat@Example.com", "name": "Pat", "role": "agent"}
    )
    assert added.status_code == 201
    assert added.json()["email"] == "pat@example.com"
    dup = await client.post(
        "/api/v1/tenants/acme/members", json={"email": "pat@example.com", "name": "P", "role": "agent"}
    )
    assert dup.status_code == 409
    member_rules = select(CasbinRule).where(CasbinRule.v0 == f"member:{added.json()['id']}")
    grants = await fetch_all(database_url, member_rules)
    assert [(g.v1, g.v2) for g in grants] == [("agent", "acme")]
    assert (await client.delete(f"/api/v1/tenants/acme/members/{added.json()['id']}")).status_code == 204
    assert await fetch_all(database_url, member_rules) == []


async def test_a_key_created_by_another_worker_is_recognised(client: AsyncTestClient, make_settings) -> None:
    """Workers share nothing but the database: a second app sees keys the first created."""
    from core.app import create_app
    from tests.conftest import ADMIN_KEY

    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    other = create_app(make_settings())
    async with AsyncTestClient(app=other, base_url="https://frontdesk.test") as second:
        second.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        assert (await second.get("/api/v1/tenants/acme")).status_code == 200  # policy loaded at start
        created = (
            await client.post("/api/v1/tenants/acme/api-keys", json={"name": "n", "role": "viewer"})
        ).json()
        response = await second.get(
            "/api/v1/tenants/acme", headers={"Authorization": f"Bearer {created['key']}"}
        )
        assert response.status_code == 200

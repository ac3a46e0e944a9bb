"""Every admin change lands in the audit log: who, what, when."""

from __future__ import annotations

from litestar.testing import AsyncTestClient


async def test_changes_are_audited_in_order(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    await client.patch("/api/v1/tenants/acme", json={"name": "Acme Inc"})
    await client.post("/api/v1/tenants/acme/phone-numbers", json={"number": "+15551230009"})
    await client.put("/api/v1/tenants/acme/plugins/greeting", json={"config": {"template": "Hi"}})
    entry = (
        await client.post("/api/v1/tenants/acme/knowledge", json={"question": "Q?", "answer": "A."})
    ).json()
    key = (await client.post("/api/v1/tenants/acme/api-keys", json={"name": "ops", "role": "viewer"})).json()
    await client.delete(f"/api/v1/tenants/acme/knowledge/{entry['id']}")
    # a refused change is not a change
    await client.put("/api/v1/tenants/acme/plugins/greeting", json={"config": {"template": 1}})

    log = (await client.get("/api/v1/tenants/acme/audit")).json()["items"]
    assert [item["action"] for item in log] == [
        "tenant.create",
        "tenant.update",
        "number.add",
        "plugin.configure",
        "knowledge.add",
        "api_key.create",
        "knowledge.remove",
    ]
    assert {item["actor"] for item in log} == {"platform-admin-key"}
    assert log[1]["detail"] == {"fields": ["name"]}
    assert log[5]["object_id"] == key["id"]
    assert key["key"] not in str(log)
    as_key = {"Authorization": f"Bearer {key['key']}"}
    assert (await client.get("/api/v1/tenants/acme/audit", headers=as_key)).status_code == 403

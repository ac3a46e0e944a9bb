"""The knowledge base through the admin API."""

from __future__ import annotations

from litestar.testing import AsyncTestClient


async def test_add_list_update_delete(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    added = await client.post(
        "/api/v1/tenants/acme/knowledge",
        json={"question": "Do you take Delta Dental?", "answer": "Yes, PPO plans.", "tags": ["insurance"]},
    )
    assert added.status_code == 201
    entry = added.json()
    await client.post(
        "/api/v1/tenants/acme/knowledge", json={"question": "Parking?", "answer": "Behind the building."}
    )
    listed = (await client.get("/api/v1/tenants/acme/knowledge")).json()["items"]
    assert [e["question"] for e in listed] == ["Do you take Delta Dental?", "Parking?"]

    patched = await client.patch(
        f"/api/v1/tenants/acme/knowledge/{entry['id']}", json={"answer": "Yes, PPO and HMO."}
    )
    assert patched.json()["answer"] == "Yes, PPO and HMO."
    assert patched.json()["question"] == "Do you take Delta Dental?"
    assert (await client.delete(f"/api/v1/tenants/acme/knowledge/{entry['id']}")).status_code == 204
    assert (await client.get(f"/api/v1/tenants/acme/knowledge/{entry['id']}")).status_code == 404


async def test_empty_question_is_400_naming_it(client: AsyncTestClient) -> None:
    await client.post("/api/v1/tenants", json={"slug": "acme", "name": "Acme", "timezone": "UTC"})
    response = await client.post("/api/v1/tenants/acme/knowledge", json={"question": "", "answer": "x"})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "question"


async def test_entries_of_another_tenant_are_404(client: AsyncTestClient) -> None:
    for slug in ("acme", "other"):
        await client.post("/api/v1/tenants", json={"slug": slug, "name": slug, "timezone": "UTC"})
    entry = (
        await client.post("/api/v1/tenants/acme/knowledge", json={"question": "Q?", "answer": "A."})
    ).json()
    assert (await client.get(f"/api/v1/tenants/other/knowledge/{entry['id']}")).status_code == 404
    assert (await client.delete(f"/api/v1/tenants/other/knowledge/{entry['id']}")).status_code == 404
    assert (await client.get(f"/api/v1/tenants/acme/knowledge/{entry['id']}")).status_code == 200

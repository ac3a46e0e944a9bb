"""Phone numbers: unique across the platform, with validated plugin overlays."""

from __future__ import annotations

from litestar.testing import AsyncTestClient


async def make_tenants(client: AsyncTestClient) -> None:
    for slug in ("alpha", "beta"):
        assert (
            await client.post("/api/v1/tenants", json={"slug": slug, "name": slug, "timezone": "UTC"})
        ).status_code == 201


async def test_number_belongs_to_one_tenant_only(client: AsyncTestClient) -> None:
    await make_tenants(client)
    added = await client.post(
        "/api/v1/tenants/alpha/phone-numbers",
        json={"number": "+15551230001", "label": "Main", "twilio_account_sid": "AC" + "1" * 32},
    )
    assert added.status_code == 201
    assert added.json()["label"] == "Main"
    taken = await client.post("/api/v1/tenants/beta/phone-numbers", json={"number": "+15551230001"})
    assert taken.status_code == 409
    assert taken.json()["extra"] == {"field": "number"}
    # beta cannot see alpha's number
    assert (await client.get("/api/v1/tenants/beta/phone-numbers/+15551230001")).status_code == 404
    listed = (await client.get("/api/v1/tenants/alpha/phone-numbers")).json()["items"]
    assert [n["number"] for n in listed] == ["+15551230001"]


async def test_bad_number_is_400_naming_it(client: AsyncTestClient) -> None:
    await make_tenants(client)
    response = await client.post("/api/v1/tenants/alpha/phone-numbers", json={"number": "5551230001"})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "number"


async def test_overlay_is_validated_against_the_plugin_config(client: AsyncTestClient) -> None:
    await make_tenants(client)
    bad_type = await client.post(
        "/api/v1/tenants/alpha/phone-numbers",
        json={"number": "+15551230002", "plugins": {"greeting": {"template": 7}}},
    )
    assert bad_type.status_code == 422
    assert bad_type.json()["extra"] == {"field": "plugins.greeting.template"}
    unknown = await client.post(
        "/api/v1/tenants/alpha/phone-numbers",
        json={"number": "+15551230002", "plugins": {"no_such_plugin": {}}},
    )
    assert unknown.status_code == 422
    assert unknown.json()["extra"] == {"field": "plugins.no_such_plugin"}
    assert (await client.get("/api/v1/tenants/alpha/phone-numbers")).json()["items"] == []

    good = await client.post(
        "/api/v1/tenants/alpha/phone-numbers",
        json={"number": "+15551230002", "plugins": {"greeting": {"language": "es-US"}}},
    )
    assert good.status_code == 201
    patched = await client.patch(
        "/api/v1/tenants/alpha/phone-numbers/+15551230002",
        json={"plugins": {"greeting": {"template": "Hola {{ business.name }}"}}},
    )
    assert patched.status_code == 200
    assert patched.json()["plugins"] == {"greeting": {"template": "Hola {{ business.name }}"}}


async def test_overlay_of_an_uninstalled_plugin_is_refused(client: AsyncTestClient) -> None:
    await make_tenants(client)
    assert (await client.delete("/api/v1/tenants/alpha/plugins/screening")).status_code == 204
    response = await client.post(
        "/api/v1/tenants/alpha/phone-numbers", json={"number": "+15551230003", "plugins": {"screening": {}}}
    )
    assert response.status_code == 422
    assert "not installed" in response.json()["detail"]


async def test_remove_number_frees_it_for_another_tenant(client: AsyncTestClient) -> None:
    await make_tenants(client)
    await client.post("/api/v1/tenants/alpha/phone-numbers", json={"number": "+15551230004"})
    assert (await client.delete("/api/v1/tenants/alpha/phone-numbers/+15551230004")).status_code == 204
    assert (
        await client.post("/api/v1/tenants/beta/phone-numbers", json={"number": "+15551230004"})
    ).status_code == 201

"""Installing and configuring plugins per tenant through the admin API."""

from __future__ import annotations

from db_support import fetch_one
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.plugins.models import PluginInstall
from core.security.crypto import SecretBox
from tests.conftest import SECRET_KEY
from tests.plugins.secret_plugin import PLUGIN as SECRET_PLUGIN


async def make_tenant(client: AsyncTestClient, slug: str = "acme") -> None:
    body = {"slug": slug, "name": "Acme", "timezone": "UTC"}
    assert (await client.post("/api/v1/tenants", json=body)).status_code == 201


async def test_catalog_lists_plugins_with_their_config_schema(client: AsyncTestClient) -> None:
    items = {item["name"]: item for item in (await client.get("/api/v1/plugins")).json()["items"]}
    assert {"greeting", "screening", "twilio_voice"} <= set(items)
    greeting = items["greeting"]
    assert greeting["default_installed"] is True
    schema = greeting["config_schema"]
    config = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    assert config["properties"]["template"]["type"] == "string"
    assert config["additionalProperties"] is False


async def test_install_validates_and_stores_config(client: AsyncTestClient) -> None:
    await make_tenant(client)
    put = await client.put(
        "/api/v1/tenants/acme/plugins/greeting",
        json={"config": {"template": "Welcome to {{ business.name }}!"}},
    )
    assert put.status_code == 200
    assert put.json()["config"] == {"template": "Welcome to {{ business.name }}!"}
    fetched = (await client.get("/api/v1/tenants/acme/plugins/greeting")).json()
    assert fetched["config"] == {"template": "Welcome to {{ business.name }}!"}
    tenant = (await client.get("/api/v1/tenants/acme")).json()
    assert tenant["config_version"] == 2  # created at 1; the install bumped it


async def test_invalid_config_is_422_naming_the_field_and_keeps_the_old_one(client: AsyncTestClient) -> None:
    await make_tenant(client)
    await client.put(
        "/api/v1/tenants/acme/plugins/screening", json={"config": {"blocklist": ["+15550001111"]}}
    )
    cases = {
        "config.blocklist": {"blocklist": "not-a-list"},
        "config.block_anonymous": {"block_anonymous": "sometimes"},
        "config.bogus": {"bogus": 1},
    }
    for field, config in cases.items():
        response = await client.put("/api/v1/tenants/acme/plugins/screening", json={"config": config})
        assert response.status_code == 422, response.text
        assert response.json()["extra"]["field"].startswith(field), response.json()
    kept = (await client.get("/api/v1/tenants/acme/plugins/screening")).json()["config"]
    assert kept == {"blocklist": ["+15550001111"]}


async def test_unknown_plugin_is_404_listing_known_ones(client: AsyncTestClient) -> None:
    await make_tenant(client)
    response = await client.put("/api/v1/tenants/acme/plugins/nope", json={"config": {}})
    assert response.status_code == 404
    assert "greeting" in response.json()["detail"]


async def test_env_reference_must_resolve(client: AsyncTestClient, monkeypatch) -> None:
    await make_tenant(client)
    missing = await client.put(
        "/api/v1/tenants/acme/plugins/greeting",
        json={"config": {"voice": {"$env": "FRONTDESK_TEST_UNSET_VOICE"}}},
    )
    assert missing.status_code == 422
    assert missing.json()["extra"]["field"] == "config.voice"
    monkeypatch.setenv("FRONTDESK_TEST_VOICE", "Polly.Amy")
    ok = await client.put(
        "/api/v1/tenants/acme/plugins/greeting", json={"config": {"voice": {"$env": "FRONTDESK_TEST_VOICE"}}}
    )
    assert ok.status_code == 200
    # the reference is stored, never the resolved value
    assert ok.json()["config"] == {"voice": {"$env": "FRONTDESK_TEST_VOICE"}}


async def test_uninstall_and_reinstall(client: AsyncTestClient) -> None:
    await make_tenant(client)
    assert (await client.delete("/api/v1/tenants/acme/plugins/screening")).status_code == 204
    assert (await client.get("/api/v1/tenants/acme/plugins/screening")).status_code == 404
    assert (await client.delete("/api/v1/tenants/acme/plugins/screening")).status_code == 404
    assert (
        await client.put("/api/v1/tenants/acme/plugins/screening", json={"config": {}})
    ).status_code == 200


async def test_uninstalling_a_plugin_numbers_overlay_is_409(client: AsyncTestClient) -> None:
    await make_tenant(client)
    number = {"number": "+15551239999", "plugins": {"screening": {"block_anonymous": True}}}
    assert (await client.post("/api/v1/tenants/acme/phone-numbers", json=number)).status_code == 201
    refused = await client.delete("/api/v1/tenants/acme/plugins/screening")
    assert refused.status_code == 409
    assert "+15551239999" in refused.json()["detail"]
    cleared = await client.patch("/api/v1/tenants/acme/phone-numbers/+15551239999", json={"plugins": {}})
    assert cleared.status_code == 200
    assert (await client.delete("/api/v1/tenants/acme/plugins/screening")).status_code == 204


async def test_platform_defaults_layer_under_tenant_config(client: AsyncTestClient) -> None:
    await make_tenant(client)
    put = await client.put("/api/v1/plugins/screening/defaults", json={"config": {"block_anonymous": True}})
    assert put.status_code == 200
    assert put.json()["platform_defaults"] == {"block_anonymous": True}
    bad = await client.put("/api/v1/plugins/screening/defaults", json={"config": {"block_anonymous": "x"}})
    assert bad.status_code == 422
    tenant = (await client.get("/api/v1/tenants/acme")).json()
    assert tenant["config_version"] == 2  # platform defaults changed every tenant's effective config


async def test_secret_fields_are_encrypted_at_rest_and_redacted(make_settings, database_url: str) -> None:
    from litestar.testing import AsyncTestClient as Client

    from core.app import create_app
    from tests.conftest import ADMIN_KEY

    app = create_app(make_settings(), extra_plugins=[("secretive", SECRET_PLUGIN)])
    async with Client(app=app, base_url="https://frontdesk.test") as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        await make_tenant(client)
        put = await client.put(
            "/api/v1/tenants/acme/plugins/secretive",
            json={"config": {"api_key": "sk-live-123456", "model": "large"}},
        )
        assert put.status_code == 200, put.text
        assert put.json()["config"] == {"api_key": "********", "model": "large"}
        # sending the redacted value back keeps the secret
        again = await client.put(
            "/api/v1/tenants/acme/plugins/secretive",
            json={"config": {"api_key": "********", "model": "small"}},
        )
        assert again.status_code == 200
    stored = await fetch_one(
        database_url, select(PluginInstall.config).where(PluginInstall.name == "secretive")
    )
    assert "sk-live-123456" not in str(stored)
    assert stored["model"] == "small"
    assert SecretBox(SECRET_KEY).decrypt(stored["api_key"]["$encrypted"]) == "sk-live-123456"

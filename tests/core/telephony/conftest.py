"""A tenant with a number, a Twilio auth token, and Twilio's side of the wire to call it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.settings import Settings
from core.telephony.simulator import SimulatedCall, TwilioSide
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin

TWILIO_TOKEN = "twilio-test-auth-token"
PUBLIC_URL = "https://frontdesk.test"
NUMBER = "+15551230001"
CALLER = "+15550007777"


def phone_settings(make_settings: Callable[..., Settings], **overrides: object) -> Settings:
    values = {"twilio_auth_token": TWILIO_TOKEN, "hook_timeout_s": 0.2, "turn_budget_s": 3.0}
    return make_settings(**{**values, **overrides})


async def open_line(client: AsyncTestClient, plugins: dict[str, dict] | None = None) -> TwilioSide:
    tenant = {"slug": "acme", "name": "Acme Dental", "timezone": "America/Chicago"}
    assert (await client.post("/api/v1/tenants", json=tenant)).status_code == 201
    assert (
        await client.post("/api/v1/tenants/acme/phone-numbers", json={"number": NUMBER})
    ).status_code == 201
    for name, config in (plugins or {}).items():
        response = await client.put(f"/api/v1/tenants/acme/plugins/{name}", json={"config": config})
        assert response.status_code == 200, response.text
    return TwilioSide(client, PUBLIC_URL, TWILIO_TOKEN)


@pytest.fixture
def extra_plugins() -> list[tuple[str, object]]:
    return [("scripted_llm", load_test_plugin("scripted_llm"))]


@pytest.fixture
async def phone(make_settings, extra_plugins) -> AsyncIterator[SimpleNamespace]:
    app = create_app(phone_settings(make_settings), extra_plugins=extra_plugins)
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"scripted_llm": {}})
        yield SimpleNamespace(
            client=client,
            twilio=twilio,
            call=lambda caller=CALLER, **kw: SimulatedCall(twilio, caller, NUMBER, **kw),
        )

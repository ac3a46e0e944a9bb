"""A tenant on the phone whose webhooks reach a local receiver speaking HTTP like any endpoint."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from standardwebhooks.webhooks import Webhook

from core.app import create_app
from core.runtime import open_services
from core.telephony.simulator import SimulatedCall
from core.webhooks.dispatcher import Dispatcher
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

RECEIVER_HOST = "hooks.example.com"
RECEIVER_ADDRESS = "93.184.216.34"  # what the receiver's name resolves to (public)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted response for its path (then 204), keeping them all."""

    requests: list[Received] = field(default_factory=list)
    script: dict[str, list[httpx.Response | Exception]] = field(default_factory=dict)

    def answer(self, path: str, *responses: httpx.Response | Exception) -> None:
        self.script.setdefault(path, []).extend(responses)

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == RECEIVER_ADDRESS, "the guard pins the checked address"
        path = request.url.path
        self.requests.append(Received(path, dict(request.headers), request.content))
        queued = self.script.get(path)
        if queued:
            outcome = queued.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        return httpx.Response(204)

    def to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def verified(self, path: str, secret: str) -> list[dict[str, Any]]:
        """Every body sent to ``path``, each checked with the standardwebhooks library."""
        return [Webhook(secret).verify(r.body, r.headers) for r in self.to(path)]


async def resolve_receiver(host: str, port: int) -> list[str]:
    return [RECEIVER_ADDRESS]


def url(path: str) -> str:
    return f"https://{RECEIVER_HOST}{path}"


@pytest.fixture
def webhook_plugins() -> list[tuple[str, object]]:
    """Plugins of both the server and the worker (the same modules, as one deployment has)."""
    return [("scripted_llm", load_test_plugin("scripted_llm"))]


@pytest.fixture
async def hooked(make_settings, webhook_plugins) -> AsyncIterator[SimpleNamespace]:
    receiver = Receiver()
    settings = phone_settings(make_settings)
    app = create_app(
        settings,
        extra_plugins=webhook_plugins,
        webhook_transport=httpx.MockTransport(receiver.handle),
        webhook_resolver=resolve_receiver,
    )
    # The dispatcher runs as a worker would: its own services (engine, plugins) in this loop.
    worker = open_services(
        settings,
        extra_plugins=webhook_plugins,
        webhook_transport=httpx.MockTransport(receiver.handle),
        webhook_resolver=resolve_receiver,
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client, worker as services:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"scripted_llm": {}})

        async def subscribe(path: str, event: str) -> dict[str, Any]:
            response = await client.post(
                "/api/v1/tenants/acme/hooks", json={"target_url": url(path), "event": event}
            )
            assert response.status_code == 201, response.text
            return response.json()

        def dispatcher(**kw: Any) -> Dispatcher:
            return Dispatcher(services, services.webhook_http, **kw)

        yield SimpleNamespace(
            client=client,
            twilio=twilio,
            services=services,
            receiver=receiver,
            subscribe=subscribe,
            dispatcher=dispatcher,
            call=lambda caller=CALLER: SimulatedCall(twilio, caller, NUMBER),
        )


@pytest.fixture
def deliver(hooked) -> Callable[[], Any]:
    """Run one dispatcher until nothing is due."""

    async def run() -> int:
        return await hooked.dispatcher().run_until_idle()

    return run

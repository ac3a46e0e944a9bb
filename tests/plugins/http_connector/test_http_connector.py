"""The generic HTTP connector: tenant templates rendered in a sandbox, POSTed with an idempotency key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from core import ConnectorEvent, DeliveryError, TenantIdentity, retry_after_seconds
from core.plugins.config import PluginConfigError, validate_config
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers
from plugins.http_connector import HTTPConnector

URL = "https://hooks.example.com/frontdesk/calls"
OCCURRED = datetime(2026, 11, 24, 15, 5, 2, tzinfo=UTC)
TENANT = TenantIdentity(
    id="t-bright", slug="bright-smiles", name="Bright Smiles Dental", timezone="America/Chicago"
)
CALL = {
    "id": "0b6f3c2e-5d1a-4c8e-9f21-7a3d2b1c0e9f",
    "call_sid": "CA1f2e3d4c5b6a79880716253443526170",
    "from": "+15551230099",
    "to": "+15559870000",
    "channel": "voice",
    "duration_s": 171,
    "outcome": "booked",
    "summary": 'Booked a cleaning for Tuesday at 3 pm <urgent> & "soon".',
    "lead": None,
}
EVENT = ConnectorEvent(id="msg_0f1e2d3c", type="call.completed", timestamp=OCCURRED, data=CALL, tenant=TENANT)

TEMPLATE = """
{
  "source": {{ tenant.slug | tojson }},
  "business": {{ tenant.name | tojson }},
  "kind": {{ event.type | tojson }},
  "caller": {{ data.from | tojson }},
  "minutes": {{ (data.duration_s / 60) | round(1) }},
  "note": {{ data.summary | tojson }},
  "lead_name": {{ data.lead.name | tojson }}
}
"""


@pytest.fixture
def configure(builtin_catalog):
    def make(**layer: Any):
        return validate_config(builtin_catalog.get("http_connector"), [{"url": URL, **layer}], environ={})

    return make


class Receiver:
    """The tenant's endpoint: records what arrives and answers as told."""

    def __init__(self, response: httpx.Response | Exception | None = None) -> None:
        self.response = response or httpx.Response(202, json={"ok": True})
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.response, Exception):
            raise self.response
        return self.response


async def deliver(receiver: Receiver, config, event: ConnectorEvent = EVENT) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(receiver.handler)) as http:
        await HTTPConnector().deliver(event, config, http)


async def test_the_body_is_rendered_from_the_tenants_template(configure):
    receiver = Receiver()
    config = configure(template=TEMPLATE, headers={"X-Source": "receptionist"}, auth="Bearer s3cret")

    await deliver(receiver, config)

    (request,) = receiver.requests
    assert (request.method, str(request.url)) == ("POST", URL)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == "msg_0f1e2d3c"
    assert request.headers["x-source"] == "receptionist"
    assert request.headers["authorization"] == "Bearer s3cret"
    assert json.loads(request.content) == {
        "source": "bright-smiles",
        "business": "Bright Smiles Dental",
        "kind": "call.completed",
        "caller": "+15551230099",
        "minutes": 2.9,
        "note": 'Booked a cleaning for Tuesday at 3 pm <urgent> & "soon".',
        "lead_name": None,
    }


async def test_the_default_template_sends_the_whole_event(configure):
    receiver = Receiver()

    await deliver(receiver, configure())

    assert json.loads(receiver.requests[0].content) == {
        "id": "msg_0f1e2d3c",
        "type": "call.completed",
        "timestamp": "2026-11-24T15:05:02Z",
        "data": CALL,
    }


async def test_the_auth_value_can_go_in_another_header(configure):
    receiver = Receiver()

    await deliver(receiver, configure(auth="k-123", auth_header="X-Api-Key"))

    assert receiver.requests[0].headers["x-api-key"] == "k-123"
    assert "authorization" not in receiver.requests[0].headers


@pytest.mark.parametrize(
    "template",
    [
        '{"x": {{ data.__class__ | tojson }}}',
        '{"x": {{ tenant.items.__self__ | tojson }}}',
        '{"x": "{{ "".__class__.__mro__[1].__subclasses__() }}"}',
    ],
)
async def test_the_sandbox_refuses_unsafe_attribute_access(configure, template):
    receiver = Receiver()

    with pytest.raises(DeliveryError) as raised:
        await deliver(receiver, configure(template=template))

    assert raised.value.permanent
    assert raised.value.reason.startswith("template failed to render: access to attribute")
    assert "is unsafe" in raised.value.reason
    assert receiver.requests == []


async def test_a_template_that_does_not_render_json_is_permanent(configure):
    receiver = Receiver()

    with pytest.raises(DeliveryError) as raised:
        await deliver(receiver, configure(template='{"caller": {{ data.from }}}'))

    assert raised.value.permanent
    assert raised.value.reason.startswith("template did not render JSON")
    assert "+15551230099" in raised.value.reason
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("layer", "field", "message"),
    [
        ({"template": '{"a": {{ data.from }'}, "config.template", "line 1: unexpected '}'"),
        (
            {"events": ["call.completed", "call.finished"]},
            "config.events[1]",
            "unknown event 'call.finished'",
        ),
        ({"url": "ftp://example.com/drop"}, "config.url", "is not an http(s) URL"),
        ({"headers": {"Idempotency-Key": "x"}}, "config.headers.Idempotency-Key", "is set by the connector"),
        ({"headers": {"Bad Name": "x"}}, "config.headers.Bad Name", "not a valid HTTP header name"),
        ({"headers": {"X-A": "1\r\nX-B: 2"}}, "config.headers.X-A", "line breaks"),
        ({"auth": "Bearer x\nX-Evil: 1"}, "config.auth", "line breaks"),
    ],
)
def test_invalid_config_is_refused_naming_the_field(builtin_catalog, layer, field, message):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("http_connector"), [{"url": URL, **layer}], environ={})
    assert raised.value.field == field
    assert message in raised.value.message


def test_the_auth_value_is_a_secret(builtin_catalog):
    info = builtin_catalog.get("http_connector")
    assert info.secret_fields == ("auth",)
    assert info.default_installed is False


def test_only_the_chosen_events_are_wanted(configure):
    connector = HTTPConnector()
    config = configure(events=["lead.created", "appointment.booked"])
    assert [
        kind
        for kind in ("call.completed", "lead.created", "appointment.booked")
        if connector.wants(kind, config)
    ] == [
        "lead.created",
        "appointment.booked",
    ]
    assert connector.wants("call.completed", configure())
    assert not connector.wants("call.completed", configure(events=[]))


async def test_without_a_url_every_delivery_fails_naming_it(builtin_catalog):
    config = validate_config(builtin_catalog.get("http_connector"), [{}], environ={})
    receiver = Receiver()

    with pytest.raises(DeliveryError) as raised:
        await deliver(receiver, config)

    assert raised.value.permanent
    assert raised.value.reason.startswith("url is not set")
    assert receiver.requests == []


# --- the receiver's answers ------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 204])
async def test_any_2xx_is_success(configure, status):
    await deliver(Receiver(httpx.Response(status)), configure())


async def test_429_honours_retry_after(configure):
    receiver = Receiver(httpx.Response(429, text="slow down", headers={"Retry-After": "30"}))

    with pytest.raises(DeliveryError) as raised:
        await deliver(receiver, configure())

    assert (raised.value.status_code, raised.value.retry_after, raised.value.permanent) == (429, 30.0, False)
    assert raised.value.reason == f"{URL} answered HTTP 429: slow down"


async def test_410_gone_is_permanent(configure):
    with pytest.raises(DeliveryError) as raised:
        await deliver(Receiver(httpx.Response(410)), configure())

    assert (raised.value.status_code, raised.value.permanent) == (410, True)
    assert "fix url" in raised.value.reason


@pytest.mark.parametrize("status", [400, 401, 404, 500, 503])
async def test_other_failures_are_retried(configure, status):
    with pytest.raises(DeliveryError) as raised:
        await deliver(Receiver(httpx.Response(status)), configure())

    assert (raised.value.status_code, raised.value.retry_after, raised.value.permanent) == (
        status,
        None,
        False,
    )


async def test_a_timeout_is_retried(configure):
    with pytest.raises(DeliveryError) as raised:
        await deliver(Receiver(httpx.ReadTimeout("timed out")), configure())

    assert (raised.value.status_code, raised.value.permanent) == (None, False)
    assert raised.value.reason == f"{URL} did not answer in time"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("Tue, 24 Nov 2026 15:06:02 GMT", 60.0),
        ("Tue, 24 Nov 2026 15:00:00 GMT", 0.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header, seconds):
    assert retry_after_seconds(header, now=OCCURRED) == seconds


def test_the_plugin_registers_the_http_connector():
    registration = collect_providers(build_plugin_manager()).get("crm_connector", "http")
    assert registration.plugin == "http_connector"
    assert isinstance(registration.provider, HTTPConnector)

"""CRM connectors ride the outbox: never inside the call, retried on the delivery schedule."""

from __future__ import annotations

import pytest

from tests.core.conftest import load_test_plugin

API = "/api/v1/tenants/acme"


@pytest.fixture
def crm():
    return load_test_plugin("flaky_crm")


@pytest.fixture
def webhook_plugins(crm):
    return [("scripted_llm", load_test_plugin("scripted_llm")), ("flaky_crm", crm)]


async def install(hooked, mode: str) -> None:
    response = await hooked.client.put(f"{API}/plugins/flaky_crm", json={"config": {"mode": mode}})
    assert response.status_code == 200, response.text


async def test_a_failing_crm_never_touches_the_call_and_gets_every_event_on_retry(hooked, crm):
    await install(hooked, "fail_once")
    call = hooked.call()
    await call.start()
    step = await call.say("take a message please")
    assert step.says and not step.ends_call  # the call went on as usual
    await call.hang_up()
    assert crm.CONNECTOR.received == []  # nothing ran during the call

    dispatcher = hooked.dispatcher()
    dispatcher.retry_scale = 0.0
    await dispatcher.run_until_idle()

    received = crm.CONNECTOR.received
    assert sorted((kind, attempt) for kind, _id, attempt in received) == [
        ("call.completed", 1),
        ("call.completed", 2),
        ("call.started", 1),
        ("call.started", 2),
    ]
    ids = {
        kind: {event_id for k, event_id, _ in received if k == kind}
        for kind in ("call.started", "call.completed")
    }
    assert all(len(found) == 1 for found in ids.values())  # the same id on the retry
    listed = (await hooked.client.get(f"{API}/deliveries")).json()["items"]
    assert sorted((d["event_type"], d["connector"], d["status"], d["attempts"]) for d in listed) == [
        ("call.completed", "flaky", "succeeded", 2),
        ("call.started", "flaky", "succeeded", 2),
    ]


async def test_a_permanent_connector_error_fails_at_once_and_is_listed(hooked, crm):
    await install(hooked, "permanent")
    call = hooked.call()
    await call.start()
    await call.hang_up()
    await hooked.dispatcher().run_until_idle()
    failed = (await hooked.client.get(f"{API}/deliveries?status=failed")).json()["items"]
    assert sorted(
        (d["event_type"], d["attempts"], d["last_status_code"], d["last_error"]) for d in failed
    ) == [
        ("call.completed", 1, 401, "the CRM refused the token"),
        ("call.started", 1, 401, "the CRM refused the token"),
    ]


async def test_a_tenant_without_the_connector_installed_sends_it_nothing(hooked, crm):
    call = hooked.call()
    await call.start()
    await call.hang_up()
    await hooked.dispatcher().run_until_idle()
    assert crm.CONNECTOR.received == []
    assert (await hooked.client.get(f"{API}/deliveries")).json()["items"] == []

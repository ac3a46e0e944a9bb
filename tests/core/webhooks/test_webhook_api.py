"""The REST Hooks API: subscribe, list, unsubscribe, samples and event types, with clear errors."""

from __future__ import annotations

from datetime import UTC, datetime

from core.webhooks.outbox import publish

API = "/api/v1/tenants/acme"


async def test_subscribe_returns_a_secret_once_and_lists_the_hook(hooked):
    hook = await hooked.subscribe("/zap", "lead.created")
    assert hook["secret"].startswith("whsec_") and hook["event"] == "lead.created"
    listed = (await hooked.client.get(f"{API}/hooks")).json()
    assert [(h["id"], h["event"], h["status"]) for h in listed["items"]] == [
        (hook["id"], "lead.created", "active")
    ]
    assert "secret" not in listed["items"][0]
    single = (await hooked.client.get(f"{API}/hooks/{hook['id']}")).json()
    assert single["target_url"] == "https://hooks.example.com/zap"


async def test_bad_subscriptions_are_refused_naming_the_field(hooked):
    async def post(body):
        return await hooked.client.post(f"{API}/hooks", json=body)

    unknown = await post({"target_url": "https://hooks.example.com/x", "event": "call.exploded"})
    assert unknown.status_code == 422 and unknown.json()["extra"]["field"] == "event"
    assert "call.completed" in unknown.json()["detail"]
    private = await post({"target_url": "http://10.0.0.5/hook", "event": "*"})
    assert private.status_code == 422 and private.json()["extra"]["field"] == "target_url"
    assert "private" in private.json()["detail"]
    metadata = await post({"target_url": "http://169.254.169.254/latest", "event": "*"})
    assert metadata.status_code == 422 and "cloud metadata" in metadata.json()["detail"]
    missing = await post({"event": "*"})
    assert missing.status_code == 400 and "target_url" in missing.text
    not_a_url = await post({"target_url": "mailto:someone@example.com", "event": "*"})
    assert not_a_url.status_code == 422 and not_a_url.json()["extra"]["field"] == "target_url"
    assert (await hooked.client.get(f"{API}/hooks")).json()["items"] == []


async def test_unsubscribe_is_idempotent_and_keeps_the_hook_readable(hooked):
    hook = await hooked.subscribe("/zap", "*")
    assert (await hooked.client.delete(f"{API}/hooks/{hook['id']}")).status_code == 204
    assert (await hooked.client.delete(f"{API}/hooks/{hook['id']}")).status_code == 204
    assert (await hooked.client.get(f"{API}/hooks")).json()["items"] == []
    removed = (await hooked.client.get(f"{API}/hooks?status=removed")).json()["items"]
    assert [(h["id"], h["removed_reason"]) for h in removed] == [(hook["id"], "unsubscribed")]
    replay = await hooked.client.post(
        f"{API}/hooks/{hook['id']}/replay", json={"since": "2026-01-01T00:00:00Z"}
    )
    assert replay.status_code == 409
    assert (await hooked.client.get(f"{API}/hooks/not-a-hook")).status_code == 404


async def test_another_tenants_hook_does_not_exist(hooked):
    hook = await hooked.subscribe("/zap", "*")
    other = {"slug": "other", "name": "Other", "timezone": "UTC"}
    assert (await hooked.client.post("/api/v1/tenants", json=other)).status_code == 201
    for method, path in [
        ("GET", f"/api/v1/tenants/other/hooks/{hook['id']}"),
        ("DELETE", f"/api/v1/tenants/other/hooks/{hook['id']}"),
        ("GET", f"/api/v1/tenants/other/hooks/{hook['id']}/deliveries"),
    ]:
        assert (await hooked.client.request(method, path)).status_code == 404
    assert (await hooked.client.get(f"{API}/hooks/{hook['id']}")).status_code == 200


async def test_samples_are_recent_real_items_or_the_registered_sample(hooked):
    sample = (await hooked.client.get(f"{API}/hooks/samples/lead.created")).json()
    assert len(sample) == 1 and sample[0]["workflow"] == "mortgage" and "id" in sample[0]
    call = hooked.call()
    await call.start()
    await call.hang_up()
    real = (await hooked.client.get(f"{API}/hooks/samples/call.completed")).json()
    assert [(item["call_sid"], item["outcome"]) for item in real] == [(call.call_sid, "abandoned")]
    assert (await hooked.client.get(f"{API}/hooks/samples/no.such.event")).status_code == 404


async def test_event_types_list_the_contract_events(hooked):
    names = [t["name"] for t in (await hooked.client.get(f"{API}/hooks/event-types")).json()]
    assert names == [
        "call.started",
        "call.completed",
        "lead.created",
        "appointment.booked",
        "message.taken",
        "sms.received",
        "experiment.completed",
        "ai.budget_exceeded",
    ]


async def test_an_event_is_published_only_if_its_transaction_commits(hooked, deliver):
    hook = await hooked.subscribe("/tx", "*")
    tenant_id = (await hooked.client.get(API)).json()["id"]
    async with hooked.services.session_factory() as session:
        publish(session, tenant_id, "call.started", {"id": "rolled-back"}, datetime.now(UTC))
        await session.rollback()
    async with hooked.services.session_factory() as session:
        publish(session, tenant_id, "call.started", {"id": "committed"}, datetime.now(UTC))
        await session.commit()
    await deliver()
    assert [b["data"]["id"] for b in hooked.receiver.verified("/tx", hook["secret"])] == ["committed"]

"""Calls produce signed events that reach subscribers, and the delivery rules hold on every try."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from db_support import fetch_all
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from core.webhooks.models import OutboxEvent

API = "/api/v1/tenants/acme"


async def placed_call(hooked, *lines: str) -> str:
    call = hooked.call()
    await call.start()
    for line in lines:
        await call.say(line)
    await call.hang_up()
    return call.call_sid


async def test_a_call_delivers_every_event_signed_and_verifiable(hooked, deliver):
    hook = await hooked.subscribe("/all", "*")
    call_sid = await placed_call(
        hooked, "I'd like to book a cleaning", "I am a lead", "take a message please"
    )

    assert await deliver() == 5
    bodies = hooked.receiver.verified("/all", hook["secret"])
    by_type = {body["type"]: body for body in bodies}
    assert sorted(by_type) == [
        "appointment.booked",
        "call.completed",
        "call.started",
        "lead.created",
        "message.taken",
    ]
    assert all(body["data"]["call_sid"] == call_sid for body in bodies)
    completed = by_type["call.completed"]["data"]
    assert (completed["outcome"], completed["channel"], completed["from"]) == (
        "booked",
        "voice",
        "+15550007777",
    )
    assert [line["role"] for line in completed["transcript"]][:2] == ["assistant", "caller"]
    assert completed["lead"]["fields"] == {"loan_amount": 300000}
    assert by_type["lead.created"]["data"]["intent"] == "refinance"
    assert by_type["appointment.booked"]["data"]["name"] == "Dana"
    assert by_type["message.taken"]["data"]["body"] == "take a message please"
    ids = [r.headers["webhook-id"] for r in hooked.receiver.to("/all")]
    assert len(set(ids)) == 5 and all(i.startswith("msg_") for i in ids)
    assert all(r.headers["content-type"] == "application/json" for r in hooked.receiver.to("/all"))

    log = (await hooked.client.get(f"{API}/hooks/{hook['id']}/deliveries")).json()["items"]
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in log] == [("succeeded", 1, 204)] * 5
    assert await deliver() == 0  # nothing twice


async def test_a_subscription_gets_only_its_event(hooked, deliver):
    completed = await hooked.subscribe("/completed", "call.completed")
    booked = await hooked.subscribe("/booked", "appointment.booked")
    await placed_call(hooked, "hello there")
    await deliver()
    assert [b["type"] for b in hooked.receiver.verified("/completed", completed["secret"])] == [
        "call.completed"
    ]
    assert hooked.receiver.to("/booked") == []
    assert booked["secret"] != completed["secret"]


async def test_failures_are_retried_with_the_same_webhook_id_until_a_2xx(hooked):
    hook = await hooked.subscribe("/flaky", "call.started")
    hooked.receiver.answer(
        "/flaky",
        httpx.Response(500, text="boom"),
        httpx.Response(302, headers={"location": "https://elsewhere.example/"}),
        httpx.ReadTimeout("no answer"),
        httpx.Response(200, text="ok"),
    )
    await placed_call(hooked)
    dispatcher = hooked.dispatcher()
    dispatcher.retry_scale = 0.0  # retry at once
    await dispatcher.run_until_idle()

    tries = hooked.receiver.to("/flaky")
    assert len(tries) == 4
    assert len({t.headers["webhook-id"] for t in tries}) == 1
    assert len({t.body for t in tries}) == 1  # the same bytes each time
    for body in hooked.receiver.verified("/flaky", hook["secret"]):
        assert body["type"] == "call.started"
    (delivery,) = (await hooked.client.get(f"{API}/hooks/{hook['id']}/deliveries")).json()["items"]
    assert (delivery["status"], delivery["attempts"], delivery["id"]) == (
        "succeeded",
        4,
        tries[0].headers["webhook-id"],
    )
    detail = (await hooked.client.get(f"{API}/hooks/{hook['id']}/deliveries/{delivery['id']}")).json()
    assert [(a["number"], a["status_code"]) for a in detail["attempt_log"]] == [
        (1, 500),
        (2, 302),
        (3, None),
        (4, 200),
    ]
    assert detail["attempt_log"][0]["response_body"] == "boom"
    assert (
        detail["attempt_log"][2]["error"].startswith("no answer")
        or "Timeout" in detail["attempt_log"][2]["error"]
    )
    assert detail["payload"]["type"] == "call.started"


async def test_429_with_retry_after_waits_at_least_that_long(hooked, deliver):
    hook = await hooked.subscribe("/busy", "call.started")
    hooked.receiver.answer("/busy", httpx.Response(429, headers={"retry-after": "600"}))
    await placed_call(hooked)
    before = datetime.now(UTC)
    await deliver()
    (delivery,) = (await hooked.client.get(f"{API}/hooks/{hook['id']}/deliveries")).json()["items"]
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("pending", 1, 429)
    assert datetime.fromisoformat(delivery["next_attempt_at"]) >= before + timedelta(seconds=600)
    assert len(hooked.receiver.to("/busy")) == 1


async def test_410_removes_the_subscription(hooked, deliver):
    hook = await hooked.subscribe("/gone", "call.started")
    hooked.receiver.answer("/gone", httpx.Response(410))
    await placed_call(hooked)
    await deliver()
    await placed_call(hooked)
    await deliver()

    assert len(hooked.receiver.to("/gone")) == 1
    assert (await hooked.client.get(f"{API}/hooks")).json()["items"] == []
    removed = (await hooked.client.get(f"{API}/hooks/{hook['id']}")).json()
    assert (removed["status"], removed["removed_reason"]) == ("removed", "the receiver answered 410 Gone")
    (delivery,) = (await hooked.client.get(f"{API}/hooks/{hook['id']}/deliveries")).json()["items"]
    assert (delivery["status"], delivery["last_status_code"]) == ("cancelled", 410)


async def test_after_the_schedule_a_delivery_fails_is_listed_and_can_be_replayed(hooked):
    hook = await hooked.subscribe("/down", "call.started")
    hooked.receiver.answer("/down", *[httpx.Response(503)] * 11)
    await placed_call(hooked)
    dispatcher = hooked.dispatcher()
    dispatcher.retry_scale = 0.0
    await dispatcher.run_until_idle()
    assert len(hooked.receiver.to("/down")) == 11  # the first try and ten retries

    failed = (await hooked.client.get(f"{API}/deliveries?status=failed")).json()["items"]
    assert [(d["subscription_id"], d["attempts"], d["last_status_code"]) for d in failed] == [
        (hook["id"], 11, 503)
    ]
    replay = await hooked.client.post(f"{API}/hooks/{hook['id']}/deliveries/{failed[0]['id']}/replay")
    assert replay.status_code == 202
    assert replay.json()["status"] == "pending"
    await dispatcher.run_until_idle()
    tries = hooked.receiver.to("/down")
    assert len(tries) == 12 and tries[-1].headers["webhook-id"] == failed[0]["id"]
    (delivery,) = (await hooked.client.get(f"{API}/hooks/{hook['id']}/deliveries")).json()["items"]
    assert (delivery["status"], delivery["attempts"]) == ("succeeded", 12)
    again = await hooked.client.post(f"{API}/hooks/{hook['id']}/deliveries/{failed[0]['id']}/replay")
    assert again.status_code == 202  # a delivered one can be sent again too


async def test_a_time_range_is_replayed(hooked, deliver):
    hook = await hooked.subscribe("/range", "call.started")
    for _ in range(3):
        await placed_call(hooked)
    await deliver()
    assert len(hooked.receiver.to("/range")) == 3
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    only_failed = await hooked.client.post(f"{API}/hooks/{hook['id']}/replay", json={"since": since})
    assert only_failed.json() == {"replayed": 0}
    everything = await hooked.client.post(
        f"{API}/hooks/{hook['id']}/replay", json={"since": since, "status": "all"}
    )
    assert everything.status_code == 202 and everything.json() == {"replayed": 3}
    await deliver()
    ids = [r.headers["webhook-id"] for r in hooked.receiver.to("/range")]
    assert len(ids) == 6 and sorted(ids[:3]) == sorted(ids[3:])
    future = await hooked.client.post(
        f"{API}/hooks/{hook['id']}/replay", json={"since": since, "until": "2000-01-01T00:00:00Z"}
    )
    assert future.status_code == 422 and future.json()["extra"]["field"] == "until"


async def test_a_rotated_secret_signs_beside_the_old_one_for_the_grace_period(hooked, deliver):
    hook = await hooked.subscribe("/rotating", "call.started")
    rotated = (
        await hooked.client.post(f"{API}/hooks/{hook['id']}/rotate-secret", json={"grace_hours": 2})
    ).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != hook["secret"]
    await placed_call(hooked)
    await deliver()
    (request,) = hooked.receiver.to("/rotating")
    Webhook(hook["secret"]).verify(request.body, request.headers)
    Webhook(rotated["secret"]).verify(request.body, request.headers)

    final = (
        await hooked.client.post(f"{API}/hooks/{hook['id']}/rotate-secret", json={"grace_hours": 0})
    ).json()
    assert final["previous_secret_expires_at"] is None
    await placed_call(hooked)
    await deliver()
    latest = hooked.receiver.to("/rotating")[-1]
    assert len(latest.headers["webhook-signature"].split(" ")) == 1
    Webhook(final["secret"]).verify(latest.body, latest.headers)


async def test_a_subscription_does_not_receive_events_from_before_it_existed(hooked, deliver, database_url):
    await placed_call(hooked)
    hook = await hooked.subscribe("/late", "call.started")
    await deliver()
    assert hooked.receiver.to("/late") == []
    await placed_call(hooked)
    await deliver()
    assert len(hooked.receiver.verified("/late", hook["secret"])) == 1
    events = await fetch_all(database_url, select(OutboxEvent).where(OutboxEvent.type == "call.started"))
    assert len(events) == 2 and all(e.dispatched_at is not None for e in events)

"""A journey: subscribe a local endpoint, take real calls, get every event, lose none while it is down."""

from __future__ import annotations

import httpx

from tests.core.telephony.conftest import CALLER

API = "/api/v1/tenants/acme"
EVERY_DAY = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BUSINESS = {"hours": EVERY_DAY, "address": "12 Elm Street", "services": ["Teeth cleaning", "Whitening"]}


async def test_calls_with_the_offline_receptionist_reach_a_subscriber_that_was_down(hooked):
    client = hooked.client
    # The receptionist every tenant starts with: the offline model and the built-in calendar.
    assert (await client.delete(f"{API}/plugins/scripted_llm")).status_code == 204
    assert (await client.patch(API, json={"business": BUSINESS})).status_code == 200
    hook = await hooked.subscribe("/crm", "*")
    hooked.receiver.answer("/crm", *[httpx.Response(503)] * 6)  # the endpoint is down for a while

    booking = hooked.call()
    await booking.start()
    await booking.say("Can I book a cleaning tomorrow at 10?")
    await booking.say("Dana Smith")
    await booking.say("No, that's all. Thanks!")
    await booking.hang_up()

    # A message, taken by the scripted model the fixture installs (its dialogue is the offline
    # model's concern; here only the event matters).
    await client.put(f"{API}/plugins/scripted_llm", json={"config": {}})
    message = hooked.call()
    await message.start()
    await message.say("take a message: my crown came loose")
    await message.hang_up()

    dispatcher = hooked.dispatcher()
    dispatcher.retry_scale = 0.0
    await dispatcher.run_until_idle()

    events = hooked.receiver.verified("/crm", hook["secret"])  # every try verifies, failed ones too
    delivered = {r.headers["webhook-id"]: r for r in hooked.receiver.to("/crm")}
    log = (await client.get(f"{API}/hooks/{hook['id']}/deliveries")).json()["items"]
    assert {d["id"] for d in log} == set(delivered)
    assert all(d["status"] == "succeeded" for d in log)
    kinds = sorted({(e["type"], e["data"]["call_sid"]) for e in events})
    assert kinds == sorted(
        [
            ("call.started", booking.call_sid),
            ("appointment.booked", booking.call_sid),
            ("lead.created", booking.call_sid),
            ("call.completed", booking.call_sid),
            ("call.started", message.call_sid),
            ("message.taken", message.call_sid),
            ("call.completed", message.call_sid),
        ]
    )
    by_kind = {(e["type"], e["data"]["call_sid"]): e["data"] for e in events}
    assert by_kind[("appointment.booked", booking.call_sid)]["name"] == "Dana Smith"
    assert by_kind[("lead.created", booking.call_sid)]["phone"] == CALLER
    assert by_kind[("call.completed", booking.call_sid)]["outcome"] == "booked"
    assert "crown" in by_kind[("message.taken", message.call_sid)]["body"]
    assert by_kind[("call.completed", message.call_sid)]["outcome"] == "message_taken"

"""Screening on real calls: rejected, challenged (press 1), and the outcome each leaves."""

from __future__ import annotations

from tests.core.telephony.conftest import PUBLIC_URL


async def test_a_blocklisted_caller_is_rejected_and_counted_as_spam(phone) -> None:
    await phone.client.put(
        "/api/v1/tenants/acme/plugins/screening", json={"config": {"blocklist": ["+15550006666"]}}
    )
    call = phone.call(caller="+15550006666")
    step = await call.start()
    assert step.reject
    await call.hang_up(duration_s=0)
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "spam_blocked"
    assert detail["screening"] == {"decision": "reject", "reasons": ["blocklist"]}


async def test_an_unattested_caller_who_presses_one_gets_through(phone) -> None:
    call = phone.call(stir_verstat="No-TN-Validation")
    step = await call.start()
    assert step.says == ["You've reached Acme Dental. To continue, please press 1 or say yes."]
    assert step.gather_action == f"{PUBLIC_URL}/twilio/voice/challenge"
    step = await call.press("1")
    assert step.says == ["Thank you for calling Acme Dental. How can I help you today?"]
    await call.hang_up()
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["screening"]["decision"] == "allow"
    assert detail["screening"]["reasons"] == ["stir_shaken:No-TN-Validation"]


async def test_a_caller_who_fails_the_challenge_is_let_go(phone) -> None:
    call = phone.call(stir_verstat="TN-Validation-Passed-C")
    await call.start()
    step = await call.press("7")
    assert step.hangup and step.says == ["Sorry, we couldn't verify your call. Goodbye."]
    await call.hang_up(duration_s=4)
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "spam_blocked"


async def test_a_failed_attestation_goes_to_voicemail(phone) -> None:
    call = phone.call(stir_verstat="TN-Validation-Failed-A")
    step = await call.start()
    assert step.record_action == f"{PUBLIC_URL}/twilio/voice/recording"
    await call.leave_voicemail("It's the pharmacy about a prescription.")
    await call.hang_up()
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["outcome"] == "voicemail"


async def test_a_contact_added_through_the_api_skips_screening_and_is_counted(phone) -> None:
    await phone.client.put(
        "/api/v1/tenants/acme/plugins/screening",
        json={"config": {"anonymous": "reject", "max_calls_per_hour": 1}},
    )
    added = await phone.client.post(
        "/api/v1/tenants/acme/contacts", json={"phone": "+15550004444", "name": "Ms. Okafor", "vip": True}
    )
    assert added.status_code == 201
    for _ in range(3):  # over the velocity limit, yet never challenged: a known contact
        call = phone.call(caller="+15550004444", stir_verstat="No-TN-Validation")
        step = await call.start()
        assert step.gather_action is not None and step.gather_action.endswith("/turn?n=1"), step
    detail = (await phone.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
    assert detail["screening"] == {"decision": "allow", "reasons": ["known_contact"]}
    contacts = (await phone.client.get("/api/v1/tenants/acme/contacts")).json()["items"]
    assert [(c["phone"], c["vip"], c["known"], c["calls_count"]) for c in contacts] == [
        ("+15550004444", True, True, 3)
    ]
    assert (
        await phone.client.post("/api/v1/tenants/acme/contacts", json={"phone": "+15550004444"})
    ).status_code == 409

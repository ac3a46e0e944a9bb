"""Whatever a plugin or the model does, the caller hears something sensible within the turn budget."""

from __future__ import annotations

import time

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall, TwimlStep
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

BUDGET_S = 3.0


def valid_spoken(step: TwimlStep) -> None:
    assert step.says and all(text.strip() for text in step.says)
    assert not step.ends_call or step.hangup or step.reject


@pytest.mark.parametrize("misbehaving", ["raising_plugin", "hanging_plugin"])
async def test_a_misbehaving_plugin_at_every_hook_never_costs_the_call(
    make_settings, misbehaving: str
) -> None:
    plugin = load_test_plugin(misbehaving)
    extra = [("scripted_llm", load_test_plugin("scripted_llm")), (plugin.NAME, plugin)]
    app = create_app(phone_settings(make_settings, turn_budget_s=BUDGET_S), extra_plugins=extra)
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"scripted_llm": {}, plugin.NAME: {}})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        timings = []
        for action in (call.start, lambda: call.say("hello"), lambda: call.say("please take a message")):
            started = time.monotonic()
            step = await action()
            timings.append(time.monotonic() - started)
            valid_spoken(step)
        # screen_call, greeting, route_call and log_call_event all misbehaved, and the call went on:
        assert call.heard[0] == "Thank you for calling Acme Dental. How can I help you today?"
        assert call.heard[1] == "You said: hello"
        assert call.heard[2].startswith("Done: ")
        await call.hang_up()
        detail = (await client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
        assert detail["outcome"] == "message_taken"
    # Each webhook was answered inside the turn budget, although the hanging plugin never returns.
    assert max(timings) < BUDGET_S, timings


async def test_a_model_that_hangs_is_overtaken_by_the_next_inside_the_budget(phone) -> None:
    call = phone.call()
    await call.start()
    started = time.monotonic()
    step = await call.say("slow, what are your hours?")
    elapsed = time.monotonic() - started
    # The scripted model never answers; the offline model, given the reserved slice, does.
    assert step.gather_action is not None and not step.says[0].startswith("I'm sorry, I'm having trouble")
    assert elapsed < 3.0, elapsed


async def test_a_lone_model_that_hangs_gets_the_fallback_inside_the_budget(phone) -> None:
    assert (await phone.client.delete("/api/v1/tenants/acme/plugins/offline_model")).status_code == 204
    call = phone.call()
    await call.start()
    started = time.monotonic()
    step = await call.say("slow")
    elapsed = time.monotonic() - started
    assert step.record_action is not None and step.says[0].startswith("I'm sorry")
    assert elapsed < 3.0 + 0.5, elapsed


ENDPOINTS = [
    "/twilio/voice",
    "/twilio/voice/turn?n=1",
    "/twilio/voice/challenge",
    "/twilio/voice/dial?n=1",
    "/twilio/voice/status",
    "/twilio/voice/recording",
    "/twilio/sms",
]


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_unsigned_or_forged_requests_are_refused(phone, path: str) -> None:
    params = {
        "CallSid": "CA" + "1" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": CALLER,
        "To": NUMBER,
        "CallStatus": "in-progress",
        "MessageSid": "SM" + "1" * 32,
        "Body": "hi",
    }
    unsigned = await phone.client.post(path, data=params)
    assert unsigned.status_code == 403
    signature = phone.twilio.validator.compute_signature(PUBLIC_URL + path, params)
    tampered = await phone.client.post(
        path, data={**params, "From": "+15550000000"}, headers={"X-Twilio-Signature": signature}
    )
    assert tampered.status_code == 403
    wrong_token = await phone.client.post(path, data=params, headers={"X-Twilio-Signature": "bm9wZQ=="})
    assert wrong_token.status_code == 403
    signed = await phone.client.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert signed.status_code in (200, 204)


async def test_a_tenants_own_auth_token_is_accepted(phone) -> None:
    """A tenant on its own Twilio account signs with its own token."""
    own = "tenant-own-twilio-token"
    await phone.client.patch("/api/v1/tenants/acme", json={"twilio_auth_token": own})
    from core.telephony.simulator import TwilioSide

    tenant_side = TwilioSide(phone.client, PUBLIC_URL, own)
    step = await SimulatedCall(tenant_side, CALLER, NUMBER).start()
    assert step.says == ["Thank you for calling Acme Dental. How can I help you today?"]


async def test_signature_is_checked_against_the_public_url_behind_a_proxy(
    make_settings, extra_plugins
) -> None:
    """Twilio signs https://public.example/..., the app is reached at http://10.0.0.5:8000 via a proxy."""
    app = create_app(
        phone_settings(make_settings, public_url="https://public.example"), extra_plugins=extra_plugins
    )
    async with AsyncTestClient(app=app, base_url="http://10.0.0.5:8000") as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        await open_line(client)
        from core.telephony.simulator import TwilioSide
        from tests.core.telephony.conftest import TWILIO_TOKEN

        step = await SimulatedCall(
            TwilioSide(client, "https://public.example", TWILIO_TOKEN), CALLER, NUMBER
        ).start()
        assert step.gather_action == "https://public.example/twilio/voice/turn?n=1"

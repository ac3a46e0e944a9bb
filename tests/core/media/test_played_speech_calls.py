"""Calls spoken by ElevenLabs: <Play> of cached clips, <Say> when it fails, per-variant voices."""

from __future__ import annotations

import json
import re

from db_support import fetch_all
from sqlalchemy import select

from core.media.models import MediaClip
from core.telephony import session
from tests.core.conftest import load_test_plugin
from tests.core.media.conftest import ELEVENLABS, VOICE_ID, greeting_twiml, worker
from tests.core.telephony.conftest import open_line

GREETING = "Thank you for calling Acme Dental. How can I help you today?"
PLAY = re.compile(r"<Play>(https://frontdesk\.test/media/[0-9a-f]{64}\.mp3)</Play>")


async def test_every_sentence_of_a_call_is_played_from_its_clip(voiced):
    call = voiced.call()
    greeting = await call.start()
    reply = await call.say("what are your opening hours?")

    urls = greeting.says + reply.says
    assert len(urls) == 2
    assert all(PLAY.fullmatch(f"<Play>{url}</Play>") for url in urls)
    assert voiced.fake.texts[0] == GREETING
    assert len(voiced.fake.texts) == 2
    for url, request in zip(urls, voiced.fake.requests, strict=True):
        served = await voiced.client.get(url.removeprefix("https://frontdesk.test"))
        assert served.status_code == 200
        assert served.content.startswith(b"ID3")
        assert request.url.path == f"/v1/text-to-speech/{VOICE_ID}"


async def test_a_failing_elevenlabs_is_replaced_by_the_tenants_twilio_voice(voiced, database_url):
    voiced.fake.status = 500
    twilio_voice = {"voice": "Google.en-US-Neural2-F"}
    response = await voiced.client.put(
        "/api/v1/tenants/acme/plugins/twilio_voice", json={"config": twilio_voice}
    )
    assert response.status_code == 200, response.text

    twiml = await greeting_twiml(voiced)

    assert len(voiced.fake.requests) == 1
    assert f'<Say language="en-US" voice="Google.en-US-Neural2-F">{GREETING}</Say>' in twiml
    assert "<Play>" not in twiml
    assert await fetch_all(database_url, select(MediaClip)) == []


async def test_a_slow_elevenlabs_is_not_waited_for(voiced):
    voiced.fake.delay_s = 30
    slow = {**ELEVENLABS, "timeout_s": 0.05}
    response = await voiced.client.put("/api/v1/tenants/acme/plugins/elevenlabs", json={"config": slow})
    assert response.status_code == 200, response.text

    step = await voiced.call().start()

    assert step.says == [GREETING]
    assert len(voiced.fake.requests) == 1


async def test_the_hosts_voice_deadline_caps_a_longer_timeout_s(voiced, monkeypatch):
    monkeypatch.setattr(session, "VOICE_TIMEOUT_S", 0.05)
    voiced.fake.delay_s = 30
    patient = {**ELEVENLABS, "timeout_s": 10}
    response = await voiced.client.put("/api/v1/tenants/acme/plugins/elevenlabs", json={"config": patient})
    assert response.status_code == 200, response.text

    step = await voiced.call().start()

    assert step.says == [GREETING]


async def test_without_the_twilio_voice_plugin_the_fallback_is_a_plain_say(voiced):
    voiced.fake.status = 401
    assert (await voiced.client.delete("/api/v1/tenants/acme/plugins/twilio_voice")).status_code == 204

    twiml = await greeting_twiml(voiced)

    assert f'<Say language="en-US">{GREETING}</Say>' in twiml


async def test_a_greeting_that_names_the_twilio_voice_is_said(voiced):
    config = {"voice": "twilio"}
    response = await voiced.client.put("/api/v1/tenants/acme/plugins/greeting", json={"config": config})
    assert response.status_code == 200, response.text

    call = voiced.call()
    greeting = await call.start()
    reply = await call.say("what are your opening hours?")

    assert greeting.says == [GREETING]
    assert not reply.says[0].startswith("https://")
    assert voiced.fake.requests == []


async def test_without_elevenlabs_installed_calls_are_said(voice_settings):
    async with worker(voice_settings) as line:
        await open_line(line.client)
        step = await line.call().start()

    assert step.says == [GREETING]
    assert line.fake.requests == []


async def test_a_voice_experiment_gives_each_variant_its_own_clips(voiced):
    experiment = {
        "key": "voice-b",
        "name": "Brighter voice",
        "type": "voice",
        "unit": "caller",
        "variants": [
            {"key": "control", "name": "Current voice", "weight": 0.5, "config": {}},
            {
                "key": "bright",
                "name": "Brighter voice",
                "weight": 0.5,
                "config": {"elevenlabs": {"voice_id": "voiceBBBBBBBBBBBBBBB", "stability": 0.3}},
            },
        ],
        "primary_metric": "message_taken",
    }
    created = await voiced.client.post("/api/v1/tenants/acme/experiments", json=experiment)
    assert created.status_code == 201, created.text
    started = await voiced.client.post(f"/api/v1/tenants/acme/experiments/{created.json()['id']}/start")
    assert started.status_code == 200, started.text

    heard: dict[str, set[str]] = {}
    for n in range(12):
        call = voiced.call(f"+1555020{n:04d}")
        url = (await call.start()).says[0]
        detail = (await voiced.client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
        [assignment] = detail["experiments"]
        heard.setdefault(assignment["variant"], set()).add(url)

    assert set(heard) == {"control", "bright"}
    assert all(len(urls) == 1 for urls in heard.values())  # one clip per variant, shared by its callers
    assert heard["control"] != heard["bright"]
    sent = {
        request.url.path.rsplit("/", 1)[1]: json.loads(request.content)["voice_settings"]["stability"]
        for request in voiced.fake.requests
    }
    assert sent == {VOICE_ID: 0.5, "voiceBBBBBBBBBBBBBBB": 0.3}
    assert len(voiced.fake.requests) == 2


async def test_a_variant_overlay_the_elevenlabs_config_refuses_is_named(voiced):
    experiment = {
        "key": "too-stable",
        "name": "Too stable",
        "type": "voice",
        "unit": "call",
        "variants": [
            {"key": "control", "name": "Current", "weight": 0.5, "config": {}},
            {"key": "rigid", "name": "Rigid", "weight": 0.5, "config": {"elevenlabs": {"stability": 4}}},
        ],
        "primary_metric": "message_taken",
    }

    response = await voiced.client.post("/api/v1/tenants/acme/experiments", json=experiment)

    assert response.status_code == 422
    assert "variants[1].config.elevenlabs.stability" in response.text


async def test_audio_the_host_cannot_serve_is_said_instead(voice_settings, database_url):
    async with worker(voice_settings, extra_plugins=[("wav_voice", load_test_plugin("wav_voice"))]) as line:
        await open_line(line.client, {"wav_voice": {}})
        twiml = await greeting_twiml(line)

    assert f'<Say language="en-US" voice="Polly.Joanna">{GREETING}</Say>' in twiml
    assert await fetch_all(database_url, select(MediaClip)) == []

"""Synthesised clips: said once, shared by every worker, served from unguessable URLs."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from db_support import fetch_all, fetch_one
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.engine import create_engine
from core.media.models import MediaClip
from core.media.store import MediaStore, purge_unused_clips
from core.providers import SpeechAudio
from core.runtime import open_services
from core.tenancy.models import Tenant
from core.webhooks.dispatcher import Dispatcher
from tests.core.media.conftest import ELEVENLABS, VOICE_ID, greeting_twiml, worker
from tests.fakes.elevenlabs import FakeElevenLabs, fake_mp3

GREETING = "Thank you for calling Acme Dental. How can I help you today?"
CLIP_URL = re.compile(r"^https://frontdesk\.test(?P<path>/media/(?P<key>[0-9a-f]{64})\.mp3)$")


def clip_path(url: str) -> str:
    match = CLIP_URL.match(url)
    assert match, url
    return match["path"]


async def test_a_sentence_is_synthesised_once_and_served_to_twilio(voiced, database_url):
    first = await voiced.call("+15550100001").start()
    second = await voiced.call("+15550100002").start()

    assert first.says == second.says
    assert voiced.fake.texts == [GREETING]  # the second caller cost no request
    response = await voiced.client.get(clip_path(first.says[0]), headers={"Authorization": ""})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    [request] = voiced.fake.requests
    assert response.content == fake_mp3(VOICE_ID, json.loads(request.content))
    stored = await fetch_one(database_url, select(MediaClip))
    assert response.content == stored.audio
    assert response.headers["content-length"] == str(stored.size) == str(len(stored.audio))
    assert stored.voice == f"elevenlabs:{VOICE_ID}"
    assert stored.content_type == "audio/mpeg"
    assert first.says[0].endswith(f"/media/{stored.key}.mp3")


async def test_another_worker_uses_and_serves_the_clip_from_the_database(voiced, voice_settings):
    first = await voiced.call("+15550100001").start()

    async with worker(voice_settings) as other:
        again = await other.call("+15550100002").start()
        served = await other.client.get(clip_path(again.says[0]))
        before = await voiced.client.get(clip_path(first.says[0]))

    assert again.says == first.says
    assert other.fake.requests == []
    assert served.status_code == 200
    assert served.content == before.content
    assert served.content.startswith(b"ID3")


async def test_other_settings_make_another_clip_and_both_stay_served(voiced, database_url):
    before = await voiced.call("+15550100001").start()
    changed = {**ELEVENLABS, "stability": 0.2}
    response = await voiced.client.put("/api/v1/tenants/acme/plugins/elevenlabs", json={"config": changed})
    assert response.status_code == 200, response.text

    after = await voiced.call("+15550100002").start()

    assert before.says != after.says
    assert voiced.fake.texts == [GREETING, GREETING]
    assert [r.content for r in voiced.fake.requests][1].count(b'"stability":0.2') == 1
    for step in (before, after):
        assert (await voiced.client.get(clip_path(step.says[0]))).status_code == 200
    assert len(await fetch_all(database_url, select(MediaClip))) == 2


async def test_unknown_or_malformed_clip_addresses_are_not_found(voiced):
    url = (await voiced.call().start()).says[0]
    key = CLIP_URL.match(url)["key"]

    for path in (
        f"/media/{'0' * 64}.mp3",
        f"/media/{key}.wav",
        f"/media/{key}",
        f"/media/{key.upper()}.mp3",
        "/media/../api/v1/tenants.mp3",
        "/media/not-a-key.mp3",
    ):
        assert (await voiced.client.get(path, headers={"Authorization": ""})).status_code == 404, path


async def test_the_greeting_twiml_plays_the_clip(voiced):
    twiml = await greeting_twiml(voiced)

    match = re.search(r"<Gather [^>]*><Play>(https://[^<]+)</Play></Gather>", twiml)
    assert match, twiml
    assert CLIP_URL.match(match[1])


def test_clip_keys_change_with_every_input_and_the_deployment_key():
    store = MediaStore("deployment-one")
    settings = {"voice_id": "a", "stability": 0.5}
    key = store.key_for("t1", "elevenlabs", settings, "Hello", "en-US")

    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key == store.key_for("t1", "elevenlabs", dict(reversed(settings.items())), "Hello", "en-US")
    others = {
        store.key_for("t2", "elevenlabs", settings, "Hello", "en-US"),
        store.key_for("t1", "other", settings, "Hello", "en-US"),
        store.key_for("t1", "elevenlabs", {**settings, "stability": 0.6}, "Hello", "en-US"),
        store.key_for("t1", "elevenlabs", settings, "Hello!", "en-US"),
        store.key_for("t1", "elevenlabs", settings, "Hello", "es-US"),
        MediaStore("deployment-two").key_for("t1", "elevenlabs", settings, "Hello", "en-US"),
    }
    assert key not in others
    assert len(others) == 6


async def test_clips_unused_for_the_retention_are_purged_on_the_hourly_round(
    voiced, voice_settings, database_url
):
    await voiced.call().start()
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as db:
            assert await purge_unused_clips(db, now) == 0
            await db.execute(update(MediaClip).values(last_used_at=now - timedelta(days=31)))
            await db.commit()
    finally:
        await engine.dispose()

    # As a `frontdesk worker` does it: its own services, in this loop.
    async with open_services(voice_settings) as services:
        await Dispatcher(services, services.webhook_http).purge()

    assert await fetch_all(database_url, select(MediaClip)) == []


async def test_a_new_worker_refreshes_last_used_at_of_an_old_clip(voiced, voice_settings, database_url):
    await voiced.call("+15550100001").start()
    long_ago = datetime.now(UTC) - timedelta(days=10)
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as db:
            await db.execute(update(MediaClip).values(last_used_at=long_ago))
            await db.commit()
    finally:
        await engine.dispose()

    async with worker(voice_settings, FakeElevenLabs()) as other:
        await other.call("+15550100002").start()

    clip = await fetch_one(database_url, select(MediaClip))
    assert clip.last_used_at > long_ago + timedelta(days=9)
    assert clip.created_at < clip.last_used_at


async def test_only_committed_clips_are_kept_in_memory(voiced, database_url):
    tenant_id = (await fetch_one(database_url, select(Tenant).where(Tenant.slug == "acme"))).id
    store = MediaStore("deployment")
    key = store.key_for(tenant_id, "elevenlabs", {"voice_id": "v"}, "Hi there", "en-US")
    made: list[str] = []

    async def synthesise() -> SpeechAudio:
        made.append("Hi there")
        return SpeechAudio(audio=b"ID3 hi", voice="elevenlabs:v")

    now = datetime.now(UTC)
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as db:
            await store.get_or_create(db, key, tenant_id=tenant_id, now=now, synthesise=synthesise)
            await db.rollback()
        async with AsyncSession(engine) as db:
            # (SQLite may have kept the row: its driver commits a savepoint opened outside a transaction.)
            await db.execute(delete(MediaClip))
            await db.commit()
            assert await store.find(db, key) is None  # rolled back: not remembered
            clip = await store.get_or_create(db, key, tenant_id=tenant_id, now=now, synthesise=synthesise)
            await db.commit()
        async with AsyncSession(engine) as db:
            await db.execute(delete(MediaClip))
            await db.commit()
            # Served from memory now: the row is gone, and no second synthesis happens.
            assert await store.find(db, key) == clip
            again = await store.get_or_create(db, key, tenant_id=tenant_id, now=now, synthesise=synthesise)
    finally:
        await engine.dispose()

    assert again == clip
    assert clip.audio == b"ID3 hi"
    assert made == ["Hi there", "Hi there"]

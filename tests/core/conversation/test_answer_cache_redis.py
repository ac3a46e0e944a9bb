"""The answer cache in the real Redis on 127.0.0.1:6379 (skipped when it is not running)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as redis
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.conversation.cache_backends import REDIS_PREFIX, RedisAnswerStore
from core.settings import Settings
from core.telephony.simulator import SimulatedCall, TwilioSide
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import NUMBER, PUBLIC_URL, TWILIO_TOKEN, open_line, phone_settings

REDIS_URL = "redis://127.0.0.1:6379/0"


async def _delete_matching(client: redis.Redis, pattern: str) -> None:
    keys = [key async for key in client.scan_iter(match=pattern)]
    if keys:
        await client.delete(*keys)


@pytest.fixture
async def redis_client() -> AsyncIterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=1)
    try:
        await client.ping()
    except (redis.RedisError, OSError):
        await client.aclose()
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    yield client
    await client.aclose()


@pytest.fixture
async def store(redis_client: redis.Redis) -> AsyncIterator[RedisAnswerStore]:
    """A store under a prefix of its own, emptied afterwards."""
    prefix = f"{REDIS_PREFIX}test-{uuid.uuid4().hex}:"
    opened = RedisAnswerStore.from_url(REDIS_URL, prefix=prefix)
    yield opened
    await opened.close()
    await _delete_matching(redis_client, prefix + "*")


async def test_an_answer_is_kept_under_the_prefix_with_its_time_to_live(
    store: RedisAnswerStore, redis_client: redis.Redis
) -> None:
    assert await store.get("tenant:k1:question") is None
    await store.put("tenant:k1:question", "We open at nine.", 3600)

    assert await store.get("tenant:k1:question") == "We open at nine."
    assert await redis_client.get(store.prefix + "tenant:k1:question") == "We open at nine."
    assert 3_500_000 < await redis_client.pttl(store.prefix + "tenant:k1:question") <= 3_600_000
    assert await store.get("tenant:k2:question") is None


async def test_callers_of_two_app_processes_share_an_answer_through_redis(
    make_settings: Callable[..., Settings], redis_client: redis.Redis
) -> None:
    """Two apps on one database and one Redis: what the first learnt, the second reuses."""
    knowledge_llm = load_test_plugin("knowledge_llm")
    settings = phone_settings(make_settings, redis_url=REDIS_URL)
    first_app = create_app(settings, extra_plugins=[("knowledge_llm", knowledge_llm)])
    second_app = create_app(settings, extra_plugins=[("knowledge_llm", knowledge_llm)])
    tenant_id = ""
    try:
        async with AsyncTestClient(app=first_app, base_url=PUBLIC_URL) as first:
            first.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
            twilio = await open_line(first, {"knowledge_llm": {}})
            tenant_id = (await first.get("/api/v1/tenants/acme")).json()["id"]
            entry = {"question": "What are your opening hours?", "answer": "Nine to five."}
            assert (await first.post("/api/v1/tenants/acme/knowledge", json=entry)).status_code == 201
            call = SimulatedCall(twilio, "+15550001111", NUMBER)
            await call.start()
            assert (await call.say("What are your opening hours?")).says == ["Nine to five."]
        assert len(await redis_client.keys(f"{REDIS_PREFIX}{tenant_id}:*")) == 1

        async with AsyncTestClient(app=second_app, base_url=PUBLIC_URL) as second:
            twilio = TwilioSide(second, PUBLIC_URL, TWILIO_TOKEN)
            call = SimulatedCall(twilio, "+15550002222", NUMBER)
            await call.start()
            assert (await call.say("what are your opening hours")).says == ["Nine to five."]
            metrics = (await second.get("/metrics")).text

        assert knowledge_llm.ASKED == ["What are your opening hours?"]
        assert 'frontdesk_answer_cache_lookups_total{result="hit"} 1.0' in metrics
    finally:
        if tenant_id:
            await _delete_matching(redis_client, f"{REDIS_PREFIX}{tenant_id}:*")

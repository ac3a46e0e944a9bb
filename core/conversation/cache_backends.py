"""Where cached answers are kept: this process's memory, or a Redis that every process shares.

A store maps a key to a text for a number of seconds. The in-process store is a bounded LRU,
so a busy process cannot grow without limit; the Redis store lets every worker process (and
every server) reuse an answer any of them found. A store raises when its backend fails: the
answer cache above it decides that a failure is only a miss.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as redis

# Every Redis key the answer cache writes starts with this, so it can share a Redis with others.
REDIS_PREFIX = "frontdesk:answer:"
# Seconds a Redis command may take: a cache that answers slower than the model is no use.
REDIS_TIMEOUT_S = 0.25
DEFAULT_MAX_ENTRIES = 10_000


class AnswerStore(Protocol):
    """A key-value store with expiry; ``kind`` names it in logs and metrics."""

    kind: str

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, ttl_s: float) -> None: ...

    async def close(self) -> None: ...


class MemoryAnswerStore:
    """The newest ``max_entries`` answers of this process; an expired one is dropped when read."""

    kind = "memory"

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_entries = max_entries
        self._clock = clock
        # key -> (expires_at, value), least recently used first.
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def put(self, key: str, value: str, ttl_s: float) -> None:
        self._entries[key] = (self._clock() + ttl_s, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def close(self) -> None:
        self._entries.clear()


class RedisAnswerStore:
    """Answers in Redis under ``prefix``, expired by Redis itself (``SET ... PX``)."""

    kind = "redis"

    def __init__(self, client: redis.Redis, *, prefix: str = REDIS_PREFIX) -> None:
        self.client = client
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, *, prefix: str = REDIS_PREFIX) -> RedisAnswerStore:
        # Connecting is lazy: an unreachable Redis shows up as a failed command, not a failed start.
        client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            decode_responses=True,
        )
        return cls(client, prefix=prefix)

    async def get(self, key: str) -> str | None:
        value = await self.client.get(self.prefix + key)
        return value if isinstance(value, str) else None

    async def put(self, key: str, value: str, ttl_s: float) -> None:
        await self.client.set(self.prefix + key, value, px=max(1, int(ttl_s * 1000)))

    async def close(self) -> None:
        await self.client.aclose()


def open_answer_store(redis_url: str | None, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> AnswerStore:
    """Redis when the deployment has one (``FRONTDESK_REDIS_URL``), else this process's memory."""
    if redis_url:
        return RedisAnswerStore.from_url(redis_url)
    return MemoryAnswerStore(max_entries)

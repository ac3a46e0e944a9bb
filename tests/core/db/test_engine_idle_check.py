"""Pooled PostgreSQL connections: checked before use after sitting idle, not on every checkout."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from db_support import (
    REQUIRE_POSTGRES,
    create_throwaway_postgres,
    drop_postgres_database,
    postgres_available,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from core.db.engine import IDLE_PING_AFTER_S, create_engine


@pytest.fixture
async def own_database() -> AsyncIterator[str]:
    # Its own database: the test disconnects every session on it.
    if not await postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432, and FRONTDESK_REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL is not reachable")
    url = await create_throwaway_postgres("frontdesk_idle_check")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def select_one(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(text("SELECT 1"))).scalar_one()


async def disconnect_everyone(url: str) -> int:
    """What a server restart does to the pool: every session on the database is ended."""
    killer = create_async_engine(url, poolclass=NullPool)
    try:
        async with killer.connect() as connection:
            ended = await connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": make_url(url).database},
            )
            return ended.scalar_one()
    finally:
        await killer.dispose()


async def test_connections_in_use_are_not_pinged_and_idle_dead_ones_are_replaced(
    own_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(own_database)
    pings: list[object] = []
    dialect = engine.sync_engine.dialect
    real_ping = dialect.do_ping

    def counted_ping(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return real_ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted_ping)
    try:
        for _ in range(5):  # back to back, as webhooks under load: no checks
            assert await select_one(engine) == 1
        assert pings == []

        assert await disconnect_everyone(own_database) == 1  # the pooled connection is now dead
        await asyncio.sleep(IDLE_PING_AFTER_S + 0.2)
        # Idle past the limit: checked, found dead, replaced; the caller's request never sees it.
        assert await select_one(engine) == 1
        assert len(pings) == 1
        assert await select_one(engine) == 1
        assert len(pings) == 1  # the fresh connection, just returned, is trusted again
    finally:
        await engine.dispose()

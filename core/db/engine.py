"""Async engine and session factory for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from core.db import sqlite_dialect


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """Create the engine; SQLite gets foreign keys and WAL so it behaves like a real database."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(
            with_sqlite_dialect(database_url), connect_args={"timeout": 30}, **kwargs
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in database_url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    engine = create_async_engine(database_url, pool_size=10, max_overflow=20, **kwargs)
    ping_when_idle(engine)
    return engine


def with_sqlite_dialect(database_url: str) -> str | URL:
    """A file database on aiosqlite gets Frontdesk's SQLite dialect (queued writers, one thread
    trip per statement: ``core.db.sqlite_dialect``); other URLs are returned as they are."""
    url = make_url(database_url)
    if url.drivername != "sqlite+aiosqlite" or url.database in (None, "", ":memory:"):
        return database_url
    return url.set(drivername=f"sqlite+{sqlite_dialect.DRIVER}")


# A pooled connection idle longer than this is checked before use (see ``ping_when_idle``).
IDLE_PING_AFTER_S = 1.0


def ping_when_idle(engine: AsyncEngine, idle_s: float = IDLE_PING_AFTER_S) -> None:
    """Check a pooled connection before use when it has been idle longer than ``idle_s``.

    SQLAlchemy's ``pool_pre_ping`` checks every checkout: with asyncpg that is three round trips
    (begin, a query, rollback), about 0.4 ms on every webhook. Connections that went back to the
    pool a moment ago are alive unless the server restarted in that moment; the ones that sat
    idle (when a restart or a dropped connection is seen) are still checked. A dead connection is
    discarded and the pool hands out another, as with ``pool_pre_ping``.
    """
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at <= idle_s:
            return  # new, or back in the pool a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"pooled connection failed its idle check: {exc}") from exc


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

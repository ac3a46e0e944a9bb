"""Database helpers for the tests: throwaway PostgreSQL databases and SQLite URLs.

A plain module (not a conftest) so any conftest can import what it needs. PostgreSQL tests skip
when the server is unreachable, unless FRONTDESK_REQUIRE_POSTGRES=1 (CI), where they must fail
instead: a silently skipped backend is how "works on SQLite only" ships.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

REQUIRE_POSTGRES = os.environ.get("FRONTDESK_REQUIRE_POSTGRES") == "1"

# Any database the test role can connect to, used only to CREATE/DROP the throwaway ones.
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
POSTGRES_ADMIN_URL = os.environ.get("FRONTDESK_TEST_POSTGRES_ADMIN_URL", DEFAULT_POSTGRES_ADMIN_URL)

# Seconds; an unreachable server should cost the run a moment, not a minute.
_CONNECT_TIMEOUT = 3

# CREATE/DROP DATABASE take no bind parameters, so names are checked before being quoted in.
_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

# Databases a test helper must never drop, whatever URL it is handed.
_PROTECTED = {"postgres", "template0", "template1"}

_availability: dict[str, bool] = {}


def _admin_engine(admin_url: str) -> AsyncEngine:
    # AUTOCOMMIT: CREATE/DROP DATABASE refuse to run inside a transaction block.
    return create_async_engine(
        admin_url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"timeout": _CONNECT_TIMEOUT},
    )


async def postgres_available(admin_url: str = POSTGRES_ADMIN_URL) -> bool:
    """Whether the PostgreSQL server answers; remembered per URL for the rest of the run."""
    if admin_url not in _availability:
        engine = _admin_engine(admin_url)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            _availability[admin_url] = True
        except Exception:
            # Refused, timed out, bad credentials, missing driver: all mean "cannot test here".
            _availability[admin_url] = False
        finally:
            await engine.dispose()
    return _availability[admin_url]


def _quote(name: str) -> str:
    if not _SAFE_NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    return f'"{name}"'


async def create_throwaway_postgres(
    prefix: str = "frontdesk_test", admin_url: str = POSTGRES_ADMIN_URL
) -> str:
    """Create an empty, uniquely named database and return its asyncpg URL."""
    # Unique per call, so parallel runs (and leftovers of a crashed run) never collide.
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = _admin_engine(admin_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"CREATE DATABASE {_quote(name)}"))
    finally:
        await engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str, admin_url: str = POSTGRES_ADMIN_URL) -> None:
    """Drop a database made by ``create_throwaway_postgres``, disconnecting whoever still uses it."""
    name = make_url(url).database or ""
    if name in _PROTECTED or name == make_url(admin_url).database:
        raise ValueError(f"refusing to drop {name!r}")
    engine = _admin_engine(admin_url)
    try:
        async with engine.connect() as connection:
            # A pooled connection left open by a failed test would otherwise make DROP fail.
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            await connection.execute(text(f"DROP DATABASE IF EXISTS {_quote(name)}"))
    finally:
        await engine.dispose()


def sqlite_url(tmp_path: Path) -> str:
    """An aiosqlite URL for a (not yet existing) database file inside ``tmp_path``."""
    return f"sqlite+aiosqlite:///{(Path(tmp_path) / 'frontdesk.db').resolve().as_posix()}"


async def fetch_all(database_url: str, statement: Any) -> list[Any]:
    """Run one SELECT on its own connection: what is really stored, not what the API says."""
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            return list(await session.scalars(statement))
    finally:
        await engine.dispose()


async def fetch_one(database_url: str, statement: Any) -> Any:
    rows = await fetch_all(database_url, statement)
    assert len(rows) == 1, f"expected one row, got {len(rows)}"
    return rows[0]


async def insert(database_url: str, *rows: Any) -> None:
    """Write rows as another component would (a call from Twilio, a row from an older version)."""
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            session.add_all(rows)
            await session.commit()
    finally:
        await engine.dispose()

"""One ``apply_tenants_dir`` at a time per database, across processes.

``frontdesk serve --workers N`` runs the app lifespan in every worker, and with
``FRONTDESK_TENANTS_DIR`` set each of them applies the directory as it starts, all at about the
same moment. Unserialised, two workers both find a tenant missing and both insert it: one hits a
unique violation and fails to start. Held around the whole apply (its reads included), the lock
makes the worker that waited see what the first one wrote, so it re-applies to no effect.

- PostgreSQL: a session-level advisory lock, on a connection of the app's engine held for the
  duration; closing a connection ends its session, so a dead process never leaves it held.
- SQLite file database: an exclusive ``flock`` on ``<database file>.apply.lock`` next to it,
  polled so the event loop keeps running; the kernel drops it when the process dies. The file is
  left in place: removing a lock file others may have open would let two holders in at once.
- In-memory SQLite: nothing, no other process can reach that database.
"""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.migrate import sqlite_file
from core.state import AppServices

# Key of the PostgreSQL advisory lock around tenant applies; distinct from the migrations' key
# (core.db.migrate._PG_MIGRATION_LOCK_KEY), and nothing else in the database may use it.
PG_APPLY_LOCK_KEY = 0x4644_544E_5453  # "FDTNTS"

_POLL_SECONDS = 0.05


@asynccontextmanager
async def applying_lock(services: AppServices) -> AsyncIterator[None]:
    """Wait until no other process (or task) is applying tenants to this database, then hold it."""
    if services.engine.dialect.name == "postgresql":
        async with _postgres_lock(services.engine):
            yield
        return
    database_file = sqlite_file(services.settings.database_url)
    if database_file is None:
        yield
        return
    async with _file_lock(database_file.with_name(database_file.name + ".apply.lock")):
        yield


@asynccontextmanager
async def _postgres_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    key = {"key": PG_APPLY_LOCK_KEY}
    async with engine.connect() as connection:
        released = False
        try:
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
            # The lock outlives the transaction; ending it keeps the connection from idling in one.
            await connection.commit()
            try:
                yield
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                await connection.commit()
                released = True
        finally:
            if not released:
                # Cancelled while waiting, or the unlock failed: this session may still hold the
                # lock, so end it rather than hand the connection back to the pool.
                await connection.invalidate()


@asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    # "a": create the file if missing, never truncate it under another holder.
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

"""The SQLite dialect Frontdesk's engines use: aiosqlite, with queued writers and one-trip statements.

Writers of one process take turns in an asyncio queue instead of SQLite's busy sleeps.

SQLite lets one transaction write at a time. A writer that finds the lock taken is handled by
SQLite's busy handler, which sleeps 1, 2, 5, 10, 15... up to 100 ms between tries, so under a
few concurrent webhooks most of the waiting is sleeping past the moment the lock came free
(p99 about a second at eight concurrent calls). The holder is slow to let go, too: each of its
statements is a hop to aiosqlite's thread and back, and between hops the event loop runs other
requests.

``QueuedSQLiteDialect`` is the aiosqlite dialect with one change: the statement that opens a
write transaction (the first INSERT, UPDATE, DELETE or REPLACE, before which Python's sqlite3
issues BEGIN) first takes an ``asyncio.Lock`` shared by the engine's connections on this event
loop, and the transaction's COMMIT or ROLLBACK (including the pool's rollback when a connection
is returned, closed or discarded) gives it back once it has finished. Waiters are woken in turn
as soon as the lock is free. Other processes and other event loops still meet SQLite's own
locking. A writer that waits longer than ``WAIT_LIMIT_S`` goes on without the queue and leaves
it to SQLite's busy handling, so a lock that was somehow never given back slows writers down
rather than stopping them.

Each statement takes one trip to aiosqlite's thread rather than four (``core.db.sqlite_cursor``),
and a COMMIT or ROLLBACK on a connection with no transaction open takes none
(``_in_transaction``).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import structlog
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.util import await_

from core.db.sqlite_cursor import OneTripDBAPI

log = structlog.get_logger(__name__)

# The driver name engines use for this dialect: ``sqlite+frontdesk_aiosqlite:///path``.
DRIVER = "frontdesk_aiosqlite"
# Statements before which Python's sqlite3 opens a transaction (so SQLite's write lock is taken).
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# As long as SQLite's own busy timeout (``PRAGMA busy_timeout`` in ``core.db.engine``).
WAIT_LIMIT_S = 30.0


def opens_write(statement: str) -> bool:
    """Whether ``statement`` is one before which sqlite3 begins a write transaction."""
    return statement.lstrip()[:7].upper().startswith(WRITE_VERBS)


async def _take(lock: asyncio.Lock, limit_s: float) -> bool:
    try:
        async with asyncio.timeout(limit_s):
            await lock.acquire()
    except TimeoutError:
        return False
    return True


class QueuedSQLiteDialect(SQLiteDialect_aiosqlite):
    """aiosqlite, with this process's writers queued on an ``asyncio.Lock`` per event loop."""

    supports_statement_cache = True
    wait_limit_s = WAIT_LIMIT_S

    @classmethod
    def import_dbapi(cls) -> OneTripDBAPI:
        return OneTripDBAPI(__import__("aiosqlite"), __import__("sqlite3"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        # The lock each connection in a write transaction holds, by id of its driver connection.
        self._held: dict[int, asyncio.Lock] = {}

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    def _before(self, statement: str, context: Any) -> None:
        if context is None or not opens_write(statement):
            return
        key = id(_driver_connection(context.root_connection.connection))
        if key in self._held:
            return
        lock = self._lock()
        if await_(_take(lock, self.wait_limit_s)):
            self._held[key] = lock
        else:
            log.warning("sqlite.write_queue_wait_exceeded", limit_s=self.wait_limit_s)

    def _release(self, dbapi_connection: Any) -> None:
        lock = self._held.pop(id(_driver_connection(dbapi_connection)), None)
        if lock is not None and lock.locked():
            lock.release()

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        self._before(statement, context)
        super().do_execute(cursor, statement, parameters, context)

    def do_executemany(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        self._before(statement, context)
        super().do_executemany(cursor, statement, parameters, context)

    def do_execute_no_params(self, cursor: Any, statement: str, context: Any = None) -> None:
        self._before(statement, context)
        super().do_execute_no_params(cursor, statement, context)

    def do_commit(self, dbapi_connection: Any) -> None:
        try:
            if _in_transaction(dbapi_connection):
                super().do_commit(dbapi_connection)
        finally:
            self._release(dbapi_connection)

    def do_rollback(self, dbapi_connection: Any) -> None:
        try:
            if _in_transaction(dbapi_connection):
                super().do_rollback(dbapi_connection)
        finally:
            self._release(dbapi_connection)

    def do_close(self, dbapi_connection: Any) -> None:
        try:
            super().do_close(dbapi_connection)
        finally:
            self._release(dbapi_connection)

    def do_terminate(self, dbapi_connection: Any) -> None:
        try:
            super().do_terminate(dbapi_connection)
        finally:
            self._release(dbapi_connection)


def _in_transaction(connection: Any) -> bool:
    """Whether sqlite3 has a transaction open on ``connection`` (True when it cannot tell).

    Reads run outside transactions, so a session that only read, and every connection going
    back to the pool, would otherwise send a COMMIT or ROLLBACK with nothing to end: a no-op for
    SQLite, but a round trip to aiosqlite's thread each.
    """
    aiosqlite_connection = getattr(_driver_connection(connection), "_connection", None)
    try:
        return bool(aiosqlite_connection.in_transaction) if aiosqlite_connection is not None else True
    except ValueError:  # closed: let the driver say so
        return True


def _driver_connection(connection: Any) -> Any:
    """The DBAPI connection under a pool's proxy (the pool hands either to the dialect)."""
    return getattr(connection, "dbapi_connection", None) or connection


registry.register(f"sqlite.{DRIVER}", __name__, QueuedSQLiteDialect.__name__)

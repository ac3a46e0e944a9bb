"""Each SQLite statement in one trip to aiosqlite's thread, instead of four.

aiosqlite runs every call on its connection's own thread and hands the result back to the event
loop. SQLAlchemy's adapter makes a statement four such trips: open a cursor, execute, fetch the
rows, close the cursor. Each trip waits for the loop to come round again, and under load the
loop is busy with other requests, so a webhook's seven or so statements cost it about thirty
trips, and a write transaction holds SQLite's lock across all of its own.

``OneTripCursor`` does the whole statement (cursor, execute, description, rows, row count, last
row id, close) in one function on that thread and keeps the results, which is all SQLAlchemy
reads from a client-side cursor. Server-side (streaming) cursors are left as they were.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import await_

# What one trip brings back: description, rows, row count, last row id.
Outcome = tuple[Any, list[Any], int, int | None]


def run_statement(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """On aiosqlite's thread: run one statement to the end on a cursor of its own."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A client-side cursor whose statements each take one trip to aiosqlite's thread."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No driver cursor is opened here (a trip of its own); each statement opens and closes one.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = {}
        self._rows: collections.deque[Any] = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # rows are all fetched with the statement

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        return self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        return self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: str, parameters: Any, *, many: bool) -> None:
        try:
            outcome = await_(self._trip(operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _trip(self, operation: str, parameters: Any, many: bool) -> Outcome:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            return await connection._execute(run_statement, connection._conn, operation, parameters, many)

    async def _async_soft_close(self) -> None:
        pass  # nothing is left open on the driver

    def close(self) -> None:
        self._rows.clear()


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI shim, handing out ``OneTripConnection``s."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)

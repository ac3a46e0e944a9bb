"""SQLite writers of one process queue on an asyncio lock instead of meeting SQLite's busy sleeps.

The engines here run with ``PRAGMA busy_timeout=0``: a writer that reached SQLite while another
transaction held the write lock would fail at once with "database is locked". That they all
succeed shows the second writer waited in the queue, not in SQLite.
"""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.engine import create_engine, with_sqlite_dialect
from core.db.sqlite_dialect import QueuedSQLiteDialect, opens_write

metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("text", String))


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}")

    @event.listens_for(engine.sync_engine, "connect")
    def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()

    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


def dialect_of(engine: AsyncEngine) -> QueuedSQLiteDialect:
    dialect = engine.sync_engine.dialect
    assert isinstance(dialect, QueuedSQLiteDialect)
    return dialect


async def texts(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(select(notes.c.text).order_by(notes.c.id))).scalars())


async def test_a_writer_waits_for_the_open_write_transaction_instead_of_failing(engine: AsyncEngine) -> None:
    first_wrote = asyncio.Event()

    async def slow_writer() -> None:
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(text="first"))
            first_wrote.set()
            await asyncio.sleep(0.05)  # holds SQLite's write lock meanwhile
            await connection.execute(insert(notes).values(text="first, again"))

    async def second_writer() -> None:
        await first_wrote.wait()
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(text="second"))

    await asyncio.gather(slow_writer(), second_writer())

    assert await texts(engine) == ["first", "first, again", "second"]
    assert dialect_of(engine)._held == {}


async def test_many_concurrent_writers_all_commit_in_turn(engine: AsyncEngine) -> None:
    async def writer(n: int) -> None:
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(text=f"note {n}"))
            await asyncio.sleep(0)
            await connection.execute(insert(notes).values(text=f"note {n} again"))

    await asyncio.gather(*(writer(n) for n in range(12)))

    written = await texts(engine)
    assert len(written) == 24
    for n in range(12):  # each transaction's two rows are adjacent: nobody wrote in between
        assert written.index(f"note {n} again") == written.index(f"note {n}") + 1


async def test_reads_do_not_queue_behind_an_open_write_transaction(engine: AsyncEngine) -> None:
    async with engine.begin() as writing:
        await writing.execute(insert(notes).values(text="uncommitted"))
        async with engine.connect() as reading:
            seen = (await reading.execute(select(notes.c.text))).scalars().all()
    assert seen == []  # WAL: the reader sees the last commit, without waiting
    assert await texts(engine) == ["uncommitted"]


async def test_a_failed_write_gives_the_queue_back_when_rolled_back(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(notes).values(id=1, text="one"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(id=1, text="duplicate"))

    async with engine.begin() as connection:
        await connection.execute(insert(notes).values(id=2, text="two"))
    assert await texts(engine) == ["one", "two"]
    assert not dialect_of(engine)._lock().locked()


async def test_a_connection_returned_without_commit_gives_the_queue_back(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(insert(notes).values(text="never committed"))
        assert dialect_of(engine)._lock().locked()
    # Returned to the pool, which rolls it back.
    assert not dialect_of(engine)._lock().locked()
    async with engine.begin() as connection:
        await connection.execute(insert(notes).values(text="committed"))
    assert await texts(engine) == ["committed"]


async def test_a_writer_cancelled_inside_its_transaction_gives_the_queue_back(engine: AsyncEngine) -> None:
    inside = asyncio.Event()

    async def stuck_writer() -> None:
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(text="abandoned"))
            inside.set()
            await asyncio.Event().wait()  # a hook that never returns, until its deadline cancels it

    task = asyncio.create_task(stuck_writer())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    async with engine.begin() as connection:
        await connection.execute(insert(notes).values(text="after"))
    assert await texts(engine) == ["after"]
    assert dialect_of(engine)._held == {}


async def test_a_writer_that_waits_past_the_limit_goes_on_to_sqlite(engine: AsyncEngine) -> None:
    dialect = dialect_of(engine)
    dialect.wait_limit_s = 0.01
    lock = dialect._lock()
    await lock.acquire()  # a holder that never gives it back
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(text="went on"))
    finally:
        lock.release()
    assert await texts(engine) == ["went on"]


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("INSERT INTO notes (text) VALUES (?)", True),
        ("  update notes SET text = ?", True),
        ("DELETE FROM notes", True),
        ("REPLACE INTO notes VALUES (?, ?)", True),
        ("SELECT * FROM notes", False),
        ("PRAGMA foreign_keys=ON", False),
        ("", False),
    ],
)
def test_the_statements_that_open_a_write_transaction(statement: str, writes: bool) -> None:
    assert opens_write(statement) is writes


def test_only_aiosqlite_file_databases_get_the_queue() -> None:
    assert str(with_sqlite_dialect("sqlite+aiosqlite:///./frontdesk.db")) == (
        "sqlite+frontdesk_aiosqlite:///./frontdesk.db"
    )
    assert with_sqlite_dialect("sqlite+aiosqlite:///:memory:") == "sqlite+aiosqlite:///:memory:"
    assert with_sqlite_dialect("sqlite+aiosqlite://") == "sqlite+aiosqlite://"
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    assert with_sqlite_dialect(url) == url

"""SQLite statements through Frontdesk's engine: one trip to aiosqlite's thread each, same results."""

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.engine import create_engine
from core.db.sqlite_cursor import OneTripCursor

metadata = MetaData()
pets = Table(
    "pets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("legs", Integer),
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions sent to aiosqlite's thread, in order."""
    sent: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return sent


async def test_reads_and_writes_take_one_trip_each(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(pets).values(name="Rex", legs=4))
        await connection.execute(insert(pets).values(name="Tweety", legs=2))
        rows = (await connection.execute(select(pets.c.name, pets.c.legs).order_by(pets.c.id))).all()

    assert [tuple(row) for row in rows] == [("Rex", 4), ("Tweety", 2)]
    # Three statements and the commit; a cursor of their own is opened and closed inside each trip.
    assert trips == ["run_statement", "run_statement", "run_statement", "commit"]


async def test_a_read_only_connection_sends_no_commit_or_rollback(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as connection:
        count = (await connection.execute(select(func.count()).select_from(pets))).scalar_one()
    async with engine.connect() as connection:
        await connection.execute(select(pets.c.id))
    assert count == 0
    assert trips == ["run_statement", "run_statement"]


async def test_row_counts_last_row_ids_and_many_rows_come_back(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(insert(pets).values(name="Rex", legs=4))
        assert inserted.inserted_primary_key == (1,)
        await connection.execute(insert(pets), [{"name": f"pet {n}", "legs": n % 5} for n in range(300)])
        raised = await connection.execute(update(pets).where(pets.c.legs == 4).values(legs=3))
        assert raised.rowcount == 61  # Rex and the 60 pets with n % 5 == 4
        removed = await connection.execute(delete(pets).where(pets.c.legs == 0))
        assert removed.rowcount == 60
        returned = await connection.execute(
            insert(pets).values(name="Nemo", legs=0).returning(pets.c.id, pets.c.name)
        )
        assert tuple(returned.one()) == (302, "Nemo")
        result = await connection.execute(select(pets.c.name).order_by(pets.c.id))
        assert result.keys() == ["name"]
        names = result.scalars().all()
    assert len(names) == 242
    assert names[:2] == ["Rex", "pet 1"]
    assert names[-1] == "Nemo"


async def test_driver_errors_become_sqlalchemy_errors_and_the_connection_goes_on(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(insert(pets).values(name="Rex"))
        with pytest.raises(IntegrityError):
            await connection.execute(insert(pets).values(name="Rex"))
        await connection.rollback()
        await connection.execute(insert(pets).values(name="Fido"))
        await connection.commit()
        names = (await connection.execute(select(pets.c.name))).scalars().all()
    assert names == ["Fido"]


async def test_raw_driver_sql_and_streamed_results_still_work(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(pets), [{"name": f"pet {n}"} for n in range(5)])
        mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
        streamed = [
            row.name async for row in await connection.stream(select(pets.c.name).order_by(pets.c.id))
        ]
        empty = (await connection.execute(text("SELECT name FROM pets WHERE 0"))).all()
    assert mode == "wal"
    assert streamed == [f"pet {n}" for n in range(5)]
    assert empty == []


async def test_the_engine_uses_the_one_trip_cursor(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.driver_connection, aiosqlite.Connection)
        assert isinstance(raw.dbapi_connection.cursor(), OneTripCursor)  # type: ignore[union-attr]

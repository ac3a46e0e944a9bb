"""UTCDateTime gives back aware UTC datetimes on both backends, and refuses naive ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.base import UTCDateTime
from core.db.engine import create_engine

# A table of its own, so these tests do not depend on any model's shape.
metadata = MetaData()
stamps = Table(
    "utc_stamps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=True),
)

BERLIN_SUMMER = timezone(timedelta(hours=2))


@pytest.fixture
async def engine(empty_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_database_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _store_and_load(engine: AsyncEngine, value: datetime | None) -> datetime | None:
    async with engine.begin() as connection:
        row_id = (await connection.execute(insert(stamps).values(at=value))).inserted_primary_key[0]
        return (await connection.execute(select(stamps.c.at).where(stamps.c.id == row_id))).scalar_one()


async def test_aware_utc_round_trips(engine: AsyncEngine) -> None:
    value = datetime(2024, 3, 31, 1, 30, 15, 123456, tzinfo=UTC)

    loaded = await _store_and_load(engine, value)

    assert loaded == value
    assert loaded is not None and loaded.utcoffset() == timedelta(0)


async def test_other_offsets_come_back_as_the_same_instant_in_utc(engine: AsyncEngine) -> None:
    value = datetime(2024, 7, 1, 12, 0, tzinfo=BERLIN_SUMMER)

    loaded = await _store_and_load(engine, value)

    assert loaded == value
    assert loaded is not None and loaded.utcoffset() == timedelta(0)
    assert (loaded.hour, loaded.minute) == (10, 0)


async def test_values_are_stored_in_utc(engine: AsyncEngine) -> None:
    # SQLite keeps only text: unless every row is written in UTC, ORDER BY and range filters
    # compare wall-clock times from different zones.
    await _store_and_load(engine, datetime(2024, 7, 1, 12, 0, tzinfo=BERLIN_SUMMER))

    async with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            raw = (await connection.execute(text("SELECT at FROM utc_stamps"))).scalar_one()
            assert raw.startswith("2024-07-01 10:00:00")
        else:
            raw = (
                await connection.execute(
                    text("SELECT to_char(at AT TIME ZONE 'UTC', 'HH24:MI') FROM utc_stamps")
                )
            ).scalar_one()
            assert raw == "10:00"


async def test_none_round_trips(engine: AsyncEngine) -> None:
    assert await _store_and_load(engine, None) is None


async def test_naive_datetime_is_rejected(engine: AsyncEngine) -> None:
    with pytest.raises(StatementError) as caught:
        await _store_and_load(engine, datetime(2024, 1, 1, 12, 0))

    assert isinstance(caught.value.orig, ValueError)
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM utc_stamps"))).scalar_one() == 0


def test_naive_datetime_is_rejected_before_reaching_a_driver() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2024, 1, 1), dialect=None)

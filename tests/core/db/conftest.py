"""Fixtures for the database-layer tests: one fresh, empty database per test, on each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from db_support import (
    REQUIRE_POSTGRES,
    create_throwaway_postgres,
    drop_postgres_database,
    postgres_available,
    sqlite_url,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """URL of a database with no tables: a file under tmp_path, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    if not await postgres_available():
        message = "PostgreSQL is not reachable"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{message}, and FRONTDESK_REQUIRE_POSTGRES=1")
        pytest.skip(message)
    url = await create_throwaway_postgres()
    try:
        yield url
    finally:
        await drop_postgres_database(url)

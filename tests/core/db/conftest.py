"""Fixtures for the database-layer tests: one fresh, empty database per test, on each backend."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# Until pyproject sets `pythonpath = [".", "tests"]` (or the package is installed), neither the repo
# root (`core`) nor tests/ (`db_support`) is importable when pytest runs as .venv/bin/pytest.
_TESTS_DIR = Path(__file__).resolve().parents[2]
for _path in (str(_TESTS_DIR.parent), str(_TESTS_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from db_support import (  # noqa: E402
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

"""Shared fixtures: one throwaway database per backend per run, emptied before each test.

Every test that takes ``client`` (or ``database_url``) runs on SQLite and on PostgreSQL. PostgreSQL is
skipped when unreachable, unless FRONTDESK_REQUIRE_POSTGRES=1 (CI), where that is a failure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from db_support import (
    REQUIRE_POSTGRES,
    create_throwaway_postgres,
    drop_postgres_database,
    postgres_available,
    sqlite_url,
)
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from core.app import create_app
from core.db.base import Base
from core.db.engine import create_engine
from core.db.migrate import upgrade_database
from core.settings import Settings

ADMIN_KEY = "fd_test_platform_admin_key"
SECRET_KEY = "test-deployment-secret"


@pytest.fixture(scope="session")
async def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = sqlite_url(tmp_path_factory.mktemp("sqlite"))
    await upgrade_database(url)
    return url


@pytest.fixture(scope="session")
async def postgres_database() -> AsyncIterator[str]:
    if not await postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432, and FRONTDESK_REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL is not reachable")
    url = await create_throwaway_postgres()
    try:
        await upgrade_database(url)
        yield url
    finally:
        await drop_postgres_database(url)


async def empty_all_tables(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            # Agencies reference their tenants' rows; unlink the tree before emptying it.
            await connection.execute(text("UPDATE tenants SET parent_id = NULL"))
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(table.delete())
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated_database(request: pytest.FixtureRequest) -> str:
    """The run's migrated database on each backend (resolved outside the event loop)."""
    return request.getfixturevalue(f"{request.param}_database")


@pytest.fixture
async def database_url(migrated_database: str) -> str:
    """A migrated database with no rows, on each backend."""
    await empty_all_tables(migrated_database)
    return migrated_database


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "admin_api_key": ADMIN_KEY,
            "secret_key": SECRET_KEY,
            "secret_key_file": str(tmp_path / "secret.key"),
            "auto_migrate": False,
            "public_url": "https://frontdesk.test",
            "log_level": "WARNING",
            # Tests deliver webhooks by driving a Dispatcher themselves, never from the background.
            "webhook_dispatch": "worker",
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
async def client(make_settings: Callable[..., Settings]) -> AsyncIterator[AsyncTestClient]:
    """An API client for a fresh app, authenticated as the platform admin."""
    app = create_app(make_settings())
    async with AsyncTestClient(app=app, base_url="https://frontdesk.test") as test_client:
        test_client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        yield test_client

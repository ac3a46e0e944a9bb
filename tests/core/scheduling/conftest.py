"""Fixtures for the scheduling store: a database on each backend and a tenant with known hours."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from scheduling_support import HOURS
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.engine import create_engine, create_session_factory
from core.tenancy.models import Tenant


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test database, each on its own connection, configured as the app does."""
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def tenant(sessions: async_sessionmaker[AsyncSession]) -> Tenant:
    async with sessions() as session:
        row = Tenant(
            slug="bright-smiles",
            name="Bright Smiles",
            timezone="America/New_York",
            languages=["en-US"],
            business={"hours": HOURS},
        )
        session.add(row)
        await session.commit()
        return row

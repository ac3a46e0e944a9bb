"""Request-scoped database session."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from core.state import AppServices


def services_of(request: Request) -> AppServices:
    return request.app.state.services


async def provide_db_session(request: Request) -> AsyncGenerator[AsyncSession, None]:
    async with services_of(request).session_factory() as session:
        yield session

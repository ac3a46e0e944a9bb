"""Liveness with a real database round trip."""

from __future__ import annotations

import asyncio

import msgspec
import structlog
from litestar import Request, Response, get
from sqlalchemy import text

from core.version import __version__

DB_CHECK_TIMEOUT_S = 2.0
log = structlog.get_logger(__name__)


class Health(msgspec.Struct):
    status: str
    database: str
    version: str


@get("/health", operation_id="health", tags=["operations"])
async def health(request: Request) -> Response[Health]:
    """200 when the service and its database answer; 503 when the database does not."""
    services = request.app.state.services
    try:
        async with asyncio.timeout(DB_CHECK_TIMEOUT_S), services.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ok", never a 500
        log.warning("health.database_unavailable", error=repr(exc))
        return Response(Health("degraded", "unavailable", __version__), status_code=503)
    return Response(Health("ok", "ok", __version__))

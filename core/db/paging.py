"""Keyset paging over (created_at, id): stable under inserts, cheap at any depth."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import msgspec
from litestar.exceptions import ValidationException
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(created_at: datetime, row_id: str) -> str:
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, row_id = base64.urlsafe_b64decode(padded.encode()).decode().split("|", 1)
        return datetime.fromisoformat(stamp), row_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationException(
            "cursor is not one this API issued", extra=[{"key": "cursor", "source": "query"}]
        ) from None


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationException(
            f"limit must be between 1 and {MAX_LIMIT}", extra=[{"key": "limit", "source": "query"}]
        )
    return limit


async def fetch_page(
    session: AsyncSession,
    stmt: Select[Any],
    model: Any,
    *,
    limit: int,
    cursor: str | None,
    time_attr: str = "created_at",
) -> tuple[list[Any], str | None]:
    """Rows of ``stmt`` (a select of ``model``) oldest first, after ``cursor``, and the next cursor."""
    check_limit(limit)
    time_column = getattr(model, time_attr)
    if cursor:
        after_at, after_id = decode_cursor(cursor)
        stmt = stmt.where(or_(time_column > after_at, and_(time_column == after_at, model.id > after_id)))
    rows = list(await session.scalars(stmt.order_by(time_column, model.id).limit(limit + 1)))
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(getattr(last, time_attr), last.id) if last is not None else None
    return rows[:limit], next_cursor


async def tenant_page(
    session: AsyncSession,
    model: Any,
    tenant_id: str,
    convert: Callable[[Any], T],
    *,
    limit: int,
    cursor: str | None,
    where: Sequence[Any] = (),
    time_attr: str = "created_at",
) -> Page[T]:
    """One page of a tenant's rows of ``model``, oldest first, each converted for the wire."""
    stmt = select(model).where(model.tenant_id == tenant_id, *where)
    rows, next_cursor = await fetch_page(
        session, stmt, model, limit=limit, cursor=cursor, time_attr=time_attr
    )
    return Page(items=[convert(row) for row in rows], next_cursor=next_cursor)

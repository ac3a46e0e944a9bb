"""``INSERT … ON CONFLICT`` for whichever database the session is on (SQLite and PostgreSQL spell it alike).

One atomic statement instead of read-then-write: two workers adding to the same counter, or
assigning the same unit, cannot lose an update or trip a unique constraint.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An ``insert()`` of ``table`` that offers ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} database")

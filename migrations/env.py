"""Alembic environment for Frontdesk: async engines, SQLite and PostgreSQL.

Two ways in:
- from code (core/db/migrate.py): the caller passes an open connection in
  ``config.attributes["connection"]`` and we run on it; no event loop is started here, so this
  works inside the app's (or pytest's) running loop;
- from the ``alembic`` CLI: no connection is given, so we build an async engine for
  ``sqlalchemy.url`` (or ``FRONTDESK_DATABASE_URL``) and drive it with ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from core.db.migrate import (
    check_foreign_keys,
    compare_column_types,
    create_migration_engine,
    lock_for_migration,
    render_migration_item,
)
from core.db.models import Base
from core.settings import load_settings

config = context.config

# Only the CLI passes an ini file; from code the app's own logging setup must stay untouched.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _database_url() -> str:
    # An explicit sqlalchemy.url (set by core/db/migrate.py) wins; otherwise the same setting the app
    # reads, so `alembic upgrade head` migrates the database the app would use.
    return config.get_main_option("sqlalchemy.url") or load_settings().database_url


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=compare_column_types,
        render_item=render_migration_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it."""
    url = _database_url()
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        lock_for_migration(connection)
        context.run_migrations()
        check_foreign_keys(connection)


async def run_async_migrations() -> None:
    engine = create_migration_engine(_database_url())
    try:
        # One outer transaction, committed at the end: the upgrade applies wholly or not at all.
        async with engine.begin() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Run the Alembic migrations from code: app start-up (embedded SQLite), the CLI and the tests.

Alembic's command API is synchronous, and its stock async ``env.py`` calls ``asyncio.run()``, which
cannot be nested in the event loop the app lifespan or pytest is already running. So the commands
here open an async connection themselves and hand Alembic its sync facade through
``Config.attributes["connection"]`` (``AsyncConnection.run_sync``); ``migrations/env.py`` only
builds its own engine when it is run by the ``alembic`` CLI.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator, TypeEngine

from core.db.base import UTCDateTime

# In a source tree (or an editable install) migrations/ sits next to the `core` package, whatever
# the cwd. A wheel does not ship it, so an installed package is told where it is
# (FRONTDESK_MIGRATIONS_DIR; the Docker image sets it) or finds it in the working directory.
SOURCE_MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
MIGRATIONS_DIR_ENV = "FRONTDESK_MIGRATIONS_DIR"


def migrations_dir() -> Path:
    """Where the Alembic environment is: the env variable, the source tree, else ``./migrations``."""
    configured = os.environ.get(MIGRATIONS_DIR_ENV)
    if configured:
        return Path(configured)
    if (SOURCE_MIGRATIONS_DIR / "env.py").is_file():
        return SOURCE_MIGRATIONS_DIR
    return Path.cwd() / "migrations"


# Key of the PostgreSQL advisory lock that serialises concurrent upgrades (several app processes
# starting at once); any constant works as long as nothing else in the database uses it.
_PG_MIGRATION_LOCK_KEY = 0x4644_4D49_4752  # "FDMIGR"

# Alembic's `context` and `op` are process-global proxies: two commands running at once in one
# process (two tasks, two threads, two event loops) drive each other's connections and deadlock.
# A thread lock spans every loop; it is polled, never waited on, so the event loop keeps running
# and a cancelled waiter leaves nothing behind holding it.
_ALEMBIC_LOCK = threading.Lock()
_LOCK_POLL_SECONDS = 0.05


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic config that needs no ``alembic.ini``; ``database_url`` becomes ``sqlalchemy.url``."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("path_separator", "os")
    if database_url is not None:
        # The config is a ConfigParser: a literal '%' (percent-encoded passwords) must be doubled.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision in ``migrations/versions`` (what ``upgrade_database`` goes to)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def sqlite_file(database_url: str) -> Path | None:
    """The file a SQLite URL points at, or None for in-memory and ``file:`` URI databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("uri"):
        return None
    return Path(database)


def ensure_sqlite_directory(database_url: str) -> None:
    """Create the folder of a SQLite file (sqlite creates the file, but not missing folders)."""
    path = sqlite_file(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def create_migration_engine(database_url: str) -> AsyncEngine:
    """An engine for running migrations; not the app's engine, whose SQLite settings differ.

    SQLite: foreign keys are OFF, because batch mode rebuilds a table by copy-drop-rename and with
    them on, dropping ``tenants`` would cascade-delete every tenant's rows. The driver's implicit
    transactions are switched off and ``BEGIN IMMEDIATE`` emitted instead, so a whole upgrade is
    one atomic transaction (SQLite DDL is transactional) holding the write lock, which also makes
    a second process that starts migrating at the same time wait rather than collide.
    """
    if make_url(database_url).get_backend_name() != "sqlite":
        return create_async_engine(database_url, poolclass=NullPool)

    ensure_sqlite_directory(database_url)
    engine = create_async_engine(
        database_url,
        poolclass=NullPool,
        connect_args={"timeout": 30, "isolation_level": None},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def lock_for_migration(connection: Connection) -> None:
    """Serialise migrators on PostgreSQL (SQLite already is, by ``BEGIN IMMEDIATE``).

    Transaction-scoped, so it is released by the commit; called before Alembic reads the current
    revision, so the process that waited sees what the first one did and has nothing left to do.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY})


def check_foreign_keys(connection: Connection) -> None:
    """With SQLite's enforcement off during the upgrade, check the result before committing."""
    if connection.dialect.name != "sqlite":
        return
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        listed = ", ".join(f"{row[0]} row {row[1]} -> {row[2]}" for row in problems[:10])
        raise RuntimeError(f"migration left {len(problems)} broken foreign key(s): {listed}")


def render_migration_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as plain SQLAlchemy ones, so migration files never import ``core``.

    A migration must keep working after the models move on; it needs the storage type, not our
    Python-side conversion. Returning False keeps Alembic's default rendering for everything else.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def compare_column_types(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Compare a TypeDecorator column by the type it stores as (its ``impl``), not by its class.

    Returns None for every other column, which lets Alembic's own comparison decide.
    """
    if not isinstance(metadata_type, TypeDecorator):
        return None
    impl = metadata_type.impl_instance
    # The dialect comparison reads the type off the column, so give it a stand-in column.
    stand_in: Column[Any] = Column(metadata_column.name, impl)
    return context.impl.compare_type(inspected_column, stand_in)


def _run_with_connection(connection: Connection, config: Config, action: str, revision: str) -> None:
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


@asynccontextmanager
async def _alembic_command_slot() -> AsyncIterator[None]:
    # Polling on purpose (see _ALEMBIC_LOCK): an asyncio.Event belongs to one loop.
    while not _ALEMBIC_LOCK.acquire(blocking=False):  # noqa: ASYNC110
        await asyncio.sleep(_LOCK_POLL_SECONDS)
    try:
        yield
    finally:
        _ALEMBIC_LOCK.release()


async def _run(database_url: str, action: str, revision: str) -> None:
    config = alembic_config(database_url)
    async with _alembic_command_slot():
        engine = create_migration_engine(database_url)
        try:
            # begin(): Alembic sees an outer transaction and leaves the commit to us, so the whole
            # upgrade commits (or rolls back) as one, on both backends.
            async with engine.begin() as connection:
                await connection.run_sync(_run_with_connection, config, action, revision)
        finally:
            await engine.dispose()


async def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to ``revision``; safe to call on every start (no-op when current)."""
    await _run(database_url, "upgrade", revision)


async def downgrade_database(database_url: str, revision: str = "base") -> None:
    """Migrate the database down to ``revision``; ``"base"`` drops every table the migrations made."""
    await _run(database_url, "downgrade", revision)


async def current_revision(database_url: str) -> str | None:
    """The revision the database is at; None if it was never migrated (or does not exist yet)."""
    database_file = sqlite_file(database_url)
    if database_file is not None and not database_file.exists():
        # Asking must not create an empty database file as a side effect.
        return None
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync_connection: MigrationContext.configure(sync_connection).get_current_revision()
            )
    finally:
        await engine.dispose()

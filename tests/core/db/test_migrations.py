"""The Alembic migrations build exactly the schema the models describe, up and down, on both backends."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from core.db.migrate import (
    compare_column_types,
    current_revision,
    downgrade_database,
    head_revision,
    migrations_dir,
    upgrade_database,
)
from core.db.models import Base

MIGRATIONS = migrations_dir() / "versions"

MODEL_TABLES = set(Base.metadata.tables)


async def _run_sync(url: str, fn: Any) -> Any:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(fn)
    finally:
        await engine.dispose()


async def _table_names(url: str) -> set[str]:
    return set(await _run_sync(url, lambda conn: inspect(conn).get_table_names()))


def _schema_differences(connection: Connection) -> list[Any]:
    # The same options migrations/env.py gives autogenerate, so "no differences" here means
    # `alembic revision --autogenerate` would produce an empty migration.
    context = MigrationContext.configure(connection, opts={"compare_type": compare_column_types})
    return compare_metadata(context, Base.metadata)


async def test_upgrade_creates_every_model_table(empty_database_url: str) -> None:
    assert await current_revision(empty_database_url) is None

    await upgrade_database(empty_database_url)

    assert await _table_names(empty_database_url) == MODEL_TABLES | {"alembic_version"}
    assert await current_revision(empty_database_url) == head_revision()
    assert head_revision() == sorted(p.name for p in MIGRATIONS.glob("0*.py"))[-1][:4]


async def test_upgrade_when_already_current_is_a_no_op(empty_database_url: str) -> None:
    # The app migrates on every start, so a second upgrade must change nothing and not fail.
    await upgrade_database(empty_database_url)
    await upgrade_database(empty_database_url)

    assert await current_revision(empty_database_url) == head_revision()


async def test_concurrent_upgrades_in_one_process_take_turns(empty_database_url: str) -> None:
    # Alembic keeps its migration context in module globals; without the lock in migrate.py two
    # overlapping upgrades run each other's operations and deadlock on the database lock.
    await asyncio.wait_for(asyncio.gather(*(upgrade_database(empty_database_url) for _ in range(3))), 60)

    assert await current_revision(empty_database_url) == head_revision()


async def test_downgrade_to_base_then_upgrade_again(empty_database_url: str) -> None:
    await upgrade_database(empty_database_url)

    await downgrade_database(empty_database_url)

    assert await _table_names(empty_database_url) <= {"alembic_version"}
    assert await current_revision(empty_database_url) is None

    await upgrade_database(empty_database_url)

    assert await _table_names(empty_database_url) == MODEL_TABLES | {"alembic_version"}
    assert await current_revision(empty_database_url) == head_revision()


async def test_models_and_migrations_agree(empty_database_url: str) -> None:
    await upgrade_database(empty_database_url)

    assert await _run_sync(empty_database_url, _schema_differences) == []


async def test_the_agreement_check_notices_drift(empty_database_url: str) -> None:
    """Guards the test above against passing vacuously (say, if comparison were switched off)."""
    await upgrade_database(empty_database_url)

    def drift(connection: Connection) -> None:
        connection.execute(text("DROP INDEX ix_audit_log_tenant_at"))
        if connection.dialect.name == "postgresql":
            # A lost time zone is the type drift that matters most, and SQLite cannot show it.
            connection.execute(text("ALTER TABLE audit_log ALTER COLUMN at TYPE TIMESTAMP WITHOUT TIME ZONE"))

    await _run_sync(empty_database_url, drift)
    differences = await _run_sync(empty_database_url, _schema_differences)

    kinds = {diff[0] if isinstance(diff, tuple) else diff[0][0] for diff in differences}
    assert "add_index" in kinds
    if empty_database_url.startswith("postgresql"):
        assert "modify_type" in kinds


def _expected_constraints() -> dict[str, dict[str, Any]]:
    """What the naming convention makes of the models: every name, as the database must have it."""
    expected: dict[str, dict[str, Any]] = {}
    for table in Base.metadata.sorted_tables:
        expected[table.name] = {
            "pk": table.primary_key.name,
            "fks": {
                (fk.name, tuple(fk.column_keys), fk.referred_table.name, (fk.ondelete or "").upper())
                for fk in table.foreign_key_constraints
            },
            "uniques": {
                (uq.name, tuple(col.name for col in uq.columns))
                for uq in table.constraints
                if uq.__class__.__name__ == "UniqueConstraint"
            },
            "indexes": {
                (ix.name, tuple(col.name for col in ix.columns), bool(ix.unique)) for ix in table.indexes
            },
        }
    return expected


def _reflected_constraints(connection: Connection) -> dict[str, dict[str, Any]]:
    inspector = inspect(connection)
    reflected: dict[str, dict[str, Any]] = {}
    for name in MODEL_TABLES:
        reflected[name] = {
            "pk": inspector.get_pk_constraint(name)["name"],
            "fks": {
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    (fk.get("options", {}).get("ondelete") or "").upper(),
                )
                for fk in inspector.get_foreign_keys(name)
            },
            "uniques": {
                (uq["name"], tuple(uq["column_names"])) for uq in inspector.get_unique_constraints(name)
            },
            # PostgreSQL also lists the index behind each unique constraint; that one is the constraint.
            "indexes": {
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in inspector.get_indexes(name)
                if "duplicates_constraint" not in ix
            },
        }
    return reflected


async def test_constraint_names_and_delete_rules_match_the_models(empty_database_url: str) -> None:
    # Autogenerate compares foreign keys by columns, not by name: check the names (which later
    # migrations will drop constraints by) and the ON DELETE rules explicitly.
    await upgrade_database(empty_database_url)

    reflected = await _run_sync(empty_database_url, _reflected_constraints)

    assert reflected == _expected_constraints()

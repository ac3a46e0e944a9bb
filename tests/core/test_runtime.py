"""Opening a process's resources: a database behind the code's migrations is refused with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_support import sqlite_url

from core.runtime import DatabaseNotMigratedError, open_services
from core.settings import Settings


async def test_an_unmigrated_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url(tmp_path), auto_migrate=False, secret_key="s")
    with pytest.raises(DatabaseNotMigratedError, match="run `frontdesk db upgrade`"):
        async with open_services(settings):
            pass


async def test_the_embedded_database_is_migrated_on_start(tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url(tmp_path), secret_key="s")
    async with open_services(settings) as services:
        assert services.catalog.get("greeting").name == "greeting"
    assert (tmp_path / "frontdesk.db").exists()

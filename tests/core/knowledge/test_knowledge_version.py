"""Every change to a tenant's knowledge bumps its ``knowledge_version``: cached answers key on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from db_support import fetch_one
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.runtime import open_services
from core.settings import Settings
from core.state import AppServices
from core.tenancy.declarative import apply_tenants_dir
from core.tenancy.models import Tenant

API = "/api/v1/tenants/acme/knowledge"

TENANT_FILE = """
slug = "corner-clinic"
name = "Corner Clinic"
timezone = "America/Chicago"

[[knowledge]]
question = "Is there parking?"
answer = "{parking}"
"""


async def knowledge_version(database_url: str, slug: str) -> int:
    return await fetch_one(database_url, select(Tenant.knowledge_version).where(Tenant.slug == slug))


async def test_adding_changing_and_removing_an_entry_each_bump_the_version(
    client: AsyncTestClient, database_url: str
) -> None:
    tenant = {"slug": "acme", "name": "Acme Dental", "timezone": "America/Chicago"}
    assert (await client.post("/api/v1/tenants", json=tenant)).status_code == 201
    assert await knowledge_version(database_url, "acme") == 1

    added = await client.post(API, json={"question": "Is there parking?", "answer": "Yes, behind."})
    assert added.status_code == 201
    assert await knowledge_version(database_url, "acme") == 2

    entry = added.json()["id"]
    assert (await client.patch(f"{API}/{entry}", json={"answer": "Street only."})).status_code == 200
    assert await knowledge_version(database_url, "acme") == 3
    assert (await client.patch(f"{API}/{entry}", json={})).status_code == 200  # nothing changed
    assert await knowledge_version(database_url, "acme") == 3

    assert (await client.delete(f"{API}/{entry}")).status_code == 204
    assert await knowledge_version(database_url, "acme") == 4


@pytest.fixture
async def services(make_settings: Callable[..., Settings]) -> AsyncIterator[AppServices]:
    async with open_services(make_settings()) as opened:
        yield opened


async def test_tenants_apply_bumps_the_version_only_when_the_knowledge_changes(
    services: AppServices, database_url: str, tmp_path: Path
) -> None:
    tenant_file = tmp_path / "corner-clinic.toml"
    tenant_file.write_text(TENANT_FILE.format(parking="Yes, behind the building."))
    await apply_tenants_dir(services, tmp_path)
    created = await knowledge_version(database_url, "corner-clinic")
    assert created == 2  # one entry added

    await apply_tenants_dir(services, tmp_path)
    assert await knowledge_version(database_url, "corner-clinic") == created

    tenant_file.write_text(TENANT_FILE.format(parking="Street parking only."))
    report = await apply_tenants_dir(services, tmp_path)
    assert report.changes == ["corner-clinic: knowledge updated: Is there parking?"]
    assert await knowledge_version(database_url, "corner-clinic") == created + 1

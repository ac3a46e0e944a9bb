"""A tenant's monthly budget for conversation models: set through the API and tenant files, checked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from core.runtime import open_services
from core.settings import Settings
from core.state import AppServices
from core.tenancy.declarative import DeclarativeError, apply_tenants_dir

TENANT = {"slug": "smile", "name": "Smile Dental", "timezone": "America/Chicago"}


@pytest.fixture
async def services(make_settings: Callable[..., Settings]) -> AsyncIterator[AppServices]:
    async with open_services(make_settings()) as opened:
        yield opened


async def test_budget_is_set_shown_changed_and_cleared(client: AsyncTestClient) -> None:
    created = await client.post("/api/v1/tenants", json={**TENANT, "ai_monthly_budget_usd": 25.5})
    assert created.status_code == 201, created.text
    assert created.json()["ai_monthly_budget_usd"] == 25.5
    assert (await client.get("/api/v1/tenants/smile")).json()["ai_monthly_budget_usd"] == 25.5
    for value in (0, 80, None):
        patched = await client.patch("/api/v1/tenants/smile", json={"ai_monthly_budget_usd": value})
        assert patched.status_code == 200, patched.text
        assert (await client.get("/api/v1/tenants/smile")).json()["ai_monthly_budget_usd"] == value


async def test_a_tenant_has_no_budget_unless_given_one(client: AsyncTestClient) -> None:
    assert (await client.post("/api/v1/tenants", json=TENANT)).json()["ai_monthly_budget_usd"] is None


@pytest.mark.parametrize("value", [-0.01, "ten dollars", True, [5]])
async def test_a_budget_that_is_not_a_non_negative_number_is_refused_naming_it(
    client: AsyncTestClient, value: object
) -> None:
    refused = await client.post("/api/v1/tenants", json={**TENANT, "ai_monthly_budget_usd": value})
    assert refused.status_code == 400, refused.text
    assert [item["key"] for item in refused.json()["extra"]] == ["ai_monthly_budget_usd"]
    assert (await client.post("/api/v1/tenants", json=TENANT)).status_code == 201
    refused = await client.patch("/api/v1/tenants/smile", json={"ai_monthly_budget_usd": value})
    assert refused.status_code == 400, refused.text
    assert [item["key"] for item in refused.json()["extra"]] == ["ai_monthly_budget_usd"]
    assert (await client.get("/api/v1/tenants/smile")).json()["ai_monthly_budget_usd"] is None


def write_tenant_file(directory: Path, budget_line: str) -> Path:
    path = directory / "smile.toml"
    path.write_text(f'slug = "smile"\nname = "Smile Dental"\ntimezone = "America/Chicago"\n{budget_line}\n')
    return path


async def test_a_tenant_file_sets_and_changes_the_budget(
    client: AsyncTestClient, services: AppServices, tmp_path: Path
) -> None:
    write_tenant_file(tmp_path, "ai_monthly_budget_usd = 40")
    assert (await apply_tenants_dir(services, tmp_path)).created == ["smile"]
    assert (await client.get("/api/v1/tenants/smile")).json()["ai_monthly_budget_usd"] == 40.0
    assert (await apply_tenants_dir(services, tmp_path)).unchanged == ["smile"]

    write_tenant_file(tmp_path, "ai_monthly_budget_usd = 12.5")
    assert (await apply_tenants_dir(services, tmp_path)).updated == ["smile"]
    assert (await client.get("/api/v1/tenants/smile")).json()["ai_monthly_budget_usd"] == 12.5
    # A file that leaves the budget out keeps the one set before.
    write_tenant_file(tmp_path, "")
    assert (await apply_tenants_dir(services, tmp_path)).unchanged == ["smile"]
    assert (await client.get("/api/v1/tenants/smile")).json()["ai_monthly_budget_usd"] == 12.5


async def test_a_negative_budget_in_a_tenant_file_is_refused_naming_it(
    services: AppServices, tmp_path: Path
) -> None:
    path = write_tenant_file(tmp_path, "ai_monthly_budget_usd = -5")
    with pytest.raises(DeclarativeError) as refused:
        await apply_tenants_dir(services, tmp_path)
    assert str(refused.value).startswith(f"{path}: ai_monthly_budget_usd: ")

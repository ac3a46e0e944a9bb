"""Several workers applying ``FRONTDESK_TENANTS_DIR`` at once: one at a time, and both start.

``frontdesk serve --workers N`` runs the lifespan in every worker, so N processes apply the same
directory together. Two ``AppServices`` on one database stand in for two processes here: each has
its own engine, so its own connections (and its own handle on the SQLite lock file).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from core.runtime import open_services
from core.settings import Settings
from core.state import AppServices
from core.tenancy.apply_lock import applying_lock
from core.tenancy.declarative import DeclarativeError, apply_tenants_dir
from core.tenancy.models import PhoneNumber, Tenant

SLUGS = [f"clinic-{index}" for index in range(4)]


def write_tenant_files(directory: Path) -> Path:
    directory.mkdir()
    for index, slug in enumerate(SLUGS):
        (directory / f"{slug}.toml").write_text(
            f'slug = "{slug}"\n'
            f'name = "Clinic {index}"\n'
            'timezone = "America/Chicago"\n'
            "\n"
            "[[numbers]]\n"
            f'number = "+1555777{index:02d}01"\n'
            'label = "Main line"\n'
            "\n"
            "[[numbers]]\n"
            f'number = "+1555777{index:02d}02"\n'
            'label = "After hours"\n'
        )
    return directory


@pytest.fixture
async def two_workers(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[tuple[AppServices, AppServices]]:
    """Two sets of services on the same database, as two worker processes would open them."""
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(open_services(make_settings()))
        second = await stack.enter_async_context(open_services(make_settings()))
        yield first, second


async def test_workers_applying_the_same_directory_at_once_both_succeed(
    two_workers: tuple[AppServices, AppServices], tmp_path: Path
) -> None:
    directory = write_tenant_files(tmp_path / "tenants")
    first, second = two_workers

    reports = await asyncio.gather(apply_tenants_dir(first, directory), apply_tenants_dir(second, directory))

    # One worker created everything; the other, let in after it, found nothing left to do.
    assert sorted((report.counts() for report in reports), key=lambda counts: counts["created"]) == [
        {"created": 0, "updated": 0, "unchanged": len(SLUGS)},
        {"created": len(SLUGS), "updated": 0, "unchanged": 0},
    ]
    async with first.session_factory() as session:
        assert sorted(await session.scalars(select(Tenant.slug))) == SLUGS
        numbers = (
            await session.execute(select(PhoneNumber.number, func.count()).group_by(PhoneNumber.number))
        ).all()
    assert sorted(numbers) == [
        (f"+1555777{index:02d}0{line}", 1) for index in range(len(SLUGS)) for line in (1, 2)
    ]


async def wait_until_blocked(holder: AppServices) -> None:
    """Return once a second acquirer is (or has had ample chance to be) waiting for the lock.

    PostgreSQL shows the waiter as an advisory lock not granted. A flock waiter cannot be seen from
    outside, so SQLite pauses for several of its polls instead: too short a pause could only let a
    lock that does not serialise pass, never fail one that does.
    """
    if holder.engine.dialect.name != "postgresql":
        await asyncio.sleep(0.3)
        return
    async with asyncio.timeout(10), holder.engine.connect() as connection:
        waiting = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        while not await connection.scalar(waiting):
            await connection.rollback()
            await asyncio.sleep(0.01)


async def test_a_second_worker_enters_only_after_the_first_leaves(
    two_workers: tuple[AppServices, AppServices],
) -> None:
    first, second = two_workers
    events: list[str] = []
    first_inside, second_trying = asyncio.Event(), asyncio.Event()

    async def hold_first() -> None:
        async with applying_lock(first):
            events.append("first entered")
            first_inside.set()
            await second_trying.wait()
            await wait_until_blocked(first)
            events.append("first leaving")

    async def enter_second() -> None:
        await first_inside.wait()
        second_trying.set()
        async with applying_lock(second):
            events.append("second entered")

    async with asyncio.timeout(30):
        await asyncio.gather(hold_first(), enter_second())

    assert events == ["first entered", "first leaving", "second entered"]


async def test_a_failed_apply_lets_the_next_one_in(
    two_workers: tuple[AppServices, AppServices], tmp_path: Path
) -> None:
    first, second = two_workers
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.toml").write_text('slug = "bad"\nname = "Bad"\ntimezone = "Mars/Olympus"\n')
    directory = write_tenant_files(tmp_path / "tenants")

    with pytest.raises(DeclarativeError):
        await apply_tenants_dir(first, broken)
    async with asyncio.timeout(30):
        report = await apply_tenants_dir(second, directory)

    assert report.created == SLUGS

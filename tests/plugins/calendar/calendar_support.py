"""Shared by the calendar plugin's tests: a tenant with known hours and a claims reader fake."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import msgspec

from core import TenantIdentity
from plugins.calendar import Config

WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}

# New York: daylight saving starts Sunday 2026-03-08 (02:00 → 03:00) and ends 2026-11-01 (02:00 → 01:00).
DENTIST = TenantIdentity(
    id="t-dentist",
    slug="dentist",
    name="Bright Smiles",
    timezone="America/New_York",
    business={"hours": {**WEEKDAYS_9_TO_5, "sat": [["10:00", "14:00"]]}},
)


def tenant_with(**business: Any) -> TenantIdentity:
    return msgspec.structs.replace(DENTIST, business=business)


def config(**fields: Any) -> Config:
    """A Config built the way the host builds one (converted, so validation runs)."""
    return msgspec.convert(fields, Config)


class FakeClaims:
    """A ``ClaimsReader`` over claimed cells held in memory, by resource."""

    def __init__(self, **taken: Iterable[datetime]) -> None:
        self.taken = {resource: set(cells) for resource, cells in taken.items()}
        self.asked: list[tuple[str, str, datetime, datetime]] = []

    async def __call__(self, tenant_id: str, resource: str, start: datetime, end: datetime) -> set[datetime]:
        self.asked.append((tenant_id, resource, start, end))
        return {cell for cell in self.taken.get(resource, ()) if start <= cell < end}

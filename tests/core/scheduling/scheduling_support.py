"""Shared by the scheduling tests: the moment of every request, local times, a calendar config."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from plugins.calendar import Config

NEW_YORK = ZoneInfo("America/New_York")
# Monday 2026-03-02, 08:00 in New York: the moment every request in these tests is made.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=NEW_YORK).astimezone(UTC)
HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
CALLER = "+15551230001"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def config(**fields: Any) -> Config:
    return msgspec.convert(fields, Config)

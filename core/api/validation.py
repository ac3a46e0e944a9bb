"""Field rules shared by the admin API's schemas (and the declarative tenant files)."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", max_length=63)]
E164 = Annotated[str, msgspec.Meta(pattern=r"^\+[1-9][0-9]{6,14}$", description="E.164, e.g. +15551230001")]
TwilioAccountSid = Annotated[str, msgspec.Meta(pattern=r"^AC[0-9a-fA-F]{32}$")]
LanguageTag = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")]
HexColor = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-fA-F]{6}$")]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Domain = Annotated[str, msgspec.Meta(pattern=r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")


def check_timezone(name: str) -> None:
    if name not in available_timezones():
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"timezone: unknown timezone {name!r}; use an IANA name such as 'America/New_York'"
            ) from None


def check_hours(hours: dict[str, list[tuple[str, str]]]) -> None:
    for day, ranges in hours.items():
        if day not in DAYS:
            raise ValueError(f"hours: unknown day {day!r}; use {', '.join(DAYS)}")
        previous_end = ""
        for opens, closes in sorted(ranges):
            for clock in (opens, closes):
                if not _CLOCK.match(clock):
                    raise ValueError(f"hours.{day}: {clock!r} is not a HH:MM time")
            if opens >= closes:
                raise ValueError(f"hours.{day}: opening {opens} must be before closing {closes}")
            if previous_end and opens < previous_end:
                raise ValueError(f"hours.{day}: ranges overlap")
            previous_end = closes

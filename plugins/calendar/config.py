"""The built-in calendar's name and per-tenant settings."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated

import msgspec

from core import ConfigFieldError

NAME = "calendar"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Minutes = Annotated[int, msgspec.Meta(ge=1, le=24 * 60)]
ResourceName = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Length of an appointment when the service is not one of ``services``.
    slot_minutes: Minutes = 30
    # Kept free after every appointment (clean-up, travel); claimed with it.
    buffer_minutes: Annotated[int, msgspec.Meta(ge=0, le=24 * 60)] = 0
    # No booking starts sooner than this after the moment of the call.
    lead_time_minutes: Annotated[int, msgspec.Meta(ge=0, le=365 * 24 * 60)] = 60
    # No booking starts later than this many days after the moment of the call.
    horizon_days: Annotated[int, msgspec.Meta(ge=1, le=366)] = 30
    # Local dates ("YYYY-MM-DD") the business takes no appointments: holidays, training days.
    closures: list[str] = []
    # Service name → its length in minutes; matched without regard to case.
    services: dict[str, int] = {}
    # What is booked: one calendar ("default"), or chairs, rooms, staff; each takes one booking at a time.
    resources: Annotated[list[ResourceName], msgspec.Meta(min_length=1, max_length=50)] = msgspec.field(
        default_factory=lambda: ["default"]
    )
    # Size of the cells a booking claims; appointments start on this grid of local wall-clock time.
    grid_minutes: Annotated[int, msgspec.Meta(ge=1, le=60)] = 15

    def __post_init__(self) -> None:
        # The grid must divide the hour: a daylight-saving shift (an hour) then keeps every local
        # grid time on the same cells, so bookings on either side of a shift still collide.
        if 60 % self.grid_minutes:
            raise ConfigFieldError("grid_minutes", "must divide 60: 5, 10, 15, 20, 30 or 60")
        self._check_on_grid("slot_minutes", self.slot_minutes)
        self._check_on_grid("buffer_minutes", self.buffer_minutes)
        for service, minutes in self.services.items():
            if not 0 < minutes <= 24 * 60:
                raise ConfigFieldError(f"services.{service}", "must be between 1 and 1440 minutes")
            self._check_on_grid(f"services.{service}", minutes)
        self.closures = sorted({_closure_date(index, text) for index, text in enumerate(self.closures)})
        if len(set(self.resources)) != len(self.resources):
            raise ConfigFieldError("resources", "names must be unique")

    def _check_on_grid(self, field: str, minutes: int) -> None:
        if minutes % self.grid_minutes:
            raise ConfigFieldError(field, f"must be a multiple of grid_minutes ({self.grid_minutes})")

    def service_name(self, service: str | None) -> str | None:
        """``service`` as the config spells it when it is one of ``services``, else as given."""
        wanted = (service or "").strip()
        if not wanted:
            return None
        return next((name for name in self.services if name.casefold() == wanted.casefold()), wanted)

    def duration(self, service: str | None) -> timedelta:
        """How long an appointment for ``service`` lasts; an unknown or no service takes ``slot_minutes``."""
        name = self.service_name(service)
        minutes = self.services.get(name, self.slot_minutes) if name is not None else self.slot_minutes
        return timedelta(minutes=minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    @property
    def grid(self) -> timedelta:
        return timedelta(minutes=self.grid_minutes)


def _closure_date(index: int, text: str) -> str:
    try:
        # fromisoformat alone would also take "20261225" and week dates; ask for the one spelling.
        if _ISO_DATE.match(text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise ConfigFieldError(f"closures[{index}]", f"{text!r} is not a date like 2026-12-25")

"""Takes appointments on the tenant's own calendar: business hours, closures, services, buffers.

The plugin registers the ``builtin`` calendar provider and owns the booking rules (its
``Config``, ``free_slots``, ``slot_problem``, ``cells``). It never touches the database: the
host passes a ``ClaimsReader`` (``claims_between(tenant_id, resource, start, end)``) and
stores bookings itself (``core.scheduling.services``), where a unique constraint on the claimed
cells makes double booking impossible.
"""

from __future__ import annotations

from core import Register, hookimpl
from plugins.calendar.availability import (
    ClaimsReader,
    SchedulingTenant,
    cells,
    free_slots,
    open_periods,
    slot_problem,
    spoken_time,
    zone_of,
)
from plugins.calendar.calendar import BuiltinCalendar, CalendarNotBoundError
from plugins.calendar.config import NAME, Config
from plugins.calendar.offers import CalendarArgumentError, offer_slots, parse_start

__all__ = [
    "DEFAULT_INSTALLED",
    "NAME",
    "BuiltinCalendar",
    "CalendarArgumentError",
    "CalendarNotBoundError",
    "ClaimsReader",
    "Config",
    "SchedulingTenant",
    "cells",
    "free_slots",
    "offer_slots",
    "open_periods",
    "parse_start",
    "register_calendars",
    "slot_problem",
    "spoken_time",
    "zone_of",
]

DEFAULT_INSTALLED = True


@hookimpl
def register_calendars(register: Register) -> None:
    register("builtin", BuiltinCalendar())

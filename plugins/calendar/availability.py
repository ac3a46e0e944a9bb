"""When a tenant can be booked: business hours, closures, lead time, horizon, the grid and claims.

Everything here is computed, not stored: the host supplies the claimed cells through a
``ClaimsReader`` (it owns the database), and this module decides what is free and bookable. The
same rules answer "what is free?" (``free_slots``) and "may this start be booked?"
(``slot_problem``), so a slot the receptionist offers is always one that books.

Times are timezone-aware; local dates and wall-clock hours are read in the tenant's timezone
with ``zoneinfo``, so a day that gains or loses an hour to daylight saving has the hours it
really has.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core import Slot
from plugins.calendar.config import Config

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class SchedulingTenant(Protocol):
    """What the calendar reads of a tenant: a ``TenantIdentity`` and a tenant row both fit."""

    @property
    def id(self) -> str: ...

    @property
    def timezone(self) -> str: ...

    @property
    def business(self) -> Mapping[str, Any]: ...


class ClaimsReader(Protocol):
    """The host's answer to "which cells of this resource are claimed?".

    Returns the ``cell_start`` of every claim of ``resource`` (of tenant ``tenant_id``) with
    ``start <= cell_start < end``. A cell is ``grid_minutes`` long; a booking claims every
    cell from its start to its end plus the buffer.
    """

    async def __call__(
        self, tenant_id: str, resource: str, start: datetime, end: datetime
    ) -> Collection[datetime]: ...


def zone_of(tenant: SchedulingTenant) -> ZoneInfo:
    return ZoneInfo(tenant.timezone)


def open_periods(tenant: SchedulingTenant, config: Config, day: date) -> list[tuple[datetime, datetime]]:
    """The open periods (UTC) that begin on local date ``day``; none on a closure.

    No ``hours`` at all means open all day, every day (as ``TenantIdentity.is_open`` reads it);
    a weekday missing from ``hours`` is closed. A period whose closing time is not after its
    opening runs past midnight, and ``"24:00"`` is the end of the day.
    """
    if day.isoformat() in config.closures:
        return []
    zone = zone_of(tenant)
    hours = tenant.business.get("hours")
    if not hours:
        return [(_instant(day, "00:00", zone), _instant(day, "24:00", zone))]
    periods = []
    for opens, closes in hours.get(WEEKDAYS[day.weekday()], []):
        start = _instant(day, opens, zone)
        end = _instant(day, closes, zone)
        if end <= start:
            end = _instant(day + timedelta(days=1), closes, zone)
        periods.append((start, end))
    return periods


def _instant(day: date, clock: str, zone: ZoneInfo) -> datetime:
    """Local wall-clock ``clock`` on ``day`` as a UTC instant.

    A time skipped by a spring-forward shift resolves with the offset before the shift (PEP 495,
    fold=0): opening "02:30" on that day opens at 03:30, the first moment the clock shows it.
    """
    hour, _, minute = clock.partition(":")
    if not (hour.isdigit() and minute.isdigit()) or int(hour) > 24 or int(minute) > 59:
        raise ValueError(f"business hours must be HH:MM; got {clock!r}")
    if int(hour) == 24:
        day, hour = day + timedelta(days=1), "0"
    return datetime.combine(day, time(int(hour), int(minute)), tzinfo=zone).astimezone(UTC)


def on_grid(moment: datetime, zone: ZoneInfo, config: Config) -> bool:
    """Whether ``moment`` is a grid time of the tenant's local clock (9:00, 9:15... for 15 minutes)."""
    local = moment.astimezone(zone)
    return local.second == 0 and local.microsecond == 0 and local.minute % config.grid_minutes == 0


def _grid_starts(zone: ZoneInfo, config: Config, first: datetime, last: datetime) -> Iterator[datetime]:
    """Grid times from ``first`` (rounded up to the grid) to ``last`` inclusive."""
    local = first.astimezone(zone)
    past = timedelta(
        minutes=local.minute % config.grid_minutes, seconds=local.second, microseconds=local.microsecond
    )
    candidate = first + (config.grid - past) if past else first
    while candidate <= last:
        yield candidate
        # Stepping in absolute time stays on the local grid across a DST shift: the grid divides the hour.
        candidate += config.grid


def cells(config: Config, start: datetime, duration: timedelta) -> list[datetime]:
    """The cells a booking of ``duration`` at ``start`` claims: its length plus the buffer."""
    count = -(-(duration + config.buffer) // config.grid)
    return [(start + config.grid * index).astimezone(UTC) for index in range(count)]


def slot_problem(
    tenant: SchedulingTenant, config: Config, start: datetime, duration: timedelta, now: datetime
) -> str | None:
    """Why ``start`` cannot be booked for ``duration`` (an ``AppointmentResult.error``), or None.

    ``in_past``, ``too_soon`` (inside the lead time), ``too_far`` (past the horizon),
    ``invalid_time`` (not on the grid), ``outside_hours`` (closed then, or a closure day).
    """
    zone = zone_of(tenant)
    if start < now:
        return "in_past"
    if start < now + timedelta(minutes=config.lead_time_minutes):
        return "too_soon"
    if start > now + timedelta(days=config.horizon_days):
        return "too_far"
    if not on_grid(start, zone, config):
        return "invalid_time"
    local_day = start.astimezone(zone).date()
    for day in (local_day - timedelta(days=1), local_day):
        for opens, closes in open_periods(tenant, config, day):
            if opens <= start and start + duration <= closes:
                return None
    return "outside_hours"


async def free_slots(
    tenant: SchedulingTenant,
    config: Config,
    start: datetime,
    end: datetime,
    duration: timedelta,
    now: datetime,
    claims: ClaimsReader,
) -> list[Slot]:
    """Bookable, unclaimed slots of ``duration`` inside ``[start, end]``, earliest first (UTC).

    A slot is free when at least one of the configured resources has all its cells unclaimed.
    """
    zone = zone_of(tenant)
    first = max(start, now + timedelta(minutes=config.lead_time_minutes))
    last = min(end - duration, now + timedelta(days=config.horizon_days))
    if first > last:
        return []
    claim_end = last + duration + config.buffer
    taken = [set(await claims(tenant.id, resource, first, claim_end)) for resource in config.resources]
    starts: set[datetime] = set()
    day = first.astimezone(zone).date() - timedelta(
        days=1
    )  # a period from the day before may run past midnight
    while day <= last.astimezone(zone).date():
        for opens, closes in open_periods(tenant, config, day):
            for candidate in _grid_starts(zone, config, max(opens, first), min(closes - duration, last)):
                needed = cells(config, candidate, duration)
                if any(taken_cells.isdisjoint(needed) for taken_cells in taken):
                    starts.add(candidate)
        day += timedelta(days=1)
    return [Slot(start=moment, end=moment + duration) for moment in sorted(starts)]


def spoken_time(moment: datetime, zone: ZoneInfo, today: date | None = None) -> str:
    """``moment`` as a receptionist says it: "Tuesday, March 3 at 3:00 PM" in the tenant's time.

    With ``today`` (the local date of the call), "today at ..." and "tomorrow at ..." when they fit.
    """
    local = moment.astimezone(zone)
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    if today is not None and local.date() == today:
        return f"today at {clock}"
    if today is not None and local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{_DAY_NAMES[local.weekday()]}, {_MONTH_NAMES[local.month - 1]} {local.day} at {clock}"

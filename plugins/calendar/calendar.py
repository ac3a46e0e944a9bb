"""The built-in calendar as a ``Calendar`` provider: the tenant's hours minus what is booked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import Calendar, CallContext, Slot
from plugins.calendar.availability import ClaimsReader, free_slots
from plugins.calendar.config import NAME, Config


class CalendarNotBoundError(RuntimeError):
    """The registered calendar was asked for slots before the host gave it its claims."""


class BuiltinCalendar(Calendar):
    """Availability from the tenant's business hours and the calendar config, minus claimed cells.

    The provider keeps no data of its own. The instance registered at startup has no claims
    reader (a plugin cannot reach the host's database); the host binds one with
    ``with_claims(reader)``, per database session or once per process, and asks the bound copy.
    """

    def __init__(self, claims: ClaimsReader | None = None) -> None:
        self._claims = claims

    def with_claims(self, claims: ClaimsReader) -> BuiltinCalendar:
        """This calendar reading claims through ``claims`` (the registered instance is unchanged)."""
        return BuiltinCalendar(claims)

    async def available_slots(
        self, call: CallContext, start: datetime, end: datetime, duration: timedelta
    ) -> list[Slot]:
        if self._claims is None:
            raise CalendarNotBoundError(
                "the builtin calendar needs the host's claims: call with_claims(reader) first"
            )
        config = call.plugin_config(NAME, Config)
        now = call.now or datetime.now(UTC)
        return await free_slots(call.tenant, config, start, end, duration, now, self._claims)

"""The calendar tools of one call, in the shape the conversation's tool executor calls them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import CallContext, TenantIdentity
from core.conversation.tools import (
    AppointmentResult,
    BookAppointment,
    CancelAppointment,
    CheckAvailability,
    CheckAvailabilityResult,
    FindAppointments,
    FindAppointmentsResult,
    RescheduleAppointment,
)
from core.scheduling import services
from plugins.calendar import NAME, Config


class CallCalendar:
    """``check_availability``, ``book``, ``find``, ``reschedule`` and ``cancel`` for one call.

    Bookings happen in ``session``'s transaction; the turn commits them with its own state.
    A caller moves or cancels only appointments booked under their own number.
    """

    def __init__(
        self,
        session: AsyncSession,
        tenant: TenantIdentity,
        config: Config,
        *,
        caller: str,
        call_id: str | None,
        now: datetime,
    ) -> None:
        self.session, self.tenant, self.config = session, tenant, config
        self.caller, self.call_id, self.now = caller, call_id, now

    async def check_availability(self, args: CheckAvailability) -> CheckAvailabilityResult:
        return await services.check_availability(self.session, self.tenant, self.config, args, self.now)

    async def book(self, args: BookAppointment) -> AppointmentResult:
        return await services.book(
            self.session, self.tenant, self.config, args, self.caller, self.call_id, self.now
        )

    async def find(self, args: FindAppointments) -> FindAppointmentsResult:
        return await services.find_for_phone(self.session, self.tenant, args.phone or self.caller, self.now)

    async def reschedule(self, args: RescheduleAppointment) -> AppointmentResult:
        return await services.reschedule(
            self.session, self.tenant, self.config, args, self.now, phone=self.caller
        )

    async def cancel(self, args: CancelAppointment) -> AppointmentResult:
        return await services.cancel(self.session, self.tenant, args, self.now, phone=self.caller)


def calendar_for_call(session: AsyncSession, call: CallContext, call_id: str | None) -> CallCalendar | None:
    """The call's calendar tools; None when the tenant has not installed the calendar plugin."""
    config = call.plugin_configs.get(NAME)
    if not isinstance(config, Config):
        return None
    now = call.now or datetime.now(UTC)
    return CallCalendar(session, call.tenant, config, caller=call.caller, call_id=call_id, now=now)

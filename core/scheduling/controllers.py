"""Admin API: the tenant's appointments and their calendar feed; the feed's public address."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Controller, Response, Router, get, post
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.db.paging import DEFAULT_LIMIT, Page
from core.scheduling import ical, services
from core.scheduling.schemas import AppointmentRead, AppointmentStatus, CalendarFeedRead
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.tenancy.services import tenant_by_slug

CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"


class AppointmentController(Controller):
    path = "/tenants/{slug:str}/appointments"
    tags = ["appointments"]

    @get("/", operation_id="listAppointments", opt=permission("calls", "read"))
    async def list_appointments(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
        since: datetime | None = None,
        status: AppointmentStatus | None = None,
    ) -> Page[AppointmentRead]:
        """Appointments by start time; ``since`` keeps those starting then or later."""
        rows, next_cursor = await services.list_appointments(
            db_session, tenant_scope.tenant_id, limit=limit, cursor=cursor, since=since, status=status
        )
        return Page(items=[AppointmentRead.of(row) for row in rows], next_cursor=next_cursor)

    @get("/{appointment_id:str}", operation_id="getAppointment", opt=permission("calls", "read"))
    async def get_appointment(
        self, appointment_id: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> AppointmentRead:
        """One appointment."""
        row = await services.appointment_of_tenant(db_session, tenant_scope.tenant_id, appointment_id)
        return AppointmentRead.of(row)

    @post(
        "/{appointment_id:str}/cancel",
        operation_id="cancelAppointment",
        opt=permission("calls", "write"),
        status_code=200,
    )
    async def cancel_appointment(
        self, appointment_id: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> AppointmentRead:
        """Cancel an appointment and free its time; cancelling a cancelled one changes nothing."""
        row = await services.cancel_for_staff(db_session, tenant_scope, appointment_id)
        return AppointmentRead.of(row)


class CalendarFeedController(Controller):
    path = "/tenants/{slug:str}"
    tags = ["appointments"]

    @get("/appointments.ics", operation_id="getAppointmentsCalendar", opt=permission("calls", "read"))
    async def appointments_calendar(
        self, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> Response[str]:
        """The appointments as an iCalendar file (RFC 5545), cancelled ones marked CANCELLED."""
        return await _calendar_response(db_session, tenant_scope.tenant.id, tenant_scope.tenant.name)

    @get("/calendar-feed", operation_id="getCalendarFeed", opt=permission("calls", "read"))
    async def calendar_feed_url(self, tenant_scope: TenantScope, services: AppServices) -> CalendarFeedRead:
        """The secret address calendar apps subscribe to (it needs no API key: share it with care)."""
        settings = services.settings
        return CalendarFeedRead(url=ical.feed_url(settings, tenant_scope.tenant.slug, tenant_scope.tenant_id))


@get("/calendar/{slug:str}/{feed:str}", operation_id="subscribeCalendar", tags=["appointments"])
async def public_calendar_feed(
    slug: str, feed: str, db_session: AsyncSession, services: AppServices
) -> Response[str]:
    """The appointments feed at its secret address ``/calendar/{slug}/{token}.ics``; 404 for a wrong token."""
    token = feed.removesuffix(".ics")
    tenant = await tenant_by_slug(db_session, slug)
    key = ical.deployment_key(services.settings)
    # One answer for an unknown tenant and a wrong token: the address gives nothing away.
    if tenant is None or token == feed or not ical.token_matches(key, tenant.id, token):
        raise NotFoundException("no such calendar feed")
    return await _calendar_response(db_session, tenant.id, tenant.name)


async def _calendar_response(session: AsyncSession, tenant_id: str, name: str) -> Response[str]:
    appointments = await ical.feed_appointments(session, tenant_id, datetime.now(UTC))
    body = ical.render_calendar(f"{name} appointments", appointments)
    return Response(body, media_type=CALENDAR_MEDIA_TYPE, headers={"Cache-Control": "private, max-age=300"})


scheduling_router = Router(path="/api/v1", route_handlers=[AppointmentController, CalendarFeedController])

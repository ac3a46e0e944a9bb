"""Wire shapes of appointments and the calendar feed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from core.scheduling.models import Appointment

AppointmentStatus = Literal["booked", "cancelled"]


class AppointmentRead(msgspec.Struct, kw_only=True):
    id: str
    start: datetime
    end: datetime
    service: str | None
    name: str
    phone: str | None
    status: str
    call_id: str | None
    resource: str
    notes: str | None
    created_at: datetime

    @classmethod
    def of(cls, appointment: Appointment) -> AppointmentRead:
        return cls(
            id=appointment.id,
            start=appointment.start_at,
            end=appointment.end_at,
            service=appointment.service,
            name=appointment.name,
            phone=appointment.phone,
            status=appointment.status,
            call_id=appointment.call_id,
            resource=appointment.resource,
            notes=appointment.notes,
            created_at=appointment.created_at,
        )


class CalendarFeedRead(msgspec.Struct, kw_only=True):
    """Where calendar apps subscribe to the tenant's appointments (no credentials needed: keep it private)."""

    url: str

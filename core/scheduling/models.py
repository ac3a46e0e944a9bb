"""Appointments, and the slot claims that make double booking impossible at the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, TimestampMixin


class Appointment(IdMixin, TimestampMixin, Base):
    __tablename__ = "appointments"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str | None] = mapped_column(String(36))
    # A bookable resource (a chair, a loan officer); "default" when the tenant has one calendar.
    resource: Mapped[str] = mapped_column(String(64), default="default")
    service: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    start_at: Mapped[datetime] = mapped_column()
    end_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="booked")  # booked | cancelled
    notes: Mapped[str | None] = mapped_column(Text)


Index("ix_appointments_tenant_start", Appointment.tenant_id, Appointment.start_at)
Index("ix_appointments_tenant_phone", Appointment.tenant_id, Appointment.phone)


class SlotClaim(IdMixin, Base):
    """One grid cell of a resource's time held by one appointment.

    A booked appointment claims every cell it covers (buffers included); the unique constraint
    means two concurrent bookings of overlapping times cannot both commit, on SQLite and PostgreSQL.
    """

    __tablename__ = "slot_claims"
    __table_args__ = (UniqueConstraint("tenant_id", "resource", "cell_start"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    resource: Mapped[str] = mapped_column(String(64))
    cell_start: Mapped[datetime] = mapped_column()

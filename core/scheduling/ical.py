"""The tenant's appointments as an iCalendar (RFC 5545) feed, and the secret URL that serves it.

Calendar apps (Google Calendar, Apple Calendar, Outlook) subscribe to a URL and cannot send an
``Authorization`` header, so the feed has a second address whose token is the credential:
HMAC-SHA256 of the tenant id under the deployment secret key. It needs no storage, is the
same on every worker, and changes only when ``FRONTDESK_SECRET_KEY`` does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.scheduling.models import Appointment
from core.security.crypto import resolve_secret_key
from core.settings import Settings

# How far back the feed reaches; older appointments stay in the API, not in every app's sync.
FEED_PAST_DAYS = 90
FEED_MAX_EVENTS = 5000
_LINE_OCTETS = 75
_TOKEN_CONTEXT = b"frontdesk/calendar-feed/v1\x00"


def feed_token(secret_key: str, tenant_id: str) -> str:
    """The feed token of a tenant: unguessable without the deployment key, stable with it."""
    digest = hmac.new(secret_key.encode(), _TOKEN_CONTEXT + tenant_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_matches(secret_key: str, tenant_id: str, token: str) -> bool:
    """Constant-time check of a presented feed token."""
    return hmac.compare_digest(feed_token(secret_key, tenant_id).encode(), token.encode())


def deployment_key(settings: Settings) -> str:
    """The deployment secret key: ``FRONTDESK_SECRET_KEY``, or the one kept in the key file."""
    return _key(settings.secret_key, settings.secret_key_file)


@lru_cache(maxsize=8)
def _key(configured: str | None, key_file: str) -> str:
    # The key file is written once at first start; read it once per process, not per request.
    return resolve_secret_key(configured, key_file)


def feed_url(settings: Settings, slug: str, tenant_id: str) -> str:
    token = feed_token(deployment_key(settings), tenant_id)
    return f"{settings.effective_public_url}/calendar/{slug}/{token}.ics"


async def feed_appointments(session: AsyncSession, tenant_id: str, now: datetime) -> list[Appointment]:
    """What the feed lists: appointments from ``FEED_PAST_DAYS`` ago on, cancelled ones included
    (so subscribed calendars drop them), by start time."""
    rows = await session.scalars(
        select(Appointment)
        .where(
            Appointment.tenant_id == tenant_id, Appointment.start_at >= now - timedelta(days=FEED_PAST_DAYS)
        )
        .order_by(Appointment.start_at, Appointment.id)
        .limit(FEED_MAX_EVENTS)
    )
    return list(rows)


def render_calendar(calendar_name: str, appointments: Iterable[Appointment]) -> str:
    """A VCALENDAR of one VEVENT per appointment: UTC times, folded lines, CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Frontdesk//Appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for appointment in appointments:
        lines += _event(appointment)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event(appointment: Appointment) -> list[str]:
    summary = f"{appointment.service or 'Appointment'} - {appointment.name}"
    details = [
        f"Phone: {appointment.phone}" if appointment.phone else "",
        f"Notes: {appointment.notes}" if appointment.notes else "",
    ]
    description = "\n".join(detail for detail in details if detail)
    return [
        "BEGIN:VEVENT",
        f"UID:{appointment.id}@frontdesk",
        # When this version of the event was made: clients compare it to spot changes.
        f"DTSTAMP:{utc_stamp(appointment.updated_at)}",
        f"DTSTART:{utc_stamp(appointment.start_at)}",
        f"DTEND:{utc_stamp(appointment.end_at)}",
        f"SUMMARY:{escape_text(summary)}",
        *([f"DESCRIPTION:{escape_text(description)}"] if description else []),
        f"STATUS:{'CANCELLED' if appointment.status == 'cancelled' else 'CONFIRMED'}",
        "END:VEVENT",
    ]


def utc_stamp(moment: datetime) -> str:
    """RFC 5545 DATE-TIME in UTC ("form #2"): ``20260303T200000Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    escaped = escaped.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    # Other control characters are not allowed in TEXT at all.
    return "".join(char for char in escaped if char == "\t" or (ord(char) >= 0x20 and char != "\x7f"))


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character.

    Each continuation line starts with one space, which counts towards its 75 octets.
    """
    if len(line.encode()) <= _LINE_OCTETS:
        return line
    pieces: list[str] = []
    current, size, limit = "", 0, _LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, _LINE_OCTETS - 1
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)

"""The iCalendar text of the appointments feed, and the feed's token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.scheduling.ical import escape_text, feed_token, fold, render_calendar, token_matches
from core.scheduling.models import Appointment

CLEANING = Appointment(
    id="6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b1c40",
    tenant_id="t-1",
    resource="default",
    service="Cleaning",
    name="Jane Doe",
    phone="+15551230001",
    # 10:00-11:00 in New York (EST): stored in UTC.
    start_at=datetime(2026, 3, 3, 15, 0, tzinfo=UTC),
    end_at=datetime(2026, 3, 3, 16, 0, tzinfo=UTC),
    status="booked",
    notes="Prefers mornings; bring x-rays, please. Parking is at the back of the building.",
    created_at=datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
    updated_at=datetime(2026, 3, 2, 13, 5, 30, tzinfo=UTC),
)
CANCELLED = Appointment(
    id="0a3e5b7c-1111-4222-8333-944455556666",
    tenant_id="t-1",
    resource="default",
    service=None,
    name="John Roe",
    phone=None,
    start_at=datetime(2026, 3, 4, 14, 30, tzinfo=UTC),
    end_at=datetime(2026, 3, 4, 15, 0, tzinfo=UTC),
    status="cancelled",
    notes=None,
    created_at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
    updated_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
)


def test_the_calendar_text_is_exact():
    expected = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Frontdesk//Appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Bright Smiles\\, Downtown appointments",
        "BEGIN:VEVENT",
        "UID:6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b1c40@frontdesk",
        "DTSTAMP:20260302T130530Z",
        "DTSTART:20260303T150000Z",
        "DTEND:20260303T160000Z",
        "SUMMARY:Cleaning - Jane Doe",
        # 75 octets, then the rest on a continuation line that starts with a space.
        "DESCRIPTION:Phone: +15551230001\\nNotes: Prefers mornings\\; bring x-rays\\, p",
        " lease. Parking is at the back of the building.",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:0a3e5b7c-1111-4222-8333-944455556666@frontdesk",
        "DTSTAMP:20260302T150000Z",
        "DTSTART:20260304T143000Z",
        "DTEND:20260304T150000Z",
        "SUMMARY:Appointment - John Roe",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    text = render_calendar("Bright Smiles, Downtown appointments", [CLEANING, CANCELLED])
    assert text == "\r\n".join(expected) + "\r\n"


def test_an_empty_calendar_is_still_a_calendar():
    text = render_calendar("Quiet", [])
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("X-WR-CALNAME:Quiet\r\nEND:VCALENDAR\r\n")


def test_folding_never_splits_a_character_and_unfolds_to_the_original():
    line = "SUMMARY:" + "Zahnreinigung für Jürgen Müller 🦷 " * 6
    folded = fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:line") == "SHORT:line"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("line one\r\nline two\nthree", "line one\\nline two\\nthree"),
        ("bell\x07 and tab\t", "bell and tab\t"),
    ],
)
def test_text_values_are_escaped(text, escaped):
    assert escape_text(text) == escaped


def test_the_feed_token_is_per_tenant_and_per_deployment():
    token = feed_token("deployment-key", "tenant-1")
    assert len(token) == 43 and token == feed_token("deployment-key", "tenant-1")
    assert token != feed_token("deployment-key", "tenant-2")
    assert token != feed_token("another-key", "tenant-1")
    assert token_matches("deployment-key", "tenant-1", token)
    assert not token_matches("deployment-key", "tenant-1", token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not token_matches("deployment-key", "tenant-2", token)

"""Routing rules: where a qualified, hot or emergency lead goes, as routes the host tries in order.

An industry's rules are a function of the lead's facts and the plugin's config that returns
routes built with the helpers here; a helper given no number (an on-call number not configured)
gives no route, so the list says only what this tenant can do.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core import LeadRoute


class LeadFacts(msgspec.Struct, kw_only=True, frozen=True):
    """What scoring and routing rules decide on."""

    intent: str | None
    fields: dict[str, Any]
    emergency: str | None = None
    score: int = 0
    hot: bool = False
    # Whether the business is open at the moment of the call.
    open_now: bool = True


def transfer(department: str | None, who: str, reason: str) -> LeadRoute:
    """Put the caller through to a department of the routing plugin (None: its main number)."""
    return LeadRoute(action="transfer", department=department, who=who, reason=reason)


def dial(number: str | None, who: str, reason: str) -> LeadRoute | None:
    """Put the caller through to ``number`` (an on-call phone), whatever the business hours."""
    return LeadRoute(action="transfer", number=number, who=who, reason=reason) if number else None


def alert(number: str | None, who: str, reason: str) -> LeadRoute | None:
    """Text ``number`` about the lead, for a person to call back."""
    return LeadRoute(action="alert", number=number, who=who, reason=reason) if number else None


def same_day(service: str | None, reason: str) -> LeadRoute:
    """Offer today's free slots (of ``service``) to the caller."""
    return LeadRoute(action="same_day", service=service, reason=reason)


def book(service: str | None, reason: str) -> LeadRoute:
    """Book an appointment (of ``service``) with the caller."""
    return LeadRoute(action="book", service=service, reason=reason)


def message(reason: str) -> LeadRoute:
    """Take a message for someone to call back."""
    return LeadRoute(action="message", reason=reason)


def routes(*candidates: LeadRoute | None) -> list[LeadRoute]:
    """The routes that exist, in order."""
    return [route for route in candidates if route is not None]

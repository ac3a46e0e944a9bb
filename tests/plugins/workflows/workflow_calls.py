"""Calls to assess leads with, outside the phone path (imported by the workflows' unit tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from core import CallContext, TenantIdentity

# Monday, March 2, 2026, 15:00 UTC.
MONDAY_AFTERNOON = datetime(2026, 3, 2, 15, tzinfo=UTC)


def call_with(name: str, config: msgspec.Struct, *, open_now: bool = True) -> CallContext:
    """A call to a tenant with plugin ``name`` configured, open (no hours) or closed (never open)."""
    business = {} if open_now else {"hours": {"mon": []}}
    tenant = TenantIdentity(id="t-1", slug="acme", name="Acme", business=business)
    return CallContext(
        call_sid="CA1",
        tenant=tenant,
        caller="+15550007777",
        called="+15551230001",
        language="en-US",
        now=MONDAY_AFTERNOON,
        plugin_configs={name: config},
    )

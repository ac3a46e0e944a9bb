"""The ``builtin`` calendar provider: registered by the plugin, reading claims the host supplies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from calendar_support import DENTIST, FakeClaims

from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers
from plugins.calendar import BuiltinCalendar, CalendarNotBoundError

TUESDAY_9_AM = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def test_the_plugin_registers_the_builtin_calendar():
    registration = collect_providers(build_plugin_manager()).get("calendar", "builtin")
    assert registration.plugin == "calendar"
    assert isinstance(registration.provider, BuiltinCalendar)


async def test_the_registered_calendar_refuses_to_answer_without_claims(call_with):
    call = call_with({"calendar": {}}, tenant=DENTIST, now=TUESDAY_9_AM - timedelta(days=1))
    with pytest.raises(CalendarNotBoundError):
        await BuiltinCalendar().available_slots(
            call, TUESDAY_9_AM, TUESDAY_9_AM + timedelta(hours=2), timedelta(minutes=30)
        )


async def test_a_bound_calendar_reads_the_calls_config_clock_and_claims(call_with):
    registered = BuiltinCalendar()
    claims = FakeClaims(default=[TUESDAY_9_AM + timedelta(minutes=30)])
    call = call_with({"calendar": {"grid_minutes": 30}}, tenant=DENTIST, now=TUESDAY_9_AM - timedelta(days=1))
    slots = await registered.with_claims(claims).available_slots(
        call, TUESDAY_9_AM, TUESDAY_9_AM + timedelta(hours=2), timedelta(minutes=30)
    )
    assert [slot.start - TUESDAY_9_AM for slot in slots] == [
        timedelta(0),
        timedelta(hours=1),
        timedelta(hours=1.5),
    ]
    assert claims.asked[0][:2] == ("t-dentist", "default")
    with pytest.raises(CalendarNotBoundError):  # binding made a copy; the registered one is unchanged
        await registered.available_slots(
            call, TUESDAY_9_AM, TUESDAY_9_AM + timedelta(hours=1), timedelta(minutes=30)
        )

"""What hooks receive: plugin config lookup on the call, and the tenant's business hours."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest

from core import TenantIdentity


class GreetingConfig(msgspec.Struct):
    template: str = "Hi"


class OtherConfig(msgspec.Struct):
    pass


def test_plugin_config_returns_the_installed_plugins_config(make_call):
    call = make_call({"greeting": GreetingConfig(template="Hello")})
    assert call.plugin_config("greeting") == GreetingConfig(template="Hello")
    assert call.plugin_config("greeting", GreetingConfig).template == "Hello"


def test_plugin_config_of_a_plugin_not_installed_says_so(make_call):
    call = make_call({"greeting": GreetingConfig(), "screening": OtherConfig()})
    expected = r"plugin 'crm' is not installed for tenant 'acme' \(installed: greeting, screening\)"
    with pytest.raises(KeyError, match=expected):
        call.plugin_config("crm")


def test_plugin_config_of_another_type_is_refused(make_call):
    call = make_call({"greeting": OtherConfig()})
    with pytest.raises(TypeError, match="config of plugin 'greeting' is a OtherConfig, not a GreetingConfig"):
        call.plugin_config("greeting", GreetingConfig)


def tenant(hours: dict | None, timezone: str = "America/New_York") -> TenantIdentity:
    business = {} if hours is None else {"hours": hours}
    return TenantIdentity(id="t", slug="t", name="T", timezone=timezone, business=business)


# Monday 3 March 2025; New York is UTC-5 that day.
MONDAY_10_NY = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)
MONDAY_18_NY = datetime(2025, 3, 3, 23, 0, tzinfo=UTC)
TUESDAY_01_NY = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours", "at", "expected"),
    [
        (None, MONDAY_18_NY, True),  # no hours set: always open
        ({"mon": [["09:00", "17:00"]]}, MONDAY_10_NY, True),
        ({"mon": [["09:00", "17:00"]]}, MONDAY_18_NY, False),  # 23:00 UTC is 18:00 in New York
        ({"mon": [["09:00", "12:00"], ["13:00", "19:00"]]}, MONDAY_18_NY, True),
        ({"tue": [["09:00", "17:00"]]}, MONDAY_10_NY, False),  # a day not listed is closed
        ({"tue": [["00:00", "24:00"]]}, TUESDAY_01_NY, True),
        ({"tue": [["22:00", "02:00"]]}, TUESDAY_01_NY, True),  # past midnight
        ({"mon": []}, MONDAY_10_NY, False),
    ],
)
def test_is_open_reads_hours_in_the_tenants_timezone(hours, at, expected):
    assert tenant(hours).is_open(at) is expected


def test_malformed_hours_say_what_is_expected():
    with pytest.raises(ValueError, match="business hours must be HH:MM; got '9am'"):
        tenant({"mon": [["9am", "17:00"]]}).is_open(MONDAY_10_NY)

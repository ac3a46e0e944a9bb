"""The built-in screening: the tenant's blocklist and allowlist, and withheld numbers."""

from __future__ import annotations

import pytest

from core import ScreeningDecision
from core.plugins.config import PluginConfigError, validate_config
from plugins.screening import normalise_number, screen_call

REJECT_BLOCKLIST = ScreeningDecision(action="reject", reasons=["blocklist"])


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+15551230001", "+15551230001"),
        ("+1 (555) 123-0001", "+15551230001"),
        ("0044 20 7946 0018", "+442079460018"),
        ("+44.20.7946.0018", "+442079460018"),
        ("555-1234", None),  # no country code: not E.164
        ("anonymous", None),
        ("+0123456789", None),
    ],
)
def test_normalise_number(number, expected):
    assert normalise_number(number) == expected


def test_blocklisted_caller_is_rejected_whatever_the_formatting(call_with):
    call = call_with({"screening": {"blocklist": ["+1 (555) 123-0001"]}}, caller="+15551230001")
    assert screen_call(call) == REJECT_BLOCKLIST


def test_allowlisted_caller_is_allowed(call_with):
    call = call_with({"screening": {"allowlist": ["+15551230001"], "block_anonymous": True}})
    assert screen_call(call) == ScreeningDecision(action="allow", reasons=["allowlist"])


def test_blocklist_beats_allowlist(call_with):
    both = ["+15551230001"]
    assert screen_call(call_with({"screening": {"blocklist": both, "allowlist": both}})) == REJECT_BLOCKLIST


@pytest.mark.parametrize("caller", ["anonymous", "Restricted", "+266696687", ""])
def test_withheld_numbers_are_rejected_when_configured(call_with, caller):
    blocking = call_with({"screening": {"block_anonymous": True}}, caller=caller)
    assert screen_call(blocking) == ScreeningDecision(action="reject", reasons=["anonymous"])
    assert screen_call(call_with({"screening": {}}, caller=caller)) is None


def test_other_callers_are_left_to_other_plugins(call_with):
    call = call_with({"screening": {"blocklist": ["+15550000000"], "block_anonymous": True}})
    assert screen_call(call) is None


def test_config_stores_numbers_normalised(builtin_catalog):
    screening = builtin_catalog.get("screening")
    config = validate_config(screening, [{"allowlist": ["+1 555 123 0009"]}], environ={})
    assert config.allowlist == ["+15551230009"]


def test_entry_that_is_not_a_number_names_its_index(builtin_catalog):
    with pytest.raises(PluginConfigError) as raised:
        screening = builtin_catalog.get("screening")
        validate_config(screening, [{"allowlist": ["+15551230001", "reception"]}], environ={})
    assert raised.value.field == "config.allowlist[1]"
    assert raised.value.message == "'reception' is not a phone number in E.164 form, e.g. +15551230001"

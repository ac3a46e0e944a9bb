"""The built-in screening: the tenant's blocklist and allowlist, and withheld numbers."""

from __future__ import annotations

import pytest

from core import CallerProfile, ScreeningDecision
from core.plugins.config import PluginConfigError, validate_config
from plugins.screening import screen_call

REJECT_BLOCKLIST = ScreeningDecision(action="reject", reasons=["blocklist"])


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


# --- STIR/SHAKEN -----------------------------------------------------------------------------

FAILED_VERSTATS = [
    "TN-Validation-Failed-A",
    "TN-Validation-Failed-B",
    "TN-Validation-Failed-C",
    "TN-Validation-Failed",
]


def stir_decision(action: str, verstat: str) -> ScreeningDecision:
    return ScreeningDecision(action=action, reasons=[f"stir_shaken:{verstat}"])


@pytest.mark.parametrize(
    ("verstat", "expected"),
    [
        ("TN-Validation-Passed-A", None),
        ("TN-Validation-Passed-B", None),
        ("TN-Validation-Passed-C", "challenge"),
        ("No-TN-Validation", "challenge"),
        *[(verstat, "voicemail") for verstat in FAILED_VERSTATS],
        (None, None),  # unsigned call: no verdict to act on
        ("TN-Validation-Passed-Z", None),  # a value Twilio does not send is not held against the caller
    ],
)
def test_stir_shaken_default_policy(call_with, verstat, expected):
    decision = screen_call(call_with({"screening": {}}, stir_verstat=verstat))
    assert decision == (None if expected is None else stir_decision(expected, verstat))


@pytest.mark.parametrize(
    ("policy", "verstat", "expected"),
    [
        ({"attestation_b": "challenge"}, "TN-Validation-Passed-B", "challenge"),
        ({"attestation_b": "allow"}, "TN-Validation-Passed-B", None),
        ({"attestation_c": "allow"}, "TN-Validation-Passed-C", None),
        ({"attestation_c": "challenge"}, "TN-Validation-Passed-C", "challenge"),
        ({"no_validation": "allow"}, "No-TN-Validation", None),
        ({"no_validation": "challenge"}, "No-TN-Validation", "challenge"),
        *[({"failed": "reject"}, verstat, "reject") for verstat in FAILED_VERSTATS],
        *[({"failed": "voicemail"}, verstat, "voicemail") for verstat in FAILED_VERSTATS],
        # A-attested calls pass whatever the other settings say.
        ({"attestation_b": "challenge", "attestation_c": "challenge"}, "TN-Validation-Passed-A", None),
    ],
)
def test_stir_shaken_configured_policy(call_with, policy, verstat, expected):
    call = call_with({"screening": {"stir_shaken": policy}}, stir_verstat=verstat)
    assert screen_call(call) == (None if expected is None else stir_decision(expected, verstat))


@pytest.mark.parametrize(
    ("policy", "field", "message"),
    [
        ({"failed": "allow"}, "config.stir_shaken.failed", "Invalid enum value 'allow'"),
        ({"attestation_c": "reject"}, "config.stir_shaken.attestation_c", "Invalid enum value 'reject'"),
        ({"attestation_d": "allow"}, "config.stir_shaken.attestation_d", "unknown field"),
    ],
)
def test_stir_shaken_policy_refuses_what_it_cannot_do(builtin_catalog, policy, field, message):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("screening"), [{"stir_shaken": policy}], environ={})
    assert (raised.value.field, raised.value.message) == (field, message)


# --- withheld numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["challenge", "voicemail", "reject"])
def test_anonymous_policy_decides_for_withheld_numbers(call_with, policy):
    call = call_with({"screening": {"anonymous": policy}}, caller="Restricted")
    assert screen_call(call) == ScreeningDecision(action=policy, reasons=["anonymous"])
    # A caller who shows their number is not touched by the rule.
    assert screen_call(call_with({"screening": {"anonymous": policy}})) is None


def test_anonymous_allow_lets_withheld_numbers_through(call_with):
    assert screen_call(call_with({"screening": {"anonymous": "allow"}}, caller="anonymous")) is None


def test_anonymous_setting_wins_over_the_deprecated_block_anonymous(call_with):
    layer = {"anonymous": "challenge", "block_anonymous": True}
    call = call_with({"screening": layer}, caller="anonymous")
    assert screen_call(call) == ScreeningDecision(action="challenge", reasons=["anonymous"])
    allowing = call_with({"screening": {"anonymous": "allow", "block_anonymous": True}}, caller="anonymous")
    assert screen_call(allowing) is None


def test_anonymous_policy_reads_the_deprecated_flag_when_unset(builtin_catalog):
    screening = builtin_catalog.get("screening")
    assert validate_config(screening, [{"block_anonymous": True}], environ={}).anonymous_action == "reject"
    assert validate_config(screening, [{}], environ={}).anonymous_action == "allow"


# --- velocity --------------------------------------------------------------------------------


@pytest.mark.parametrize(("earlier_calls", "expected"), [(0, None), (4, None), (5, "velocity:6/h>5")])
def test_velocity_counts_this_call_against_the_hourly_limit(call_with, earlier_calls, expected):
    profile = CallerProfile(calls_last_hour=earlier_calls, previous_calls=earlier_calls)
    decision = screen_call(call_with({"screening": {"max_calls_per_hour": 5}}, caller_profile=profile))
    assert decision == (
        None if expected is None else ScreeningDecision(action="challenge", reasons=[expected])
    )


def test_velocity_action_is_configurable(call_with):
    layer = {"max_calls_per_hour": 2, "velocity_action": "reject"}
    call = call_with({"screening": layer}, caller_profile=CallerProfile(calls_last_hour=6))
    assert screen_call(call) == ScreeningDecision(action="reject", reasons=["velocity:7/h>2"])


def test_velocity_is_off_by_default(call_with):
    call = call_with({"screening": {}}, caller_profile=CallerProfile(calls_last_hour=500))
    assert screen_call(call) is None


def test_negative_call_limit_is_refused(builtin_catalog):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("screening"), [{"max_calls_per_hour": -1}], environ={})
    assert (raised.value.field, raised.value.message) == (
        "config.max_calls_per_hour",
        "must be 0 (off) or more",
    )


# --- rules together --------------------------------------------------------------------------

EVERY_RULE = {"anonymous": "challenge", "max_calls_per_hour": 1, "stir_shaken": {"failed": "reject"}}


def test_every_fired_rule_is_a_reason_and_the_strictest_action_wins(call_with):
    call = call_with(
        {"screening": EVERY_RULE},
        caller="anonymous",
        stir_verstat="TN-Validation-Failed-B",
        caller_profile=CallerProfile(calls_last_hour=3),
    )
    assert screen_call(call) == ScreeningDecision(
        action="reject", reasons=["anonymous", "stir_shaken:TN-Validation-Failed-B", "velocity:4/h>1"]
    )


def test_known_contacts_are_exempt_from_every_other_rule(call_with):
    call = call_with(
        {"screening": EVERY_RULE},
        stir_verstat="TN-Validation-Failed",
        caller_profile=CallerProfile(known=True, name="Ada", calls_last_hour=9),
    )
    assert screen_call(call) == ScreeningDecision(action="allow", reasons=["known_contact"])


def test_allowlisted_numbers_are_exempt_from_every_other_rule(call_with):
    layer = {**EVERY_RULE, "allowlist": ["+15551230001"]}
    call = call_with(
        {"screening": layer}, stir_verstat="No-TN-Validation", caller_profile=CallerProfile(calls_last_hour=9)
    )
    assert screen_call(call) == ScreeningDecision(action="allow", reasons=["allowlist"])


def test_blocklist_beats_everything(call_with):
    layer = {**EVERY_RULE, "blocklist": ["+15551230001"], "allowlist": ["+15551230001"]}
    call = call_with(
        {"screening": layer},
        stir_verstat="TN-Validation-Passed-A",
        caller_profile=CallerProfile(known=True, vip=True, name="Ada"),
    )
    assert screen_call(call) == REJECT_BLOCKLIST

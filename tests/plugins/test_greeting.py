"""The built-in greeting: the tenant's template, rendered safely, refused early when broken."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2.exceptions
import msgspec
import pytest
from structlog.testing import capture_logs

from core import CallerProfile, Greeting
from core.plugins.config import PluginConfigError, validate_config
from plugins import greeting as greeting_plugin

NOW = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)  # a Monday
ALWAYS_OPEN = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
CLOSED_ALL_WEEK = {"mon": []}


def render(call, at: datetime = NOW) -> Greeting:
    return greeting_plugin.render_greeting(call, call.plugin_config("greeting", greeting_plugin.Config), at)


def with_hours(call, hours):
    tenant = msgspec.structs.replace(call.tenant, business={**call.tenant.business, "hours": hours})
    return msgspec.structs.replace(call, tenant=tenant)


def test_default_greeting_names_the_business(call_with):
    assert greeting_plugin.greeting(call_with({"greeting": {}})) == Greeting(
        text="Thank you for calling Bright Smiles Dental. How can I help you today?", language="en-US"
    )


def test_template_sees_business_tenant_and_caller(call_with):
    template = """
        {{ business.name }} at {{ business.address }} ({{ tenant.slug }}).
        Welcome back, caller {{ caller[-4:] }}.
    """
    call = call_with({"greeting": {"template": template}})
    assert render(call).text == (
        "Bright Smiles Dental at 12 Elm Street (bright-smiles). Welcome back, caller 0001."
    )


def test_business_name_overrides_the_tenant_name(call_with):
    call = call_with({"greeting": {}})
    tenant = msgspec.structs.replace(call.tenant, business={"name": "Bright Smiles of Oak Park"})
    assert render(msgspec.structs.replace(call, tenant=tenant)).text.startswith(
        "Thank you for calling Bright Smiles of Oak Park."
    )


def test_missing_details_render_empty_rather_than_failing_the_call(call_with):
    call = call_with({"greeting": {"template": "Hello{{ business.slogan }}!"}})
    assert render(call).text == "Hello!"


def test_after_hours_template_is_used_when_closed(call_with):
    call = call_with({"greeting": {"after_hours_template": "{{ business.name }} is closed now."}})
    assert render(with_hours(call, CLOSED_ALL_WEEK)).text == "Bright Smiles Dental is closed now."
    assert render(with_hours(call, ALWAYS_OPEN)).text.startswith("Thank you for calling")


def test_without_after_hours_template_the_greeting_is_the_same_when_closed(call_with):
    call = with_hours(call_with({"greeting": {}}), CLOSED_ALL_WEEK)
    assert render(call).text.startswith("Thank you for calling Bright Smiles Dental.")


def test_voice_and_language_come_from_config_else_the_call(call_with):
    configured = call_with({"greeting": {"voice": "twilio", "language": "es-US"}})
    assert (render(configured).voice, render(configured).language) == ("twilio", "es-US")
    assert render(call_with({"greeting": {}}, language="en-GB")).language == "en-GB"


@pytest.mark.parametrize("field", ["template", "after_hours_template", "returning_template"])
def test_template_syntax_errors_are_refused_at_validation(builtin_catalog, field):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("greeting"), [{field: "Hi {% if %}"}], environ={})
    assert raised.value.field == f"config.{field}"
    assert raised.value.message.startswith("line 1:")


def test_templates_render_in_a_sandbox(call_with):
    call = call_with({"greeting": {"template": "{{ tenant.__class__.__mro__ }}"}})
    with pytest.raises(jinja2.exceptions.SecurityError):
        render(call)


# --- variants --------------------------------------------------------------------------------

RETURNING = "Welcome back to {{ business.name }}{% if caller.name %}, {{ caller.name }}{% endif %}!"
NEW_CALLER = "Thank you for calling Bright Smiles Dental. How can I help you today?"


def test_returning_callers_get_the_returning_template(call_with):
    call = call_with(
        {"greeting": {"returning_template": RETURNING}}, caller_profile=CallerProfile(previous_calls=2)
    )
    assert render(call).text == "Welcome back to Bright Smiles Dental!"


def test_first_time_callers_get_the_main_template(call_with):
    call = call_with({"greeting": {"returning_template": RETURNING}}, caller_profile=CallerProfile())
    assert render(call).text == NEW_CALLER


def test_known_contacts_are_greeted_by_name(call_with):
    known = CallerProfile(known=True, vip=True, name="Ada", previous_calls=4)
    call = call_with({"greeting": {"returning_template": RETURNING}}, caller_profile=known)
    assert render(call).text == "Welcome back to Bright Smiles Dental, Ada!"


def test_a_name_the_business_has_not_confirmed_is_not_spoken(call_with):
    # A name captured on an earlier call is only the caller's word; caller ID can be spoofed.
    unconfirmed = CallerProfile(known=False, name="Ada", previous_calls=4)
    call = call_with({"greeting": {"returning_template": RETURNING}}, caller_profile=unconfirmed)
    assert render(call).text == "Welcome back to Bright Smiles Dental!"


def test_caller_details_in_the_template(call_with):
    template = "{{ caller }} {{ caller.number }} {{ caller.returning }} {{ caller.vip }} {{ caller.known }}"
    profile = CallerProfile(known=True, vip=True, name="Ada", previous_calls=1)
    call = call_with({"greeting": {"template": template}}, caller_profile=profile)
    assert render(call).text == "+15551230001 +15551230001 True True True"


def test_the_template_sees_the_local_time_and_whether_the_business_is_open(call_with):
    template = "{{ now_local.strftime('%A %H:%M') }} {{ 'open' if is_open else 'closed' }}"
    call = with_hours(call_with({"greeting": {"template": template}}), CLOSED_ALL_WEEK)
    assert render(call).text == "Monday 09:00 closed"  # NOW is 15:00 UTC, 09:00 in Chicago


def test_the_hook_greets_at_the_moment_the_call_came_in(call_with):
    hours = {"mon": [["08:00", "17:00"]]}
    layer = {"after_hours_template": "{{ business.name }} is closed.", "returning_template": RETURNING}
    returning = CallerProfile(previous_calls=1)
    open_call = with_hours(call_with({"greeting": layer}, now=NOW, caller_profile=returning), hours)
    closed_call = msgspec.structs.replace(open_call, now=datetime(2025, 3, 4, 2, 0, tzinfo=UTC))  # Mon 20:00
    assert greeting_plugin.greeting(open_call).text == "Welcome back to Bright Smiles Dental!"
    # Closed beats returning: what the caller can do now matters more than a welcome back.
    assert greeting_plugin.greeting(closed_call).text == "Bright Smiles Dental is closed."


# --- recording disclosure --------------------------------------------------------------------


def test_recorded_calls_start_with_the_disclosure(call_with):
    assert render(call_with({"greeting": {}}, recording=True)).text == (
        "This call may be recorded for quality purposes. " + NEW_CALLER
    )
    assert render(call_with({"greeting": {}}, recording=False)).text == NEW_CALLER


def test_disclosure_text_and_position_are_configurable(call_with):
    layer = {"recording_disclosure": "Calls are recorded.", "recording_disclosure_position": "after"}
    assert render(call_with({"greeting": layer}, recording=True)).text == NEW_CALLER + " Calls are recorded."


def test_an_empty_disclosure_is_refused(builtin_catalog):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("greeting"), [{"recording_disclosure": "  "}], environ={})
    assert (raised.value.field, raised.value.message) == (
        "config.recording_disclosure",
        "must not be empty: callers must be told when a call is recorded",
    )


# --- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "{{ 1 / 0 }}",
        "{{ tenant.__class__.__mro__ }}",  # the sandbox refuses
        "{{ business.name.upper(1, 2, 3) }}",
    ],
)
def test_a_template_that_fails_at_runtime_falls_back_to_a_plain_greeting(call_with, template):
    call = call_with({"greeting": {"template": template}}, recording=True)
    with capture_logs() as logs:
        spoken = greeting_plugin.greeting(call)
    assert spoken == Greeting(
        text="This call may be recorded for quality purposes. " + NEW_CALLER, language="en-US"
    )
    assert [(log["event"], log["tenant"], log["call_sid"]) for log in logs] == [
        ("greeting.render_failed", "bright-smiles", "CA0002")
    ]

"""The built-in greeting: the tenant's template, rendered safely, refused early when broken."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2.exceptions
import msgspec
import pytest

from core import Greeting
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


@pytest.mark.parametrize("field", ["template", "after_hours_template"])
def test_template_syntax_errors_are_refused_at_validation(builtin_catalog, field):
    with pytest.raises(PluginConfigError) as raised:
        validate_config(builtin_catalog.get("greeting"), [{field: "Hi {% if %}"}], environ={})
    assert raised.value.field == f"config.{field}"
    assert raised.value.message.startswith("line 1:")


def test_templates_render_in_a_sandbox(call_with):
    call = call_with({"greeting": {"template": "{{ tenant.__class__.__mro__ }}"}})
    with pytest.raises(jinja2.exceptions.SecurityError):
        render(call)

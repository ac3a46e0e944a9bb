"""Answers the call with the tenant's own greeting, rendered from a per-tenant template.

Templates are Jinja, rendered in a sandbox (tenants write them) over ``business`` (the tenant's
business details, with ``name`` defaulting to the tenant's name), ``tenant``, ``caller``,
``language``, ``now_local`` and ``is_open``. Outside business hours ``after_hours_template`` is
used when set, else for a caller who called before ``returning_template`` when set. A recorded
call gets the recording disclosure. A template that fails while rendering costs the caller
nothing: a plain greeting is spoken instead and the failure is logged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

import jinja2
import msgspec
import structlog
from jinja2.sandbox import SandboxedEnvironment

from core import CallContext, ConfigFieldError, Greeting, hookimpl

NAME = "greeting"
DEFAULT_INSTALLED = True

DEFAULT_RECORDING_DISCLOSURE = "This call may be recorded for quality purposes."

log = structlog.get_logger(__name__)

# Autoescape off: the output is spoken text, not HTML. Undefined names render empty rather than
# failing a live call over a detail the tenant has not filled in yet.
_environment = SandboxedEnvironment(autoescape=False)


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    template: str = "Thank you for calling {{ business.name }}. How can I help you today?"
    after_hours_template: str | None = None
    # For callers who called this tenant before (``caller.returning``), during business hours.
    returning_template: str | None = None
    # Said on every recorded call (plain text, not a template), before or after the greeting.
    recording_disclosure: str = DEFAULT_RECORDING_DISCLOSURE
    recording_disclosure_position: Literal["before", "after"] = "before"
    # A registered voice name (e.g. "twilio"); None means the tenant's default voice.
    voice: str | None = None
    # None means the call's language.
    language: str | None = None

    def __post_init__(self) -> None:
        # Refuse a broken template at install time, not on the first call that needs it.
        templates = {
            "template": self.template,
            "after_hours_template": self.after_hours_template,
            "returning_template": self.returning_template,
        }
        for field, source in templates.items():
            if source is not None:
                try:
                    _compile(source)
                except jinja2.TemplateSyntaxError as exc:
                    raise ConfigFieldError(field, f"line {exc.lineno}: {exc.message}") from exc
        if not self.recording_disclosure.strip():
            raise ConfigFieldError(
                "recording_disclosure", "must not be empty: callers must be told when a call is recorded"
            )


class CallerView(str):
    """The caller as templates see it: ``{{ caller }}`` is the number, the rest are attributes."""

    number: str
    name: str | None
    known: bool
    returning: bool
    vip: bool

    def __new__(cls, call: CallContext) -> CallerView:
        view = super().__new__(cls, call.caller)
        profile = call.caller_profile
        view.number = call.caller
        # Only a contact the business added is named: caller ID can be spoofed, and a name
        # captured on an earlier call is the caller's word, not the business's.
        view.name = profile.name if profile.known else None
        view.known = profile.known
        view.returning = profile.previous_calls > 0
        view.vip = profile.vip
        return view


@lru_cache(maxsize=256)
def _compile(source: str) -> jinja2.Template:
    return _environment.from_string(source)


def template_context(call: CallContext, now: datetime) -> dict[str, Any]:
    """What every greeting template sees for ``call`` at ``now``."""
    tenant = call.tenant
    return {
        "business": {"name": tenant.name, **tenant.business},
        "tenant": tenant,
        "caller": CallerView(call),
        "language": call.language,
        "now_local": now.astimezone(ZoneInfo(tenant.timezone)),
        "is_open": tenant.is_open(now),
    }


def render_greeting(call: CallContext, config: Config, now: datetime) -> Greeting:
    """The greeting for ``call`` at ``now`` under ``config``; raises what a failing template raises."""
    context = template_context(call, now)
    source = config.template
    if config.after_hours_template is not None and not context["is_open"]:
        source = config.after_hours_template
    elif config.returning_template is not None and context["caller"].returning:
        source = config.returning_template
    return _greeting(call, config, _compile(source).render(**context))


def fallback_greeting(call: CallContext, config: Config) -> Greeting:
    """A plain greeting that cannot fail, for when the tenant's template does."""
    name = call.tenant.business.get("name") or call.tenant.name
    return _greeting(call, config, f"Thank you for calling {name}. How can I help you today?")


def _greeting(call: CallContext, config: Config, text: str) -> Greeting:
    parts = [text]
    if call.recording:
        before = config.recording_disclosure_position == "before"
        parts.insert(0 if before else 1, config.recording_disclosure)
    # Collapse the whitespace multi-line templates leave behind; it would be read aloud as pauses.
    spoken = " ".join(" ".join(parts).split())
    return Greeting(text=spoken, voice=config.voice, language=config.language or call.language)


@hookimpl(trylast=True)
def greeting(call: CallContext) -> Greeting:
    # trylast: a more specific plugin (an agency's, an experiment's) gets the first word.
    config = call.plugin_config(NAME, Config)
    try:
        return render_greeting(call, config, call.now or datetime.now(UTC))
    except Exception as exc:  # a template's runtime error must not cost the caller the greeting
        log.warning(
            "greeting.render_failed", tenant=call.tenant.slug, call_sid=call.call_sid, error=repr(exc)
        )
        return fallback_greeting(call, config)

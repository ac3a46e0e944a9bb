"""Answers the call with the tenant's own greeting, rendered from a per-tenant template.

Templates are Jinja, rendered in a sandbox (tenants write them) over ``business`` (the tenant's
business details, with ``name`` defaulting to the tenant's name), ``tenant``, ``caller`` and
``language``. Outside business hours ``after_hours_template`` is used when set.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

import jinja2
import msgspec
from jinja2.sandbox import SandboxedEnvironment

from core import CallContext, ConfigFieldError, Greeting, hookimpl

NAME = "greeting"
DEFAULT_INSTALLED = True

# Autoescape off: the output is spoken text, not HTML. Undefined names render empty rather than
# failing a live call over a detail the tenant has not filled in yet.
_environment = SandboxedEnvironment(autoescape=False)


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    template: str = "Thank you for calling {{ business.name }}. How can I help you today?"
    after_hours_template: str | None = None
    # A registered voice name (e.g. "twilio"); None means the tenant's default voice.
    voice: str | None = None
    # None means the call's language.
    language: str | None = None

    def __post_init__(self) -> None:
        # Refuse a broken template at install time, not on the first call that needs it.
        templates = {"template": self.template, "after_hours_template": self.after_hours_template}
        for field, source in templates.items():
            if source is not None:
                try:
                    _compile(source)
                except jinja2.TemplateSyntaxError as exc:
                    raise ConfigFieldError(field, f"line {exc.lineno}: {exc.message}") from exc


@lru_cache(maxsize=256)
def _compile(source: str) -> jinja2.Template:
    return _environment.from_string(source)


def render_greeting(call: CallContext, config: Config, now: datetime) -> Greeting:
    """The greeting for ``call`` at ``now`` under ``config``."""
    tenant = call.tenant
    source = config.template
    if config.after_hours_template is not None and not tenant.is_open(now):
        source = config.after_hours_template
    text = _compile(source).render(
        business={"name": tenant.name, **tenant.business},
        tenant=tenant,
        caller=call.caller,
        language=call.language,
    )
    # Collapse the whitespace multi-line templates leave behind; it would be read aloud as pauses.
    spoken = " ".join(text.split())
    return Greeting(text=spoken, voice=config.voice, language=config.language or call.language)


@hookimpl(trylast=True)
def greeting(call: CallContext) -> Greeting:
    # trylast: a more specific plugin (an agency's, an experiment's) gets the first word.
    return render_greeting(call, call.plugin_config(NAME, Config), datetime.now(UTC))

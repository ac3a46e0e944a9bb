"""Sends the events a tenant picks to any HTTP endpoint, as JSON rendered from the tenant's template.

A generic connector for systems without a dedicated plugin: each event in ``events`` is POSTed
to ``url`` by the webhook outbox (retried on its schedule), with the body ``template`` renders
from ``event``, ``data`` and ``tenant`` in a Jinja sandbox, and an ``idempotency-key`` header
holding the delivery id, the same on every retry.
"""

from __future__ import annotations

import re

import jinja2
import msgspec

from core import ConfigFieldError, Register, Secret, hookimpl, url_problem
from plugins.http_connector.connector import HTTPConnector, compile_template
from plugins.webhook_events import EVENT_TYPES

__all__ = ["DEFAULT_INSTALLED", "EVENT_NAMES", "NAME", "Config", "HTTPConnector", "register_crm_connectors"]

NAME = "http_connector"
DEFAULT_INSTALLED = False

# The events the platform publishes (the same list webhook subscribers choose from).
EVENT_NAMES = tuple(event_type.name for event_type in EVENT_TYPES)

# Set by the connector itself on every request; a tenant's value would be overwritten or break it.
RESERVED_HEADERS = frozenset(
    {"content-type", "content-length", "host", "idempotency-key", "transfer-encoding"}
)
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Where events are POSTed. Empty is accepted when stored (platform defaults have no URL) but
    # every delivery then fails naming this field.
    url: str = ""
    events: list[str] = msgspec.field(default_factory=lambda: ["call.completed"])
    # Jinja, rendered in a sandbox; must produce JSON. The default sends {id, type, timestamp, data}.
    template: str = "{{ event | tojson }}"
    headers: dict[str, str] = {}
    # Sent in ``auth_header`` (e.g. "Bearer abc123"); stored encrypted.
    auth: Secret = None
    auth_header: str = "Authorization"

    def __post_init__(self) -> None:
        if self.url and (problem := url_problem(self.url)):
            raise ConfigFieldError("url", problem)
        for index, name in enumerate(self.events):
            if name not in EVENT_NAMES:
                raise ConfigFieldError(
                    f"events[{index}]", f"unknown event {name!r}; one of {', '.join(EVENT_NAMES)}"
                )
        try:
            compile_template(self.template)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigFieldError("template", f"line {exc.lineno}: {exc.message}") from exc
        for name, value in self.headers.items():
            _check_header(f"headers.{name}", name, value)
        _check_header("auth_header", self.auth_header, "")
        if self.auth and ("\r" in self.auth or "\n" in self.auth):
            raise ConfigFieldError("auth", "a header value cannot contain line breaks")


def _check_header(field: str, name: str, value: str) -> None:
    if not _HEADER_NAME.match(name):
        raise ConfigFieldError(field, f"{name!r} is not a valid HTTP header name")
    if name.lower() in RESERVED_HEADERS:
        raise ConfigFieldError(field, f"{name} is set by the connector itself")
    if "\r" in value or "\n" in value:
        raise ConfigFieldError(field, "a header value cannot contain line breaks")


@hookimpl
def register_crm_connectors(register: Register) -> None:
    register("http", HTTPConnector())

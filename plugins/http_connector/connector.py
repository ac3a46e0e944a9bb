"""The generic HTTP connector: one tenant-templated JSON POST per event, through the outbox."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import httpx
import jinja2
import msgspec
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from core import ConnectorEvent, CRMConnector, DeliveryError, retry_after_seconds

if TYPE_CHECKING:
    from plugins.http_connector import Config

# What the receiver's reply is quoted with in a delivery's error (the dispatcher keeps 500 chars).
REPLY_QUOTED = 200


def _tojson(value: Any) -> str:
    # Jinja's own tojson escapes <, > and & for HTML; this body is JSON, not a page. A path that
    # leads nowhere (``data.lead.name`` on a call without a lead) becomes null, not an error.
    if isinstance(value, jinja2.Undefined):
        value = None
    return json.dumps(value, ensure_ascii=False)


class _JSONSandbox(SandboxedEnvironment):
    """Tenants write these templates: they reach the event's data, never Python internals."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        # Refuse at once: the default (an undefined that fails only when printed) would let
        # ``tojson`` turn the attempt into a quiet null.
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")


# ChainableUndefined: a key missing at any depth is undefined (null through tojson), not a crash.
_environment = _JSONSandbox(autoescape=False, undefined=jinja2.ChainableUndefined)
_environment.filters["tojson"] = _tojson


@lru_cache(maxsize=256)
def compile_template(source: str) -> jinja2.Template:
    """The compiled body template; raises ``jinja2.TemplateSyntaxError`` for a broken one."""
    return _environment.from_string(source)


def template_context(event: ConnectorEvent) -> dict[str, Any]:
    """What a body template sees: ``event`` (id, type, timestamp, data), ``data`` and ``tenant``."""
    return {
        "event": {
            "id": event.id,
            "type": event.type,
            "timestamp": msgspec.to_builtins(event.timestamp),
            "data": event.data,
        },
        "data": event.data,
        "tenant": msgspec.to_builtins(event.tenant),
    }


def render_body(source: str, event: ConnectorEvent) -> str:
    """The JSON body for ``event``; a ``DeliveryError`` naming ``template`` when it is not JSON."""
    try:
        body = compile_template(source).render(**template_context(event)).strip()
    except Exception as exc:  # a sandbox refusal or any runtime error of the tenant's template
        raise DeliveryError(f"template failed to render: {exc}", permanent=True) from exc
    try:
        json.loads(body)
    except ValueError as exc:
        raise DeliveryError(
            f"template did not render JSON ({exc}): {body[:REPLY_QUOTED]!r}", permanent=True
        ) from exc
    return body


class HTTPConnector(CRMConnector):
    """POSTs each event the tenant chose to its URL, with the body its template renders."""

    def wants(self, event_type: str, config: Config) -> bool:
        return event_type in config.events

    async def deliver(self, event: ConnectorEvent, config: Config, http: httpx.AsyncClient) -> None:
        if not config.url:
            raise DeliveryError("url is not set: the connector has nowhere to send events", permanent=True)
        body = render_body(config.template, event)
        headers = {**config.headers, "content-type": "application/json", "idempotency-key": event.id}
        if config.auth:
            headers[config.auth_header] = config.auth
        try:
            response = await http.post(config.url, content=body.encode(), headers=headers)
        except httpx.TimeoutException as exc:
            raise DeliveryError(f"{config.url} did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise DeliveryError(f"could not reach {config.url}: {exc!r}") from exc
        if response.is_success:
            return
        code = response.status_code
        reply = f": {response.text[:REPLY_QUOTED]}" if response.content else ""
        if code == 410:
            raise DeliveryError(
                f"{config.url} answered 410 Gone: the receiver no longer takes events; fix url{reply}",
                status_code=code,
                permanent=True,
            )
        raise DeliveryError(
            f"{config.url} answered HTTP {code}{reply}",
            status_code=code,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )

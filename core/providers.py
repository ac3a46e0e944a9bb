"""What plugins register at startup: provider base classes and the Structs they exchange.

Each provider base class has exactly one abstract async method. Providers are shared by every
tenant, so a provider reads its per-tenant settings from ``call.plugin_config(NAME, Config)``
on each call rather than at construction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit

import msgspec

from core.context import CallContext, TenantIdentity

if TYPE_CHECKING:
    import httpx

ProviderKind = Literal["llm_provider", "voice", "calendar", "crm_connector", "workflow", "event_type"]


class Register(Protocol):
    """The callback a ``register_*`` hook receives: ``register(name, provider, **metadata)``."""

    def __call__(self, name: str, provider: object, /, **metadata: Any) -> None: ...


class Registration(msgspec.Struct, kw_only=True, frozen=True):
    """One provider as registered at startup, with the plugin that registered it."""

    kind: ProviderKind
    name: str
    provider: object
    plugin: str
    metadata: dict[str, Any] = {}


# --- conversation models -------------------------------------------------------------------


class ToolCall(msgspec.Struct, kw_only=True, frozen=True, tag="tool_call"):
    """The model asks the host to run a tool (``arguments`` already decoded from JSON)."""

    id: str
    name: str
    arguments: dict[str, Any] = {}


class TextDelta(msgspec.Struct, kw_only=True, frozen=True, tag="text"):
    """The next piece of the spoken answer, streamed as the model produces it."""

    text: str


class Message(msgspec.Struct, kw_only=True, frozen=True):
    """One entry of the conversation so far, in the order it happened."""

    role: Literal["system", "user", "assistant", "tool"]
    content: str
    # For an assistant message that asked for tools, and the tool results answering it.
    tool_calls: list[ToolCall] = []
    tool_call_id: str | None = None


class ToolSpec(msgspec.Struct, kw_only=True, frozen=True):
    """A tool the model may call; ``parameters`` is a JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any] = {}


class LLMProvider(ABC):
    """A conversation model: offline rules engine, OpenAI, Anthropic..."""

    @abstractmethod
    def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        """Stream the assistant's next turn; implement as ``async def respond(...)`` that yields."""


# --- voices --------------------------------------------------------------------------------


class Speech(msgspec.Struct, kw_only=True, frozen=True):
    """How to voice a text: ``say`` (Twilio speaks ``text``) or ``play`` (audio at ``url``)."""

    kind: Literal["say", "play"]
    text: str
    voice: str | None = None
    language: str | None = None
    url: str | None = None


class Voice(ABC):
    """Text to speech for one voice vendor."""

    @abstractmethod
    async def speak(self, call: CallContext, text: str, language: str | None) -> Speech:
        """Voice ``text`` for this call; ``language`` None means the provider's configured one."""


# --- calendars -----------------------------------------------------------------------------


class Slot(msgspec.Struct, kw_only=True, frozen=True):
    """A bookable period, timezone-aware."""

    start: datetime
    end: datetime


class Calendar(ABC):
    """Availability for appointments (built-in iCalendar feed or an external calendar)."""

    @abstractmethod
    async def available_slots(
        self, call: CallContext, start: datetime, end: datetime, duration: timedelta
    ) -> list[Slot]:
        """Free slots of ``duration`` between ``start`` and ``end``, earliest first."""


# --- CRM -----------------------------------------------------------------------------------


class ConnectorEvent(msgspec.Struct, kw_only=True, frozen=True):
    """One webhook event handed to a CRM connector by the outbox dispatcher.

    ``id`` is the delivery's id, the same on every retry: use it as an idempotency key.
    ``data`` is the event's public payload, exactly what webhook subscribers receive
    (``docs/integrations/events.md``).
    """

    id: str
    type: str
    timestamp: datetime
    data: dict[str, Any]
    tenant: TenantIdentity
    attempt: int = 1


class DeliveryError(Exception):
    """A delivery that did not go through; the host retries it on the delivery schedule.

    ``status_code`` is the remote's HTTP status, if there was one; ``retry_after`` (seconds)
    is honoured as the earliest next attempt; ``permanent`` stops retrying (the delivery is
    marked failed and listed at once), for errors no retry can fix.
    """

    def __init__(
        self,
        reason: str,
        *,
        status_code: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code
        self.retry_after = retry_after
        self.permanent = permanent


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL, or None when it is one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) URL such as https://example.com/hooks/frontdesk"
    return None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds (it may hold seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" in the date means UTC
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class CRMConnector(ABC):
    """Keeps a CRM in step with calls: contacts, call logs, leads.

    Connector work rides the webhook outbox: the dispatcher calls ``deliver`` outside any call,
    so a slow or failing CRM never delays a caller, and failures are retried on the same
    schedule as webhooks. ``config`` is the tenant's validated config of the connector's plugin.
    """

    def wants(self, event_type: str, config: Any) -> bool:
        """Whether this tenant's connector takes events of ``event_type`` (default: all)."""
        return True

    @abstractmethod
    async def deliver(self, event: ConnectorEvent, config: Any, http: httpx.AsyncClient) -> None:
        """Push one event to the CRM through ``http``; raise ``DeliveryError`` when it fails."""


# --- descriptions (data, not behaviour) ----------------------------------------------------


class Workflow(msgspec.Struct, kw_only=True, frozen=True):
    """An industry workflow: the intents it recognises and the lead fields it qualifies."""

    name: str
    intents: list[str]
    qualification_fields: list[str] = []
    description: str = ""


class EventType(msgspec.Struct, kw_only=True, frozen=True):
    """A webhook event type, with the sample payload Zapier shows before real data exists."""

    name: str
    description: str
    sample: dict[str, Any] = {}

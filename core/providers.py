"""What plugins register at startup: provider base classes and the Structs they exchange.

Each provider base class has exactly one abstract async method. Providers are shared by every
tenant, so a provider reads its per-tenant settings from ``call.plugin_config(NAME, Config)``
on each call rather than at construction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

import msgspec

from core.context import CallContext, CallEvent

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


class CRMConnector(ABC):
    """Keeps a CRM in step with calls: contacts, call logs, leads."""

    @abstractmethod
    async def handle_event(self, call: CallContext, event: CallEvent) -> None:
        """Push one call event to the CRM."""


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

"""What plugins register at startup: provider base classes and the Structs they exchange.

Each provider base class has exactly one abstract async method. Providers are shared by every
tenant, so a provider reads its per-tenant settings from ``call.plugin_config(NAME, Config)``
on each call rather than at construction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
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


class Usage(msgspec.Struct, kw_only=True, frozen=True, tag="usage"):
    """What one model request cost: yielded by a provider once per request, after its answer.

    ``cost_usd`` is the provider's own estimate from its price table; None when it has none.
    """

    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None


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
    ) -> AsyncIterator[TextDelta | ToolCall | Usage]:
        """Stream the assistant's next turn; implement as ``async def respond(...)`` that yields."""

    async def judge_sentiment(self, call: CallContext, text: str) -> tuple[float, Usage | None] | None:
        """The caller's mood in ``text``, -1 (very negative) to 1 (very positive), or None.

        Optional: a model that can judge mood (an LLM) overrides it; the host asks the tenant's
        first provider that answers, alongside the turn, and falls back to its lexicon scorer.
        """
        return None


# --- voices --------------------------------------------------------------------------------


class Speech(msgspec.Struct, kw_only=True, frozen=True):
    """How to voice a text: ``say`` (Twilio speaks ``text``) or ``play`` (audio at ``url``)."""

    kind: Literal["say", "play"]
    text: str
    voice: str | None = None
    language: str | None = None
    url: str | None = None


class SpeechAudio(msgspec.Struct, kw_only=True, frozen=True):
    """Audio synthesised for a text, returned by voices registered with ``output="audio"``.

    The host stores it under an unguessable key, serves it from ``/media/<key>.mp3`` and answers
    with ``<Play>``; it asks again only for a text, language or voice config it has not heard.
    """

    audio: bytes
    content_type: str = "audio/mpeg"
    # Who said it, kept with the clip for operators: "elevenlabs:<voice id>".
    voice: str = ""


class Voice(ABC):
    """Text to speech for one voice vendor.

    A ``<Say>`` voice (registered with ``output="say"``) returns ``Speech``; a synthesising voice
    (``output="audio"``) returns ``SpeechAudio`` and leaves caching, URLs and fallback to the host.
    """

    @abstractmethod
    async def speak(self, call: CallContext, text: str, language: str | None) -> Speech | SpeechAudio:
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


# --- industry workflows --------------------------------------------------------------------

# How a qualification field's answer is read and stored (see docs/plugins/workflows.md).
FieldKind = Literal["amount", "credit", "timeline", "yes_no", "choice", "text", "address", "carrier"]
# What is done with a lead: put through to a person, texted to one, offered today's slots, booked,
# or left as a message.
RouteAction = Literal["transfer", "alert", "same_day", "book", "message"]


class WorkflowIntent(msgspec.Struct, kw_only=True, frozen=True):
    """A reason to call that a workflow handles, e.g. ``refinance`` or ``emergency``."""

    name: str
    description: str
    # What the receptionist says on recognising it, before its first question.
    acknowledgement: str = ""


class WorkflowField(msgspec.Struct, kw_only=True, frozen=True):
    """One thing a lead is qualified on, and how a receptionist asks for it."""

    name: str
    description: str
    kind: FieldKind = "text"
    # The question asked for it; empty: never asked, only picked up when the caller says it.
    question: str = ""
    # The values a choice (credit band, timeline, carrier...) field is stored as.
    choices: list[str] = []
    # Asked only for these intents; empty: for every intent.
    intents: list[str] = []
    # Asked even in an emergency, before the lead is handed on (an address to send someone to).
    urgent: bool = False


class KnowledgeItem(msgspec.Struct, kw_only=True, frozen=True):
    """A starter question and answer a workflow brings to the tenants that install it."""

    question: str
    answer: str
    tags: list[str] = []


class WorkflowReading(msgspec.Struct, kw_only=True, frozen=True):
    """What a caller's words say in a workflow's terms.

    ``evidence`` is how strongly they ask for ``intent``: 3 or more is a plain request
    ("I want to refinance"), the same scale the offline model weighs its own requests on.
    """

    intent: str | None = None
    evidence: float = 0.0
    fields: dict[str, Any] = {}


class LeadRoute(msgspec.Struct, kw_only=True, frozen=True):
    """One way to hand a lead on; the host tries a lead's routes in order until one works."""

    action: RouteAction
    # transfer: a department of the routing plugin (None: its main number), or ``number`` to dial.
    department: str | None = None
    # transfer: the number to dial; alert: the number to text.
    number: str | None = None
    # same_day and book: the calendar service to book.
    service: str | None = None
    # Who the caller is handed to, as said to them: "a loan officer", "our on-call dentist".
    who: str = ""
    # Why, e.g. "hot_lead" or "emergency:gas_smell" (stored with the lead and on the transfer).
    reason: str = ""


class LeadAssessment(msgspec.Struct, kw_only=True, frozen=True):
    """A workflow's judgement of a lead: its fields cleaned up, its score, and where it goes."""

    fields: dict[str, Any]
    score: int  # 0..100
    hot: bool = False
    # What kind of emergency it is ("gas_smell", "toothache"...), when it is one.
    emergency: str | None = None
    # Fields still to ask, in the order to ask them.
    missing: list[str] = []
    # Empty while the lead is still being qualified; else the hand-offs to try, in order.
    routes: list[LeadRoute] = []
    # To be told to the caller at once (safety first), when there is something.
    instructions: str | None = None
    # One line for people: "refinance; loan amount $400,000; credit excellent".
    summary: str = ""


class Workflow(ABC):
    """An industry workflow: its intents, qualification fields and starter knowledge, and its rules.

    A description plus pure functions: ``assess`` scores and routes a lead (the host runs it each
    time a conversation model calls ``capture_lead``), and ``read`` finds the intents and fields in
    a caller's words, for conversation models that understand speech themselves (the offline one).
    """

    def __init__(
        self,
        *,
        name: str,
        description: str = "",
        intents: Sequence[WorkflowIntent] = (),
        fields: Sequence[WorkflowField] = (),
        knowledge: Sequence[KnowledgeItem] = (),
    ) -> None:
        self.name = name
        self.description = description
        self.intents = tuple(intents)
        self.fields = tuple(fields)
        self.knowledge = tuple(knowledge)

    @property
    def qualification_fields(self) -> list[str]:
        return [field.name for field in self.fields]

    def field(self, name: str) -> WorkflowField | None:
        return next((field for field in self.fields if field.name == name), None)

    def intent(self, name: str | None) -> WorkflowIntent | None:
        return next((intent for intent in self.intents if intent.name == name), None)

    def read(self, text: str, expecting: str | None = None) -> WorkflowReading:
        """What ``text`` says; ``expecting`` names the field just asked for. Default: nothing."""
        return WorkflowReading()

    @abstractmethod
    def assess(self, call: CallContext, intent: str | None, fields: Mapping[str, Any]) -> LeadAssessment:
        """Score and route a lead with these fields (a field set to None was asked and not known)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


# --- descriptions (data, not behaviour) ----------------------------------------------------


class EventType(msgspec.Struct, kw_only=True, frozen=True):
    """A webhook event type, with the sample payload Zapier shows before real data exists."""

    name: str
    description: str
    sample: dict[str, Any] = {}

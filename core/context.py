"""What hooks receive and return: the tenant's identity, the call, its turns and events, decisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload
from zoneinfo import ZoneInfo

import msgspec

if TYPE_CHECKING:
    from core.providers import Workflow

ConfigT = TypeVar("ConfigT", bound=msgspec.Struct)

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class TenantIdentity(msgspec.Struct, kw_only=True, frozen=True):
    """The business a call is for, as plugins see it (white-label: never the platform's name)."""

    id: str
    slug: str
    name: str
    timezone: str = "UTC"
    languages: list[str] = msgspec.field(default_factory=lambda: ["en-US"])
    # {"hours": {"mon": [["09:00", "17:00"]], ...}, "address"?, "services"?, "phone"?}
    business: dict[str, Any] = {}
    branding: dict[str, Any] = {}
    industry: str | None = None

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` falls in the business hours, read in the tenant's timezone.

        No ``hours`` at all means always open (a tenant that never set hours takes calls);
        a weekday missing from ``hours`` means closed that day. An interval whose end is not
        after its start runs past midnight, and ``"24:00"`` is the end of the day.
        """
        hours = self.business.get("hours")
        if not hours:
            return True
        local = at.astimezone(ZoneInfo(self.timezone))
        minute = local.hour * 60 + local.minute
        for start, end in hours.get(_WEEKDAYS[local.weekday()], []):
            opens, closes = _minutes(start), _minutes(end)
            if opens < closes and opens <= minute < closes:
                return True
            if closes <= opens and (minute >= opens or minute < closes):
                return True
        return False


def _minutes(clock: str) -> int:
    hour, _, minute = clock.partition(":")
    if not (hour.isdigit() and minute.isdigit()) or int(hour) > 24 or int(minute) > 59:
        raise ValueError(f"business hours must be HH:MM; got {clock!r}")
    return int(hour) * 60 + int(minute)


class CallerProfile(msgspec.Struct, kw_only=True, frozen=True):
    """What the tenant knows of the caller before the call, computed by the host at call start."""

    # A contact the business knows (added through the API): exempt from screening.
    known: bool = False
    vip: bool = False
    name: str | None = None
    # Earlier calls of this caller to this tenant, and how many of them in the last hour.
    previous_calls: int = 0
    calls_last_hour: int = 0
    last_call_at: datetime | None = None


class KnowledgeSnippet(msgspec.Struct, kw_only=True, frozen=True):
    """A knowledge entry (the tenant's or its workflow's) that matches what the caller just said."""

    question: str
    answer: str
    # How well it matches the caller's words, 0..1 (core.knowledge.search.rank).
    score: float = 0.0


class CallContext(msgspec.Struct, kw_only=True, frozen=True):
    """One call (or SMS conversation) as every per-call hook receives it.

    ``plugin_configs`` holds each installed plugin's effective config (number over tenant over
    platform, with any experiment variant applied), keyed by plugin name.
    """

    call_sid: str
    tenant: TenantIdentity
    caller: str
    called: str
    channel: Literal["voice", "sms", "relay"] = "voice"
    language: str
    # Twilio's STIR/SHAKEN attestation (StirVerstat), when the carrier sent one.
    stir_verstat: str | None = None
    caller_profile: CallerProfile = CallerProfile()
    # When the call is recorded the greeting must say so.
    recording: bool = False
    # The moment the webhook being served arrived (UTC); plugins use it, not the clock, so a
    # retried request is judged as it was first.
    now: datetime | None = None
    plugin_configs: dict[str, msgspec.Struct] = {}
    metadata: dict[str, Any] = {}
    # The tenant's industry workflow, when it installed one: set for the conversation models.
    workflow: Workflow | None = None
    # The knowledge entries best matching the caller's latest words, for models that take a prompt.
    knowledge: list[KnowledgeSnippet] = []

    @overload
    def plugin_config(self, name: str) -> msgspec.Struct: ...

    @overload
    def plugin_config(self, name: str, config_type: type[ConfigT]) -> ConfigT: ...

    def plugin_config(self, name: str, config_type: type[msgspec.Struct] | None = None) -> msgspec.Struct:
        """The effective config of plugin ``name``; pass its ``Config`` class to get it typed."""
        try:
            config = self.plugin_configs[name]
        except KeyError:
            installed = ", ".join(sorted(self.plugin_configs)) or "none"
            raise KeyError(
                f"plugin {name!r} is not installed for tenant {self.tenant.slug!r} (installed: {installed})"
            ) from None
        if config_type is not None and not isinstance(config, config_type):
            raise TypeError(
                f"config of plugin {name!r} is a {type(config).__name__}, not a {config_type.__name__}"
            )
        return config


class Turn(msgspec.Struct, kw_only=True, frozen=True):
    """What the caller said (speech recognition) or pressed (DTMF) in one turn."""

    number: int
    text: str
    confidence: float | None = None
    digits: str | None = None
    # What the conversation model made of it, for routing rules.
    intent: str | None = None
    # Turns in a row the model could not understand (0 when this one was understood).
    misunderstandings: int = 0
    # -1 (very negative) .. 1 (very positive), when measured.
    sentiment: float | None = None


class CallEvent(msgspec.Struct, kw_only=True, frozen=True):
    """Something that happened during a call, e.g. ``call.started`` or ``lead.created``."""

    type: str
    data: dict[str, Any] = {}
    at: datetime


class ScreeningDecision(msgspec.Struct, kw_only=True, frozen=True):
    """Whether a call goes through: ``challenge`` asks the caller to press a key first."""

    action: Literal["allow", "challenge", "voicemail", "reject"]
    reasons: list[str] = []


class Greeting(msgspec.Struct, kw_only=True, frozen=True):
    """How the call is answered. ``voice`` names a registered voice; None means the tenant's default."""

    text: str
    voice: str | None = None
    language: str | None = None


class RouteDecision(msgspec.Struct, kw_only=True, frozen=True):
    """Where the call goes next; ``target`` is the number or department for a ``transfer``."""

    action: Literal["continue", "transfer", "voicemail", "hangup"]
    target: str | None = None
    reason: str | None = None
    # What the caller hears before a transfer, voicemail or hangup instead of the model's reply
    # (None: the reply), for a decision the caller did not ask for: "I'm sorry about this...".
    say: str | None = None

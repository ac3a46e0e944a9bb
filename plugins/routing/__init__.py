"""Routes a call to a person: on request, by department keyword, or when the conversation goes badly.

Runs after each caller turn. Returns None to let the conversation continue; otherwise a
``RouteDecision`` whose ``reason`` is one of the strings documented in ``docs/plugins/routing.md``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import msgspec

from core import CallContext, RouteDecision, Turn, hookimpl
from plugins.routing.config import NAME, Config, Department

__all__ = [
    "DEFAULT_INSTALLED",
    "NAME",
    "TALK_TO_PERSON",
    "Config",
    "Department",
    "is_negative",
    "route",
    "route_call",
]

DEFAULT_INSTALLED = True

# The intent a conversation model (or the transfer_call tool) sets when the caller wants a person.
TALK_TO_PERSON = "talk_to_person"

_WORD = re.compile(r"[^\W_]+")  # letters and digits; "front_desk" reads as "front desk"

# What an upset caller hears instead of the model's reply, by language: put through to a person,
# or, when nobody can be reached, offered a message. Other languages keep the model's reply.
SENTIMENT_OFFERS = {
    "en": (
        "I'm sorry about this. Let me put you through to someone who can help.",
        "I'm sorry about this. Nobody can come to the phone right now, but if you leave a message "
        "after the tone, someone will call you back.",
    ),
    "es": (
        "Lamento mucho las molestias. Le comunico con alguien que le pueda ayudar.",
        "Lamento mucho las molestias. Ahora mismo no hay nadie disponible, pero si deja un mensaje "
        "después del tono, le devolveremos la llamada.",
    ),
}


def is_negative(sentiment: float | None, config: Config) -> bool:
    """Whether a turn's sentiment counts towards ``negative_turns`` (the host counts with this too)."""
    return sentiment is not None and sentiment <= config.negative_sentiment_threshold


def route(call: CallContext, turn: Turn, config: Config, now: datetime) -> RouteDecision | None:
    """Where ``call`` goes after ``turn`` at ``now``; None: the conversation continues."""
    said = _words(turn.text)
    by_name = next((name for name in config.departments if _mentions(said, name)), None)
    by_keyword = next(
        (
            name
            for name, department in config.departments.items()
            if any(_mentions(said, keyword) for keyword in department.keywords)
        ),
        None,
    )
    if turn.intent == TALK_TO_PERSON or any(_mentions(said, phrase) for phrase in config.person_phrases):
        # A department named outright beats one guessed from a keyword.
        return _requested(call, config, now, by_name or by_keyword)
    if by_keyword is not None:
        return _requested(call, config, now, by_keyword)
    escalation = _escalation(call, turn, config)
    if escalation is not None:
        decision = _escalate(call, config, now, escalation)
        if escalation.startswith("negative_sentiment:"):
            return _with_apology(call, decision)
        return decision
    return None


def _requested(call: CallContext, config: Config, now: datetime, department: str | None) -> RouteDecision:
    """The caller asked for a person (or a department's keyword sent them there)."""
    chosen = config.departments[department] if department else None
    target = chosen.number if chosen else config.transfer_number
    if target is None:
        return RouteDecision(action="continue", reason="no_transfer_number")
    if _is_open(call, chosen, now):
        reason = f"department:{department}" if department else "talk_to_person"
        return RouteDecision(action="transfer", target=target, reason=reason)
    if call.caller_profile.vip and config.vip_action == "transfer":
        return RouteDecision(action="transfer", target=target, reason="vip_after_hours")
    if config.after_hours == "transfer":
        return RouteDecision(action="transfer", target=target, reason="after_hours_transfer")
    if config.after_hours == "voicemail":
        return RouteDecision(action="voicemail", reason="after_hours_voicemail")
    # "message": the conversation model takes the message, having been told why.
    return RouteDecision(action="continue", reason="after_hours_message")


def _escalation(call: CallContext, turn: Turn, config: Config) -> str | None:
    """Why the call should go to a person though nobody asked, if it should."""
    limit = config.escalate_after_misunderstandings
    if limit and turn.misunderstandings >= limit:
        return f"misunderstandings:{turn.misunderstandings}"
    if config.negative_turns_to_escalate and is_negative(turn.sentiment, config):
        # The host counts the negative turns in a row before this one; this one makes one more.
        streak = int(call.metadata.get("negative_turns", 0) or 0) + 1
        if streak >= config.negative_turns_to_escalate:
            return f"negative_sentiment:{streak}"
    return None


def _escalate(call: CallContext, config: Config, now: datetime, reason: str) -> RouteDecision:
    """A person if one can be reached now, else voicemail: the model has not been getting through."""
    target = config.transfer_number
    if target is not None and (_is_open(call, None, now) or config.after_hours == "transfer"):
        return RouteDecision(action="transfer", target=target, reason=reason)
    return RouteDecision(action="voicemail", reason=reason)


def _with_apology(call: CallContext, decision: RouteDecision) -> RouteDecision:
    """An upset caller hears an apology and the person (or the message) offered, not the model."""
    offers = SENTIMENT_OFFERS.get(call.language.split("-")[0].lower())
    if offers is None:
        return decision
    through, message = offers
    return msgspec.structs.replace(decision, say=through if decision.action == "transfer" else message)


def _is_open(call: CallContext, department: Department | None, now: datetime) -> bool:
    if department is None or department.hours is None:
        return call.tenant.is_open(now)
    # The department's own hours, read the way business hours are (tenant timezone and all).
    hours = msgspec.structs.replace(call.tenant, business={"hours": department.hours})
    return hours.is_open(now)


def _words(text: str) -> str:
    # Padded with spaces so that " billing " matches whole words and phrases only.
    return f" {' '.join(_WORD.findall(text.casefold()))} "


def _mentions(said: str, phrase: str) -> bool:
    words = _words(phrase)
    return bool(words.strip()) and words in said  # "?!" has no words and matches nothing


@hookimpl(trylast=True)
def route_call(call: CallContext, turn: Turn) -> RouteDecision | None:
    # trylast: a tenant's more specific routing plugin decides first.
    return route(call, turn, call.plugin_config(NAME, Config), call.now or datetime.now(UTC))

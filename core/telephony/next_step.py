"""Where a call goes after the receptionist answered a turn, whatever the call is answered with.

A ``<Gather>`` turn and a ConversationRelay turn decide alike: a transfer a tool arranged, then
the ``route_call`` hook (transfer, voicemail, hang up), then an ``end_call`` tool, then the turn
limit. Each mode then says it its own way: TwiML for ``<Gather>``, websocket messages for relay.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from core.context import RouteDecision, Turn
from core.conversation.engine import TurnReply
from core.conversation.executor import TurnEffects
from core.plugins.calling import call_first
from core.providers import Speech
from core.telephony import twiml
from core.telephony.session import CallSession

MAX_TURNS = 30  # a bounded conversation: past this the receptionist wraps up
DEFAULT_DIAL_TIMEOUT_S = 20


class NextStep(NamedTuple):
    """``listen`` for more, put the caller through to ``target``, take a voicemail, hang up, or wrap up."""

    action: Literal["listen", "transfer", "voicemail", "hangup", "wrap_up"]
    target: str | None = None
    reason: str | None = None
    # Said instead of the model's reply, when the routing decision brings its own words.
    say: str | None = None


def caller_turn(
    n: int,
    text: str,
    reply: TurnReply,
    *,
    confidence: float | None = None,
    digits: str | None = None,
    misunderstandings: int = 0,
    sentiment: float | None = None,
) -> Turn:
    """The turn as ``route_call`` sees it."""
    intent = "talk_to_person" if any(c.name == "transfer_call" for c in reply.tool_calls) else None
    return Turn(
        number=n,
        text=text,
        confidence=confidence,
        digits=digits,
        intent=intent,
        misunderstandings=misunderstandings,
        sentiment=sentiment,
    )


async def next_step(session: CallSession, turn: Turn, effects: TurnEffects) -> NextStep:
    if effects.transfer is not None and effects.transfer.target:
        return NextStep("transfer", effects.transfer.target, effects.transfer_reason or "requested")
    decision = await call_first(
        session.hooks.caller("route_call"), timeout=session.hook_timeout, call=session.context, turn=turn
    )
    if isinstance(decision, RouteDecision):
        if decision.action == "transfer" and decision.target:
            return NextStep("transfer", decision.target, decision.reason or "routing", say=decision.say)
        if decision.action == "voicemail":
            return NextStep("voicemail", say=decision.say)
        if decision.action == "hangup":
            return NextStep("hangup", say=decision.say)
    if effects.end_call:
        return NextStep("hangup")
    if turn.number >= MAX_TURNS:
        return NextStep("wrap_up")
    return NextStep("listen")


async def begin_transfer(session: CallSession, target: str, reason: str) -> None:
    """Record that the call is being put through (the ``<Dial>`` itself follows)."""
    session.call.transferred_to = target
    await session.event("call.transferred", {"to": target, "reason": reason})


def dial_twiml(session: CallSession, n: int, speech: Speech | None, target: str) -> str:
    """``<Dial>`` the transfer target; ``/twilio/voice/dial?n=N`` hears how it ended."""
    routing = session.context.plugin_configs.get("routing")
    timeout = getattr(routing, "dial_timeout_s", DEFAULT_DIAL_TIMEOUT_S)
    action = session.url(f"/twilio/voice/dial?n={n}")
    return twiml.transfer(speech, target, action, timeout, caller_id=None)

"""``POST /twilio/voice/relay-end``: a ConversationRelay session ended; what the call does next.

Twilio posts the ``<Connect>`` action when the session ends: after our ``end`` message (with the
``handoffData`` we sent), when the caller hung up, or when the session failed. The answer is
``<Dial>`` for a transfer, ``<Record>`` for a voicemail, a new ``<ConversationRelay>`` when the
websocket dropped (error 64105, at most ``max_reconnects`` times a call), or goodbye. Like every
Twilio callback it is idempotent: a retry gets the answer stored the first time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.providers import Message
from core.state import AppServices
from core.telephony import twiml
from core.telephony.incoming import voicemail_prompt
from core.telephony.next_step import dial_twiml
from core.telephony.phrases import phrase
from core.telephony.relay import messages
from core.telephony.relay.twiml import connect, relay_settings
from core.telephony.session import CallSession
from core.telephony.turns import session_or_answer

log = structlog.get_logger(__name__)

# ConversationRelay's "the websocket connection to your application was lost": worth reconnecting.
RECONNECTABLE_ERRORS = frozenset({"64105"})
DEFAULT_MAX_RECONNECTS = 2
TROUBLE_TEXT = (
    "I'm sorry, I'm having trouble right now. Please leave a message after the tone and we'll call you back."
)


async def answer_relay_end(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime
) -> str:
    session_id = form.get("SessionId") or form.get("CallSid", "")
    session = await session_or_answer(db, services, form, now, f"relay-end:{session_id}"[:64])
    if isinstance(session, str):
        return session
    handoff = messages.handoff_of(form.get("HandoffData"))
    status, error = form.get("SessionStatus", ""), (form.get("ErrorCode") or "").strip()
    await session.event(
        "call.relay_ended",
        {
            "status": status,
            "duration_s": _int(form.get("SessionDuration")),
            "error_code": error or None,
            "handoff": handoff.get("reason"),
        },
    )
    body = await _next(session, handoff, error)
    session.store(f"relay-end:{session_id}"[:64], body, twiml.XML)
    await db.commit()
    return body


async def _next(session: CallSession, handoff: dict[str, object], error: str) -> str:
    call = session.call
    reason = handoff.get("reason")
    if reason == "transfer" and call.transferred_to:
        # The target is the one the turn recorded, not whatever the handoff data says.
        turn = handoff.get("turn")
        n = turn if isinstance(turn, int) and turn > 0 else max(call.turn_count, 1)
        return dial_twiml(session, n, None, call.transferred_to)
    if reason == "voicemail":
        return await voicemail_prompt(session, phrase("leave_message", session.call.language))
    if reason == "error":
        return await voicemail_prompt(session, TROUBLE_TEXT)
    if reason == "hangup":
        return twiml.goodbye(None)
    if error in RECONNECTABLE_ERRORS:
        return await _reconnect(session, error)
    if error:
        log.warning("relay.session_failed", error_code=error, call_sid=call.call_sid)
        return await voicemail_prompt(session, TROUBLE_TEXT)
    return twiml.goodbye(await session.speech(phrase("goodbye", session.call.language)))


async def _reconnect(session: CallSession, error: str) -> str:
    """A new relay session for the same call; past the limit, the caller leaves a message."""
    settings = relay_settings(session.context)
    limit = getattr(settings, "max_reconnects", DEFAULT_MAX_RECONNECTS)
    done = int(session.call.state.get("relay_reconnects", 0))
    if settings is None or done >= limit:
        log.warning("relay.reconnects_exhausted", call_sid=session.call.call_sid, reconnects=done)
        return await voicemail_prompt(session, TROUBLE_TEXT)
    again = phrase("line_dropped", session.call.language)
    history = [*session.call.state.get("history", []), Message(role="assistant", content=again)]
    session.remember(relay_reconnects=done + 1, history=history)
    await calls.append_turn(session.db, session.call, "assistant", again, at=session.now)
    await session.event("call.relay_reconnected", {"attempt": done + 1, "error_code": error})
    return connect(session, again)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None

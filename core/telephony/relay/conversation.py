"""What the relay websocket does with the database: one short transaction per message.

Nothing of the call is kept in the socket's memory between messages: each prompt opens the call's
row, answers through the same exchange as a ``<Gather>`` turn, and commits. The reply is spoken
while the models stream it, before the turn commits: the price of streaming (a turn whose commit
fails has been heard, and the caller is then offered voicemail).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.calls.models import CallTurn
from core.db.base import utcnow
from core.state import AppServices
from core.telephony.exchange import exchange
from core.telephony.next_step import begin_transfer, caller_turn, next_step
from core.telephony.outbound import credentials, send_texts_later
from core.telephony.phrases import phrase
from core.telephony.relay import messages
from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

# The request key the relay's transactions look the call up with (they store no answers).
RELAY_KEY = "relay"
INTERRUPTED_BEFORE_SPEAKING = "(interrupted)"

Send = Callable[[dict[str, Any]], Awaitable[None]]


class Speaker:
    """The assistant's side of one relay session: streams tokens until the caller cuts it short."""

    def __init__(self, send: Send) -> None:
        self.send = send
        # Set when the caller speaks over the answer being streamed: the rest is not sent.
        self.cut = False

    async def token(self, token: str) -> None:
        if token and not self.cut:
            await self.send(messages.text(token, last=False))

    async def finish(self) -> None:
        """Mark the answer complete (Twilio speaks what it still holds)."""
        if not self.cut:
            await self.send(messages.text("", last=True))


async def _open(db: AsyncSession, services: AppServices, call_sid: str) -> CallSession | None:
    found = await calls.find_call(db, call_sid, RELAY_KEY)
    if found is None:
        return None
    return await CallSession.open(db, services, found.call, found.tenant, found.number, utcnow())


async def connect(services: AppServices, call_sid: str, session_id: str) -> bool:
    """The ``setup`` message: True when it names a call we answered in streaming mode."""
    async with services.session_factory() as db:
        session = await _open(db, services, call_sid)
        if session is None or session.call.channel != "relay":
            return False
        session.remember(relay_session=session_id)
        await session.event("call.relay_connected", {"session_id": session_id})
        await db.commit()
    return True


async def answer(
    services: AppServices, call_sid: str, text: str, speaker: Speaker, digits: str | None
) -> bool:
    """Answer the caller's ``text`` (a prompt, or "(pressed N)"); True when the session was ended.

    Whatever breaks (a model, a plugin, the database, the turn budget) ends the session towards
    voicemail, as the ``<Gather>`` mode's fallback does.
    """
    speaker.cut = False
    try:
        async with asyncio.timeout(services.settings.turn_budget_s), services.session_factory() as db:
            ending = await _answer(db, services, call_sid, text, speaker, digits)
    except Exception as exc:  # TimeoutError included: the caller must not be left in silence
        log.error("relay.turn_failed", call_sid=call_sid, error=repr(exc), exc_info=exc)
        await speaker.send(messages.end("error"))
        return True
    if ending is not None:
        await speaker.send(ending)
    return ending is not None


async def _answer(
    db: AsyncSession, services: AppServices, call_sid: str, text: str, speaker: Speaker, digits: str | None
) -> dict[str, Any] | None:
    session = await _open(db, services, call_sid)
    if session is None:
        raise LookupError(f"no call {call_sid}")
    call = session.call
    n = call.turn_count + 1
    spoken_in = call.language

    async def stream(token: str) -> None:
        nonlocal spoken_in
        if call.language != spoken_in:
            # The caller switched language: speak and listen in it from this answer on.
            spoken_in = call.language
            await speaker.send(messages.language(spoken_in))
        await speaker.token(token)

    reply, effects = await exchange(
        session, text, n=n, can_text=credentials(session) is not None, on_text=stream
    )
    if reply.text and not reply.streamed:
        await stream(reply.text)
    if call.language != spoken_in:
        await stream("")
    session.remember(silences=0, misunderstandings=0)
    turn = caller_turn(n, text, reply, digits=digits, sentiment=effects.sentiment)
    step = await next_step(session, turn, effects)
    call.turn_count = max(call.turn_count, n)
    if step.say:
        # The routing decision brings its own words (an apology before a person is offered); the
        # model's reply has already been heard, so they follow it.
        await speaker.token(" " + step.say)
    ending = None
    if step.action == "transfer" and step.target:
        await begin_transfer(session, step.target, step.reason or "requested")
        ending = messages.end("transfer", target=step.target, turn=n)
    elif step.action == "voicemail":
        ending = messages.end("voicemail")
    elif step.action == "hangup":
        ending = messages.end("hangup")
    elif step.action == "wrap_up":
        await speaker.token(" " + phrase("wrap_up", call.language))
        ending = messages.end("hangup")
    await speaker.finish()
    await db.commit()
    send_texts_later(session, session.pending_texts)
    return ending


async def cut_interrupted(services: AppServices, call_sid: str, heard: str, duration_ms: int | None) -> None:
    """The caller spoke over the assistant: its last line becomes what the caller heard of it."""
    heard = heard.strip()
    async with services.session_factory() as db:
        session = await _open(db, services, call_sid)
        if session is None:
            return
        call = session.call
        line = await db.scalar(
            select(CallTurn)
            .where(CallTurn.call_id == call.id, CallTurn.role == "assistant")
            .order_by(CallTurn.seq.desc())
            .limit(1)
        )
        said = line.text if line is not None else None
        kept = heard or INTERRUPTED_BEFORE_SPEAKING
        if line is not None:
            line.text = kept
        history = [dict(message) for message in call.state.get("history", [])]
        for message in reversed(history):
            if message.get("role") == "assistant" and not message.get("tool_calls"):
                # The model's next turn must not believe the caller heard the whole answer.
                message["content"] = kept
                break
        session.remember(history=history)
        await session.event("call.interrupted", {"said": said, "heard": heard, "duration_ms": duration_ms})
        await db.commit()


async def record_error(services: AppServices, call_sid: str, description: str) -> None:
    """Twilio reported an error on the session (a message it refused, a provider failure)."""
    log.warning("relay.twilio_error", call_sid=call_sid, description=description)
    async with services.session_factory() as db:
        session = await _open(db, services, call_sid)
        if session is None:
            return
        await session.event("call.relay_error", {"description": description})
        await db.commit()

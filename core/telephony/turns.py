"""A caller's turn (``/twilio/voice/turn?n=N``) and the end of a transfer attempt (``/dial?n=N``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.calls.models import CallResponse
from core.state import AppServices
from core.telephony import twiml
from core.telephony.exchange import exchange
from core.telephony.incoming import NOT_IN_SERVICE, voicemail_prompt
from core.telephony.next_step import begin_transfer, caller_turn, dial_twiml, next_step
from core.telephony.outbound import credentials, send_texts_later
from core.telephony.phrases import phrase
from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

MAX_SILENCES = 2  # reprompts before offering voicemail
LOW_CONFIDENCE = 0.25  # Twilio's speech Confidence below which we count a misunderstanding


class Opened(NamedTuple):
    """A callback's call: a session to serve it, or the answer it got before (a retry or replay)."""

    session: CallSession | None
    stored: CallResponse | None


async def open_session(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime, request_key: str
) -> Opened | None:
    """The call a callback is about, or None for a call we never saw."""
    found = await calls.find_call(db, form.get("CallSid", ""), request_key)
    if found is None:
        return None
    if found.stored is not None:
        return Opened(session=None, stored=found.stored)
    session = await CallSession.open(db, services, found.call, found.tenant, found.number, now)
    return Opened(session=session, stored=None)


async def session_or_answer(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime, request_key: str
) -> CallSession | str:
    """A session to answer a gather-style callback with, or the TwiML that already answers it:
    what it got before (a retry or replay), or "not in service" for a call we never saw."""
    opened = await open_session(db, services, form, now, request_key)
    if opened is None:
        return twiml.goodbye(twiml.platform_speech(NOT_IN_SERVICE))
    if opened.stored is not None:
        return opened.stored.body
    assert opened.session is not None  # open_session gives a session whenever there is no stored answer
    return opened.session


async def answer_turn(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], n: int, now: datetime
) -> str:
    session = await session_or_answer(db, services, form, now, f"turn:{n}")
    if isinstance(session, str):
        return session
    call = session.call
    said = (form.get("SpeechResult") or "").strip()
    digits = (form.get("Digits") or "").strip()
    confidence = _float(form.get("Confidence"))
    text = said or (f"(pressed {digits})" if digits else "")
    if not text:
        body = await _silence(session, n)
    else:
        body = await _converse(session, n, text, confidence, digits or None)
    call.turn_count = max(call.turn_count, n)
    session.store(f"turn:{n}", body, twiml.XML)
    await db.commit()
    send_texts_later(session, session.pending_texts)
    return body


async def _silence(session: CallSession, n: int) -> str:
    silences = int(session.call.state.get("silences", 0)) + 1
    session.remember(silences=silences)
    if silences > MAX_SILENCES:
        return await voicemail_prompt(
            session,
            phrase("cant_hear", session.call.language),
        )
    speech = await session.speech(phrase("didnt_catch", session.call.language))
    return twiml.listen(speech, session.url(f"/twilio/voice/turn?n={n + 1}"), session.call.language)


async def _converse(
    session: CallSession, n: int, text: str, confidence: float | None, digits: str | None
) -> str:
    call = session.call
    misunderstandings = int(call.state.get("misunderstandings", 0))
    misunderstandings = misunderstandings + 1 if confidence is not None and confidence < LOW_CONFIDENCE else 0
    reply, effects = await exchange(
        session, text, n=n, confidence=confidence, can_text=credentials(session) is not None
    )
    session.remember(silences=0, misunderstandings=misunderstandings)
    turn = caller_turn(
        n,
        text,
        reply,
        confidence=confidence,
        digits=digits,
        misunderstandings=misunderstandings,
        sentiment=effects.sentiment,
    )
    step = await next_step(session, turn, effects)
    if step.action == "voicemail":
        return await voicemail_prompt(
            session, step.say or f"{reply.text} Please leave a message after the tone."
        )
    if step.action == "wrap_up":
        return twiml.goodbye(await session.speech(phrase("wrap_up", call.language)))
    speech = await session.speech(step.say or reply.text, voice=call.state.get("voice"))
    if step.action == "transfer" and step.target:
        await begin_transfer(session, step.target, step.reason or "requested")
        return dial_twiml(session, n, speech, step.target)
    if step.action == "hangup":
        return twiml.goodbye(speech)
    return twiml.listen(speech, session.url(f"/twilio/voice/turn?n={n + 1}"), call.language)


async def answer_dial(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], n: int, now: datetime
) -> str:
    """After ``<Dial>``: done if someone answered, else apologise and take a message."""
    session = await session_or_answer(db, services, form, now, f"dial:{n}")
    if isinstance(session, str):
        return session
    status = form.get("DialCallStatus", "")
    await session.event("call.dial_result", {"status": status, "to": session.call.transferred_to})
    if status in ("completed", "answered"):
        body = twiml.goodbye(None)
    else:
        session.call.transferred_to = None
        body = await voicemail_prompt(
            session,
            phrase("nobody_available", session.call.language),
        )
    session.store(f"dial:{n}", body, twiml.XML)
    await db.commit()
    return body


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None

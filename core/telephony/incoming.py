"""An incoming call: screen it, then greet the caller (or challenge, send to voicemail, or reject)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import msgspec
import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.calls.models import Call
from core.context import Greeting, ScreeningDecision
from core.plugins.calling import call_first
from core.providers import Message
from core.state import AppServices
from core.telephony import twiml
from core.telephony.relay import twiml as relay
from core.telephony.session import CallSession, settle_call

log = structlog.get_logger(__name__)

NOT_IN_SERVICE = "We're sorry, the number you have called is not in service. Goodbye."


async def answer_incoming(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime
) -> str:
    """TwiML for ``POST /twilio/voice``; a repeated request gets the answer it got the first time."""
    call_sid, to_number, caller = form.get("CallSid", ""), form.get("To", ""), form.get("From", "")
    existing = await calls.find_call(db, call_sid, "voice")
    if existing is not None and existing.stored is not None:
        return existing.stored.body
    line = await calls.resolve_line(db, to_number, form.get("AccountSid"))
    if line is None:
        log.warning("call.unknown_number", to=to_number, call_sid=call_sid)
        return twiml.goodbye(twiml.platform_speech(NOT_IN_SERVICE))
    number, tenant = line
    if existing is not None:
        call = existing.call
    else:
        call = Call(
            tenant_id=tenant.id,
            call_sid=call_sid,
            channel="voice",
            from_number=caller,
            to_number=to_number,
            status=form.get("CallStatus", "ringing"),
            language=tenant.languages[0] if tenant.languages else "en-US",
            started_at=now,
        )
        await settle_call(db, call, tenant, number, now)
        db.add(call)  # inserted with its final state when the answer is committed
    session = await CallSession.open(
        db, services, call, tenant, number, now, stir_verstat=form.get("StirVerstat")
    )
    await session.event("call.started", {"from": caller, "to": to_number})
    decision = await screen(session)
    await session.event("call.screened", {"decision": decision.action, "reasons": decision.reasons})
    body = await respond_to_screening(session, decision)
    session.store("voice", body, twiml.XML)
    try:
        await db.commit()
    except IntegrityError:
        # Twilio retried while this call's first request was still being answered, and that
        # request committed first: its answer is the call's answer, whatever this one made.
        await db.rollback()
        first = await calls.find_call(db, call_sid, "voice")
        if first is None or first.stored is None:
            raise
        return first.stored.body
    return body


async def screen(session: CallSession) -> ScreeningDecision:
    result = await call_first(
        session.hooks.caller("screen_call"), timeout=session.hook_timeout, call=session.context
    )
    if not isinstance(result, ScreeningDecision):
        if result is not None:
            log.warning("call.screening_ignored", result=repr(result)[:200])
        result = ScreeningDecision(action="allow", reasons=[])
    session.call.screening = {"decision": result.action, "reasons": list(result.reasons)}
    return result


async def respond_to_screening(session: CallSession, decision: ScreeningDecision) -> str:
    name = session.tenant.name
    if decision.action == "reject":
        session.call.outcome = "spam_blocked"
        return twiml.reject()
    if decision.action == "voicemail":
        return await voicemail_prompt(
            session, f"You've reached {name}. Please leave a message after the tone."
        )
    if decision.action == "challenge":
        speech = await session.speech(f"You've reached {name}. To continue, please press 1 or say yes.")
        return twiml.press_one(speech, session.url("/twilio/voice/challenge"), session.call.language)
    return await greet(session)


async def greet(session: CallSession) -> str:
    """Say the tenant's greeting and listen for the caller's first words."""
    result = await call_first(
        session.hooks.caller("greeting"), timeout=session.hook_timeout, call=session.context
    )
    if not isinstance(result, Greeting) or not result.text.strip():
        result = Greeting(text=f"Thank you for calling {session.tenant.name}. How can I help you today?")
    if result.language:
        session.call.language = result.language
    await calls.append_turn(session.db, session.call, "assistant", result.text, at=session.now)
    session.remember(history=[Message(role="assistant", content=result.text)], voice=result.voice)
    start_recording = None
    if session.context.recording:
        start_recording = session.url("/twilio/voice/recording")
        await session.event("call.recording_started", {})
    if relay.relay_settings(session.context) is not None:
        # Streaming mode: Twilio says the greeting and the conversation goes on over the websocket.
        session.call.channel = "relay"
        session.context = msgspec.structs.replace(session.context, channel="relay")
        return relay.connect(session, result.text, start_recording=start_recording)
    speech = await session.speech(result.text, voice=result.voice, language=result.language)
    return twiml.listen(
        speech,
        session.url("/twilio/voice/turn?n=1"),
        session.call.language,
        start_recording=start_recording,
    )


async def voicemail_prompt(session: CallSession, text: str) -> str:
    speech = await session.speech(text)
    session.remember(voicemail=True)
    recording = session.url("/twilio/voice/recording")
    return twiml.voicemail(speech, recording, recording)


async def answer_challenge(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime
) -> str:
    """The caller's answer to "press 1 or say yes": through to the greeting, or goodbye."""
    found = await calls.find_call(db, form.get("CallSid", ""), "challenge")
    if found is None:
        return twiml.goodbye(twiml.platform_speech(NOT_IN_SERVICE))
    if found.stored is not None:
        return found.stored.body
    call = found.call
    session = await CallSession.open(db, services, call, found.tenant, found.number, now)
    said = (form.get("SpeechResult") or "").strip().lower()
    passed = form.get("Digits") == "1" or any(word in said.split() for word in ("yes", "yeah", "yep", "sure"))
    await session.event("call.challenge", {"passed": passed})
    if passed:
        call.screening = {**call.screening, "decision": "allow", "challenge": "passed"}
        body = await greet(session)
    else:
        call.outcome = "spam_blocked"
        call.screening = {**call.screening, "challenge": "failed"}
        body = twiml.goodbye(await session.speech("Sorry, we couldn't verify your call. Goodbye."))
    session.store("challenge", body, twiml.XML)
    await db.commit()
    return body

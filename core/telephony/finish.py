"""The end of a call: Twilio's status callback, and voicemail recordings with their transcriptions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls.models import Call
from core.experiments.live import record_call_outcome
from core.messages.models import Message
from core.state import AppServices
from core.telephony import twiml
from core.telephony.session import CallSession
from core.telephony.turns import open_session
from core.webhooks.outbox import publish_completed_call

log = structlog.get_logger(__name__)

FINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}


def decide_outcome(call: Call, twilio_status: str, voicemail_left: bool) -> str:
    """The one word a business owner reads first (API.md's outcome list), in order of what mattered most."""
    if call.outcome == "spam_blocked" or call.screening.get("decision") == "reject":
        return "spam_blocked"
    if call.appointment_id:
        return "booked"
    if call.transferred_to:
        return "transferred"
    if call.message_id and not voicemail_left:
        return "message_taken"
    if voicemail_left:
        return "voicemail"
    if twilio_status == "failed":
        return "failed"
    return "answered" if call.turn_count > 0 else "abandoned"


def summarise(call: Call, outcome: str, duration_s: int | None) -> str:
    parts = [f"{outcome.replace('_', ' ')}", f"{call.turn_count} caller turn(s)"]
    if duration_s is not None:
        parts.append(f"{duration_s} s")
    if call.transferred_to:
        parts.append(f"transferred to {call.transferred_to}")
    if call.screening.get("reasons"):
        parts.append("screening: " + ", ".join(call.screening["reasons"]))
    return "; ".join(parts)


async def finish_call(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime
) -> None:
    """``POST /twilio/voice/status``: record status, duration and (when final) the outcome. Idempotent."""
    status = form.get("CallStatus", "")
    key = f"status:{status}"
    opened = await open_session(db, services, form, now, key)
    if opened is None:
        log.warning("call.status_for_unknown_call", call_sid=form.get("CallSid"), status=status)
        return
    session = opened.session
    if session is None:  # this status was recorded already
        return
    call = session.call
    final = status in FINAL_STATUSES
    # Read before changing the row, so the query does not flush a half-made update first.
    voicemail_left = final and bool(
        await db.scalar(select(Message.id).where(Message.call_id == call.id, Message.kind == "voicemail"))
    )
    call.status = status
    if final:
        duration = _int(form.get("CallDuration"))
        call.ended_at = now
        call.duration_s = duration
        call.outcome = decide_outcome(call, status, voicemail_left)
        call.summary = summarise(call, call.outcome, duration)
        await record_call_outcome(db, call, now)
        await session.event(
            "call.completed", {"outcome": call.outcome, "duration_s": duration, "turns": call.turn_count}
        )
        await publish_completed_call(db, call, now)
    session.store(key, "", "text/plain")
    await db.commit()


async def save_recording(
    db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime
) -> str | None:
    """``POST /twilio/voice/recording``: three callbacks share this URL.

    The voicemail ``<Record>`` action (TwiML back), its transcription (None), and the status
    callback of the whole-call recording (None), which alone carries ``RecordingStatus``.
    """
    recording_sid = form.get("RecordingSid") or form.get("RecordingUrl", "")
    is_transcription = "TranscriptionStatus" in form or "TranscriptionText" in form
    is_call_recording = "RecordingStatus" in form and not is_transcription
    if is_call_recording:
        key = f"call-recording:{form.get('RecordingSid', '')}:{form.get('RecordingStatus', '')}"
    else:
        key = f"{'transcription' if is_transcription else 'recording'}:{recording_sid}"
    opened = await open_session(db, services, form, now, key[:64])
    if opened is None:
        log.warning("call.recording_for_unknown_call", call_sid=form.get("CallSid"), recording=recording_sid)
        if is_transcription or is_call_recording:
            return None
        return twiml.goodbye(twiml.platform_speech("Thank you. Goodbye."))
    if opened.stored is not None:
        return opened.stored.body or None
    session = opened.session
    assert session is not None  # open_session gives a session whenever there is no stored answer
    if is_call_recording:
        await _save_call_recording(session, form, key[:64])
        return None
    call = session.call
    message = await db.scalar(
        select(Message).where(
            Message.call_id == call.id,
            Message.kind == "voicemail",
            Message.recording_url == form.get("RecordingUrl"),
        )
    )
    if message is None:
        message = Message(
            tenant_id=call.tenant_id,
            call_id=call.id,
            kind="voicemail",
            callback_number=call.from_number,
            recording_url=form.get("RecordingUrl"),
        )
        db.add(message)
        await db.flush()
        call.message_id = call.message_id or message.id
        await session.event(
            "message.taken",
            {"message_id": message.id, "kind": "voicemail", "recording_url": message.recording_url},
        )
    if is_transcription:
        message.body = form.get("TranscriptionText") or message.body
        body = ""
    else:
        message.recording_duration_s = _int(form.get("RecordingDuration"))
        body = twiml.goodbye(await session.speech("Thank you, we'll get back to you soon. Goodbye."))
    session.store(key, body, twiml.XML)
    await db.commit()
    return body or None


async def _save_call_recording(session: CallSession, form: Mapping[str, str], key: str) -> None:
    """Keep the whole-call recording's address on the call; a failed or silent one is only logged."""
    call = session.call
    status = form.get("RecordingStatus", "")
    if status == "completed" and form.get("RecordingUrl"):
        call.recording_sid = form.get("RecordingSid")
        call.recording_url = form.get("RecordingUrl")
        call.recording_duration_s = _int(form.get("RecordingDuration"))
        await session.event(
            "call.recorded",
            {
                "recording_sid": call.recording_sid,
                "recording_url": call.recording_url,
                "duration_s": call.recording_duration_s,
            },
        )
    else:
        # "absent" is a recording with no audio; "failed" carries Twilio's ErrorCode.
        await session.event("call.recording_failed", {"status": status, "error_code": form.get("ErrorCode")})
    session.store(key, "", "text/plain")
    await session.db.commit()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None

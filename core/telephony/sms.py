"""Inbound SMS: the same receptionist, engine and tools, answered with a ``MessagingResponse``.

A text thread is one conversation (a ``calls`` row with channel ``sms``) while the caller keeps
writing within a day; after a day of silence the next text starts a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.calls.models import Call, CallResponse
from core.state import AppServices
from core.telephony import twiml
from core.telephony.exchange import exchange
from core.telephony.finish import decide_outcome
from core.telephony.session import CallSession
from core.tenancy.models import Tenant

THREAD_IDLE = timedelta(days=1)
NOT_IN_SERVICE_SMS = "This number is not in service."


async def _open_thread(db: AsyncSession, tenant: Tenant, form: Mapping[str, str], now: datetime) -> Call:
    caller, called = form.get("From", ""), form.get("To", "")
    thread = await db.scalar(
        select(Call)
        .where(
            Call.tenant_id == tenant.id,
            Call.channel == "sms",
            Call.from_number == caller,
            Call.to_number == called,
            Call.status == "open",
            Call.updated_at >= now - THREAD_IDLE,
        )
        .order_by(Call.updated_at.desc())
        .limit(1)
    )
    if thread is not None:
        return thread
    return await calls.start_call(
        db,
        Call(
            tenant_id=tenant.id,
            call_sid=form.get("MessageSid", ""),
            channel="sms",
            from_number=caller,
            to_number=called,
            status="open",
            language=tenant.languages[0] if tenant.languages else "en-US",
            started_at=now,
        ),
    )


async def answer_sms(db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime) -> str:
    key = f"sms:{form.get('MessageSid', '')}"[:64]
    line = await calls.resolve_line(db, form.get("To", ""), form.get("AccountSid"))
    if line is None:
        return twiml.sms_reply(None)
    number, tenant = line
    replayed = await db.scalar(
        select(CallResponse).where(
            CallResponse.tenant_id == number.tenant_id, CallResponse.request_key == key
        )
    )
    if replayed is not None:
        return replayed.body
    call = await _open_thread(db, tenant, form, now)
    session = await CallSession.open(db, services, call, tenant, number, now)
    text = (form.get("Body") or "").strip()
    if call.turn_count == 0:
        await session.event(
            "call.started", {"from": call.from_number, "to": call.to_number, "channel": "sms"}
        )
    await session.event(
        "sms.received", {"from": call.from_number, "body": text, "message_sid": form.get("MessageSid")}
    )
    reply_text = await _reply(session, text) if text else None
    call.turn_count += 1
    call.outcome = decide_outcome(call, "completed", voicemail_left=False)
    body = twiml.sms_reply(reply_text)
    session.store(key, body, twiml.XML)
    await db.commit()
    return body


async def _reply(session: CallSession, text: str) -> str:
    reply, effects = await exchange(session, text, n=session.call.turn_count + 1)
    if effects.end_call:
        session.call.status = "closed"
        session.call.ended_at = session.now
    return reply.text

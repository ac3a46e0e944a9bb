"""Texts the receptionist sends after the turn commits: to the caller, or about a lead to someone else.

A plain string goes to the caller (a booking confirmation, what a model asked to send); an
``OutgoingText`` goes to the number it names (a hot lead's alert to a loan officer). A text is
sent once the turn's transaction has committed, so a replayed webhook (answered from the stored
response) never sends it twice; a Twilio error is logged and never reaches the caller.
"""

from __future__ import annotations

import asyncio

import structlog

from core.telephony.session import CallSession
from core.telephony.sms_sender import OutgoingText

log = structlog.get_logger(__name__)

SEND_TIMEOUT_S = 3.0


def credentials(session: CallSession) -> tuple[str, str] | None:
    """The Twilio account that owns the number, and its auth token."""
    account_sid = (
        session.number.twilio_account_sid if session.number else None
    ) or session.tenant.twilio_account_sid
    token = (
        session.services.secret_box.decrypt(session.tenant.twilio_auth_token_encrypted)
        if session.tenant.twilio_auth_token_encrypted
        else session.services.settings.twilio_auth_token
    )
    return (account_sid, token) if account_sid and token else None


# Texts go out in the background so the caller's answer never waits on Twilio's REST API; the
# set keeps the tasks alive and lets shutdown (and tests) wait for them.
_in_flight: set[asyncio.Task[None]] = set()


def send_texts_later(session: CallSession, texts: list[str | OutgoingText]) -> None:
    if not texts:
        return
    task = asyncio.get_running_loop().create_task(send_texts(session, list(texts)))
    _in_flight.add(task)
    task.add_done_callback(_in_flight.discard)


async def drain() -> None:
    """Wait for texts still being sent (at shutdown)."""
    while _in_flight:
        await asyncio.gather(*list(_in_flight), return_exceptions=True)


async def send_texts(session: CallSession, texts: list[str | OutgoingText]) -> None:
    if not texts:
        return
    account = credentials(session)
    if account is None:
        log.warning("sms.no_credentials", tenant=session.tenant.slug, count=len(texts))
        return
    caller = session.call.from_number
    for text in texts:
        to, body = (text.to, text.body) if isinstance(text, OutgoingText) else (caller, text)
        try:
            async with asyncio.timeout(SEND_TIMEOUT_S):
                await session.services.sms.send(*account, session.call.to_number, to, body)
        except Exception as exc:  # the call already went well; a failed text is logged, not shouted
            log.warning("sms.send_failed", error=repr(exc), to=to)

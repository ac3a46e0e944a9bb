"""Twilio's endpoints: signed or refused (403), and always answered with valid TwiML.

Whatever breaks underneath (a plugin, the model, the database), the caller hears an apology and
can leave a message: the request gets the fallback TwiML within the turn budget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

import structlog
from litestar import Request, Response, Router, post
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls import services as calls
from core.db.base import utcnow
from core.db.deps import services_of
from core.state import AppServices
from core.telephony import twiml
from core.telephony.finish import finish_call, save_recording
from core.telephony.incoming import answer_challenge, answer_incoming
from core.telephony.relay.end import answer_relay_end
from core.telephony.relay.socket import relay_socket
from core.telephony.signature import is_signed
from core.telephony.sms import answer_sms
from core.telephony.turns import answer_dial, answer_turn
from core.tenancy.models import Tenant

log = structlog.get_logger(__name__)

FALLBACK_TEXT = (
    "I'm sorry, I'm having trouble right now. Please leave a message after the tone and we'll call you back."
)

Handler = Callable[[AsyncSession, AppServices, Mapping[str, str], datetime], Awaitable[str | None]]


def fallback_twiml(services: AppServices) -> str:
    recording = services.settings.effective_public_url + "/twilio/voice/recording"
    speech = twiml.platform_speech(FALLBACK_TEXT)
    return twiml.voicemail(speech, recording, recording)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


async def _tenant_tokens(services: AppServices, form: Mapping[str, str]) -> list[str | None]:
    """The auth token of the tenant the request concerns (by number, else by call), if it has one."""
    tokens: list[str | None] = []
    async with services.session_factory() as db:
        tenant_id = None
        number = await calls.resolve_number(db, form.get("To", ""), None) if form.get("To") else None
        if number is not None:
            tenant_id = number.tenant_id
        elif form.get("CallSid"):
            call = await calls.call_by_sid(db, form["CallSid"])
            tenant_id = call.tenant_id if call else None
        tenant = await db.get(Tenant, tenant_id) if tenant_id else None
        if tenant is not None and tenant.twilio_auth_token_encrypted:
            tokens.append(services.secret_box.decrypt(tenant.twilio_auth_token_encrypted))
    return tokens


def goodbye_twiml(_services: AppServices) -> str:
    return twiml.goodbye(twiml.platform_speech("Thank you. Goodbye."))


def no_twiml(_services: AppServices) -> None:
    return None


async def serve_twilio(
    request: Request, handler: Handler, *, fallback: Callable[[AppServices], str | None] = fallback_twiml
) -> Response:
    services = services_of(request)
    form = await _form(request)
    public_url = services.settings.effective_public_url
    # The platform's token needs no database; a tenant's own token is looked up only when needed.
    signed = is_signed(request, form, [services.settings.twilio_auth_token], public_url)
    if not signed:
        try:
            signed = is_signed(request, form, await _tenant_tokens(services, form), public_url)
        except Exception as exc:  # database down: we cannot check the signature, so we cannot trust it
            log.error("twilio.token_lookup_failed", error=repr(exc))
    if not signed:
        log.warning("twilio.bad_signature", path=request.url.path, call_sid=form.get("CallSid"))
        return Response(
            {"status_code": 403, "detail": "missing or invalid X-Twilio-Signature"}, status_code=403
        )
    structlog.contextvars.bind_contextvars(call_sid=form.get("CallSid") or form.get("MessageSid"))
    try:
        async with asyncio.timeout(services.settings.turn_budget_s), services.session_factory() as db:
            body = await handler(db, services, form, utcnow())
    except Exception as exc:  # TimeoutError included: the caller must hear something sensible now
        log.error(
            "twilio.fallback",
            path=request.url.path,
            error=repr(exc),
            exc_info=exc,
            recording_url=form.get("RecordingUrl"),
        )
        body = fallback(services)
    finally:
        structlog.contextvars.unbind_contextvars("call_sid")
    if not body:
        return Response(b"", status_code=204)
    return Response(body, media_type=twiml.XML, status_code=200)


@post("/voice", operation_id="twilioVoice", tags=["twilio"])
async def voice(request: Request) -> Response:
    """Incoming call (Twilio's voice webhook): screen, greet, listen."""
    return await serve_twilio(request, answer_incoming)


@post("/voice/turn", operation_id="twilioTurn", tags=["twilio"])
async def turn(request: Request, n: int) -> Response:
    """The caller's words for turn ``n`` (Gather action): answer and listen again, transfer, or finish."""
    return await serve_twilio(
        request, lambda db, services, form, now: answer_turn(db, services, form, n, now)
    )


@post("/voice/challenge", operation_id="twilioChallenge", tags=["twilio"])
async def challenge(request: Request) -> Response:
    """The answer to the screening challenge (press 1 or say yes)."""
    return await serve_twilio(request, answer_challenge)


@post("/voice/dial", operation_id="twilioDial", tags=["twilio"])
async def dial(request: Request, n: int) -> Response:
    """After a transfer attempt (Dial action): finished, or take a message when nobody answered."""
    return await serve_twilio(
        request, lambda db, services, form, now: answer_dial(db, services, form, n, now)
    )


@post("/voice/relay-end", operation_id="twilioRelayEnd", tags=["twilio"])
async def relay_end(request: Request) -> Response:
    """A ConversationRelay session ended (Connect action): transfer, voicemail, reconnect or goodbye."""
    return await serve_twilio(request, answer_relay_end)


@post("/voice/status", operation_id="twilioStatus", tags=["twilio"])
async def status(request: Request) -> Response:
    """Call status callback: outcome, duration and summary when the call ends."""
    return await serve_twilio(request, _no_body(finish_call), fallback=no_twiml)


@post("/voice/recording", operation_id="twilioRecording", tags=["twilio"])
async def recording(request: Request) -> Response:
    """Voicemail: the Record action (TwiML back) or its transcription callback (204)."""
    # Never answer a failed recording with another recording prompt: that would loop the caller.
    return await serve_twilio(request, save_recording, fallback=goodbye_twiml)


@post("/sms", operation_id="twilioSms", tags=["twilio"])
async def sms(request: Request) -> Response:
    """Inbound SMS: the receptionist answers by text (TwiML MessagingResponse)."""
    return await serve_twilio(request, answer_sms, fallback=sms_fallback)


def sms_fallback(_services: AppServices) -> str:
    return twiml.sms_reply(
        "Sorry, we couldn't read your message just now. Please try again in a few minutes."
    )


def _no_body(handler: Callable[..., Awaitable[None]]) -> Handler:
    async def run(db: AsyncSession, services: AppServices, form: Mapping[str, str], now: datetime) -> None:
        await handler(db, services, form, now)

    return run


twilio_router = Router(
    path="/twilio",
    route_handlers=[voice, turn, challenge, dial, relay_end, status, recording, sms, relay_socket],
)

"""``WS /twilio/relay``: Twilio's ConversationRelay session for one call, signed or refused.

The handshake must carry a valid ``X-Twilio-Signature``, computed by Twilio over the websocket's
public ``wss://`` URL (query string included) with no parameters; anything else is closed before
it is accepted (HTTP 403 on the wire). Messages are then handled one at a time, in order, each in
its own transaction (see ``conversation``), while the socket keeps reading: an ``interrupt``
stops the answer being streamed at once, and is recorded after that answer's turn is saved.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import msgspec
import structlog
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.status_codes import WS_1008_POLICY_VIOLATION

from core.calls import services as calls
from core.state import AppServices
from core.telephony.relay import conversation, messages
from core.telephony.relay.twiml import CALL_PARAM, websocket_origin
from core.telephony.signature import is_signed
from core.tenancy.models import Tenant

log = structlog.get_logger(__name__)

_encoder = msgspec.json.Encoder()


async def _call_tokens(services: AppServices, call_sid: str | None) -> list[str | None]:
    """The auth token of the tenant whose call the URL names, when it has its own."""
    if not call_sid:
        return []
    async with services.session_factory() as db:
        call = await calls.call_by_sid(db, call_sid)
        tenant = await db.get(Tenant, call.tenant_id) if call is not None else None
        if tenant is None or not tenant.twilio_auth_token_encrypted:
            return []
        return [services.secret_box.decrypt(tenant.twilio_auth_token_encrypted)]


async def handshake_signed(socket: WebSocket, services: AppServices) -> bool:
    public_url = websocket_origin(services.settings.effective_public_url)
    # The signature covers the URL only (a websocket upgrade has no body).
    if is_signed(socket, {}, [services.settings.twilio_auth_token], public_url):  # type: ignore[arg-type]
        return True
    try:
        tokens = await _call_tokens(services, socket.query_params.get(CALL_PARAM))
    except Exception as exc:  # database down: we cannot check the signature, so we cannot trust it
        log.error("twilio.token_lookup_failed", error=repr(exc))
        return False
    return is_signed(socket, {}, tokens, public_url)  # type: ignore[arg-type]


@websocket("/relay", name="twilio_relay")
async def relay_socket(socket: WebSocket) -> None:
    """ConversationRelay: the caller's words in, the receptionist's streamed answer out."""
    services: AppServices = socket.app.state.services
    if not await handshake_signed(socket, services):
        log.warning("twilio.bad_signature", path=socket.url.path)
        await socket.receive()  # the connect event, so the close below refuses the upgrade
        await socket.close(code=WS_1008_POLICY_VIOLATION, reason="missing or invalid X-Twilio-Signature")
        return
    await socket.accept()
    await RelaySocket(socket, services).run()


class RelaySocket:
    """One relay session: reads messages as they come and handles them in order."""

    def __init__(self, socket: WebSocket, services: AppServices) -> None:
        self.socket = socket
        self.services = services
        self.queue: asyncio.Queue[messages.Incoming | None] = asyncio.Queue()
        self.speaker = conversation.Speaker(self.send)
        self.call_sid: str | None = None
        self.ended = False
        self.open = True

    async def send(self, message: dict[str, Any]) -> None:
        if not self.open:
            return
        try:
            await self.socket.send_text(_encoder.encode(message).decode())
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.open = False  # Twilio hung up mid-answer; the turn is still saved

    async def run(self) -> None:
        worker = asyncio.create_task(self._work())
        try:
            while self.open:
                raw = await self.socket.receive_text()
                message = messages.decode(raw)
                if message is None:
                    log.info("relay.message_ignored", message=raw[:200], call_sid=self.call_sid)
                    continue
                if isinstance(message, messages.Interrupt):
                    self.speaker.cut = True  # stop streaming now; the transcript is cut in turn
                self.queue.put_nowait(message)
        except WebSocketDisconnect:
            pass
        finally:
            self.open = False
            self.queue.put_nowait(None)
            # The message in hand is finished (each is bounded by the turn budget) and saved.
            await worker
            with contextlib.suppress(Exception):
                if self.socket.connection_state != "disconnect":
                    await self.socket.close()

    async def _work(self) -> None:
        while (message := await self.queue.get()) is not None:
            structlog.contextvars.bind_contextvars(call_sid=self.call_sid)
            try:
                await self._handle(message)
            except Exception as exc:  # one message that fails must not end the caller's session
                log.error("relay.message_failed", type=type(message).__name__, error=repr(exc), exc_info=exc)
            finally:
                structlog.contextvars.unbind_contextvars("call_sid")

    async def _handle(self, message: messages.Incoming) -> None:
        if isinstance(message, messages.Setup):
            await self._setup(message)
            return
        if self.call_sid is None:
            log.warning("relay.before_setup", type=type(message).__name__)
            return
        if isinstance(message, messages.Interrupt):
            await conversation.cut_interrupted(
                self.services, self.call_sid, message.utterance_until_interrupt, _ms(message)
            )
        elif isinstance(message, messages.Error):
            await conversation.record_error(self.services, self.call_sid, message.description)
        elif self.ended:
            log.info("relay.after_end", type=type(message).__name__)
        elif isinstance(message, messages.Prompt):
            said = message.voice_prompt.strip()
            if message.last and said:
                self.ended = await conversation.answer(self.services, self.call_sid, said, self.speaker, None)
        elif isinstance(message, messages.Dtmf) and message.digit:
            # A key press is a turn, written as the <Gather> mode writes it.
            text = f"(pressed {message.digit})"
            self.ended = await conversation.answer(
                self.services, self.call_sid, text, self.speaker, message.digit
            )

    async def _setup(self, setup: messages.Setup) -> None:
        named = self.socket.query_params.get(CALL_PARAM)
        if self.call_sid is not None or (named and named != setup.call_sid):
            log.warning("relay.setup_refused", call=setup.call_sid, named=named, current=self.call_sid)
            return
        if not await conversation.connect(self.services, setup.call_sid, setup.session_id):
            log.warning("relay.unknown_call", call=setup.call_sid)
            self.open = False
            await self.socket.close(code=WS_1008_POLICY_VIOLATION, reason="unknown call")
            return
        self.call_sid = setup.call_sid


def _ms(message: messages.Interrupt) -> int | None:
    try:
        return int(message.duration_until_interrupt_ms) if message.duration_until_interrupt_ms else None
    except ValueError:
        return None

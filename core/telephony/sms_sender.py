"""Outbound SMS through Twilio's official REST client, over an httpx transport we can inject in tests."""

from __future__ import annotations

import httpx
import msgspec
import structlog
from twilio.http import AsyncHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

log = structlog.get_logger(__name__)


class OutgoingText(msgspec.Struct, kw_only=True, frozen=True):
    """A text for someone other than the caller (a loan officer's alert), sent from the tenant's number."""

    to: str
    body: str


class HttpxTwilioClient(AsyncHttpClient):
    """The twilio library's async HTTP interface, carried by httpx (pooled, timeouts, injectable)."""

    def __init__(self, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(logger=log, is_async=True)
        self._http = http or httpx.AsyncClient(timeout=10)

    async def request(  # type: ignore[override]
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the twilio library's interface
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        response = await self._http.request(
            method,
            uri,
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout if timeout is not None else 10,
            follow_redirects=allow_redirects,
        )
        return TwilioResponse(response.status_code, response.text, headers=dict(response.headers))


class SmsSender:
    """Sends a text from a tenant's number with the tenant's (or the platform's) Twilio account."""

    def __init__(self, http: httpx.AsyncClient | None = None) -> None:
        self._http_client = HttpxTwilioClient(http)

    async def send(
        self, account_sid: str, auth_token: str, from_number: str, to_number: str, body: str
    ) -> str:
        """The new message's SID; raises on a Twilio error (the caller decides what that means)."""
        client = Client(account_sid, auth_token, http_client=self._http_client)
        message = await client.messages.create_async(to=to_number, from_=from_number, body=body)
        log.info("sms.sent", to=to_number, sid=message.sid)
        return message.sid

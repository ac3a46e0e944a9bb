"""Twilio's side of a call, for ``frontdesk call`` and the tests: signed webhooks in, TwiML followed.

It plays what Twilio does on a real call: posts the incoming-call webhook, reads the TwiML,
posts what the caller "said" to the ``<Gather>`` action, follows ``<Dial>``/``<Record>`` actions,
and sends the final status callback, every request signed with the auth token as Twilio signs it.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import httpx
import msgspec
from twilio.request_validator import RequestValidator


class TwimlStep(msgspec.Struct, kw_only=True):
    """What one TwiML document asks Twilio to do."""

    says: list[str] = []
    gather_action: str | None = None
    dial: str | None = None
    dial_action: str | None = None
    record_action: str | None = None
    # <Start><Recording>: the whole call is being recorded; Twilio reports to this URL at the end.
    recording_callback: str | None = None
    hangup: bool = False
    reject: bool = False
    # <Connect action><ConversationRelay url>: the call goes on over the relay websocket.
    relay_url: str | None = None
    relay_action: str | None = None
    relay: dict[str, str] = {}

    @property
    def ends_call(self) -> bool:
        waiting = (self.gather_action, self.dial, self.record_action, self.relay_url)
        return self.hangup or self.reject or all(step is None for step in waiting)


def parse_twiml(xml: str) -> TwimlStep:
    root = ET.fromstring(xml)
    step = TwimlStep()
    for node in root.iter():
        if node.tag in ("Say", "Play", "Message") and (node.text or "").strip():
            step.says.append(node.text.strip())
        elif node.tag == "Gather":
            step.gather_action = node.get("action")
        elif node.tag == "Dial":
            step.dial = (node.text or "").strip() or None
            step.dial_action = node.get("action")
        elif node.tag == "Record":
            step.record_action = node.get("action")
        elif node.tag == "Recording":
            step.recording_callback = node.get("recordingStatusCallback")
        elif node.tag == "Connect":
            step.relay_action = node.get("action")
        elif node.tag == "ConversationRelay":
            step.relay_url = node.get("url")
            step.relay = dict(node.attrib)
            if node.get("welcomeGreeting"):
                step.says.append(node.get("welcomeGreeting", ""))
        elif node.tag == "Hangup":
            step.hangup = True
        elif node.tag == "Reject":
            step.reject = True
    return step


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


class TwilioSide:
    """Posts signed webhooks to a Frontdesk server as Twilio would."""

    def __init__(
        self, http: httpx.AsyncClient, public_url: str, auth_token: str, account_sid: str = "AC" + "0" * 32
    ) -> None:
        self.http = http
        self.public_url = public_url.rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.account_sid = account_sid

    def url(self, path_or_url: str) -> str:
        return path_or_url if path_or_url.startswith("http") else self.public_url + path_or_url

    async def post(self, path_or_url: str, params: dict[str, str]) -> httpx.Response:
        url = self.url(path_or_url)
        signature = self.validator.compute_signature(url, params)
        # Through a client bound to a server (base_url), post the path: that server may sit behind
        # the public URL Twilio signs for. An unbound client goes to the public URL itself.
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "") if str(self.http.base_url) else url
        return await self.http.post(target, data=params, headers={"X-Twilio-Signature": signature})


class SimulatedCall:
    """One phone call from ``caller`` to ``called``, driven line by line."""

    def __init__(
        self, twilio: TwilioSide, caller: str, called: str, *, stir_verstat: str | None = None
    ) -> None:
        self.twilio = twilio
        self.caller = caller
        self.called = called
        self.call_sid = new_sid("CA")
        self.stir_verstat = stir_verstat
        self.step: TwimlStep | None = None
        self.heard: list[str] = []
        self.ended = False
        self.recording_callback: str | None = None

    def params(self, **extra: str) -> dict[str, str]:
        base = {
            "CallSid": self.call_sid,
            "AccountSid": self.twilio.account_sid,
            "From": self.caller,
            "To": self.called,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        return {**base, **extra}

    async def _follow(self, response: httpx.Response) -> TwimlStep:
        response.raise_for_status()
        self.step = parse_twiml(response.text)
        self.heard.extend(self.step.says)
        self.ended = self.step.ends_call
        self.recording_callback = self.step.recording_callback or self.recording_callback
        return self.step

    async def start(self) -> TwimlStep:
        extra = {"CallStatus": "ringing"}
        if self.stir_verstat:
            extra["StirVerstat"] = self.stir_verstat
        return await self._follow(await self.twilio.post("/twilio/voice", self.params(**extra)))

    async def say(self, text: str, confidence: float = 0.92) -> TwimlStep:
        """The caller speaks (an empty string is silence)."""
        if self.step is None or self.step.gather_action is None:
            raise RuntimeError("the call is not listening")
        extra = {"CallStatus": "in-progress", "SpeechResult": text, "Confidence": f"{confidence:.2f}"}
        if not text:
            extra = {"CallStatus": "in-progress"}
        return await self._follow(await self.twilio.post(self.step.gather_action, self.params(**extra)))

    async def press(self, digits: str) -> TwimlStep:
        if self.step is None or self.step.gather_action is None:
            raise RuntimeError("the call is not listening")
        extra = {"CallStatus": "in-progress", "Digits": digits}
        return await self._follow(await self.twilio.post(self.step.gather_action, self.params(**extra)))

    async def dial_result(self, status: str, duration_s: int = 0) -> TwimlStep:
        """How the ``<Dial>`` ended: completed, no-answer, busy or failed."""
        if self.step is None or self.step.dial_action is None:
            raise RuntimeError("the call is not transferring")
        extra = {"CallStatus": "in-progress", "DialCallStatus": status, "DialCallDuration": str(duration_s)}
        return await self._follow(await self.twilio.post(self.step.dial_action, self.params(**extra)))

    async def relay_ended(
        self,
        status: str = "ended",
        handoff: str | None = None,
        error_code: str | None = None,
        session_id: str | None = None,
    ) -> TwimlStep:
        """The relay session ended: Twilio posts the ``<Connect>`` action (``handoff``: our end data)."""
        if self.step is None or self.step.relay_action is None:
            raise RuntimeError("the call is not on a relay session")
        extra = {
            "CallStatus": "in-progress",
            "SessionId": session_id or new_sid("VX"),
            "SessionStatus": status,
            "SessionDuration": "12",
        }
        if handoff is not None:
            extra["HandoffData"] = handoff
        if error_code is not None:
            extra["ErrorCode"] = error_code
        return await self._follow(await self.twilio.post(self.step.relay_action, self.params(**extra)))

    async def leave_voicemail(self, transcription: str, duration_s: int = 12) -> TwimlStep:
        if self.step is None or self.step.record_action is None:
            raise RuntimeError("the call is not recording")
        recording_sid = new_sid("RE")
        recording = {
            "RecordingSid": recording_sid,
            "RecordingDuration": str(duration_s),
            "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{self.twilio.account_sid}"
            f"/Recordings/{recording_sid}",
        }
        action = self.step.record_action
        step = await self._follow(
            await self.twilio.post(action, self.params(CallStatus="in-progress", **recording))
        )
        transcribed = {
            **recording,
            "TranscriptionStatus": "completed",
            "TranscriptionText": transcription,
            "TranscriptionSid": new_sid("TR"),
        }
        response = await self.twilio.post(action, self.params(CallStatus="completed", **transcribed))
        response.raise_for_status()
        return step

    async def hang_up(self, duration_s: int = 60) -> httpx.Response:
        """Twilio's final status callback, then the recording's, when the call was recorded."""
        self.ended = True
        response = await self.twilio.post(
            "/twilio/voice/status", self.params(CallStatus="completed", CallDuration=str(duration_s))
        )
        response.raise_for_status()
        if self.recording_callback is not None:
            recording_sid = new_sid("RE")
            recorded = await self.twilio.post(
                self.recording_callback,
                self.params(
                    RecordingSid=recording_sid,
                    RecordingUrl=f"https://api.twilio.com/2010-04-01/Accounts/{self.twilio.account_sid}"
                    f"/Recordings/{recording_sid}",
                    RecordingStatus="completed",
                    RecordingDuration=str(duration_s),
                    RecordingChannels="2",
                    RecordingSource="StartCallRecordingTwiML",
                    RecordingTrack="both",
                ),
            )
            recorded.raise_for_status()
        return response

"""The ConversationRelay websocket's messages: what Twilio sends us, and what we send back.

Field names are Twilio's, in camelCase on the wire (``voicePrompt``) and snake_case here.

Twilio sends JSON text frames tagged by ``type``: ``setup`` once, then ``prompt`` (the caller's
transcribed words), ``dtmf`` (a key pressed), ``interrupt`` (the caller spoke over the assistant)
and ``error``. We answer with ``text`` tokens (the last one ``last: true``), ``language`` to switch
speech and recognition, and ``end`` to hand the call back to TwiML with our ``handoffData``.
"""

from __future__ import annotations

from typing import Any

import msgspec


class Setup(msgspec.Struct, tag_field="type", tag="setup", kw_only=True, rename="camel"):
    session_id: str = ""
    call_sid: str = ""
    account_sid: str = ""
    custom_parameters: dict[str, Any] = {}
    # from, to, direction, callStatus... are not needed: the call's row has them.


class Prompt(msgspec.Struct, tag_field="type", tag="prompt", kw_only=True, rename="camel"):
    voice_prompt: str = ""
    lang: str | None = None
    # False on a partial transcript (partialPrompts); only the whole utterance is answered.
    last: bool = True


class Dtmf(msgspec.Struct, tag_field="type", tag="dtmf", kw_only=True, rename="camel"):
    digit: str = ""


class Interrupt(msgspec.Struct, tag_field="type", tag="interrupt", kw_only=True, rename="camel"):
    # What the caller heard of the assistant's answer before speaking over it.
    utterance_until_interrupt: str = ""
    # Twilio's examples send it as a number and as a string.
    duration_until_interrupt_ms: int | str | None = None


class Error(msgspec.Struct, tag_field="type", tag="error", kw_only=True, rename="camel"):
    description: str = ""


Incoming = Setup | Prompt | Dtmf | Interrupt | Error

_decoder = msgspec.json.Decoder(Incoming)


def decode(raw: str | bytes) -> Incoming | None:
    """The message, or None for one this version does not know (Twilio may add types)."""
    try:
        return _decoder.decode(raw)
    except msgspec.DecodeError:
        return None


def text(token: str, *, last: bool) -> dict[str, Any]:
    return {"type": "text", "token": token, "last": last}


def language(tag: str) -> dict[str, Any]:
    return {"type": "language", "ttsLanguage": tag, "transcriptionLanguage": tag}


def end(reason: str, **data: Any) -> dict[str, Any]:
    """End the session; Twilio posts ``handoffData`` (a string: our JSON) to the Connect action."""
    handoff = {"reason": reason, **{key: value for key, value in data.items() if value is not None}}
    return {"type": "end", "handoffData": msgspec.json.encode(handoff).decode()}


def handoff_of(raw: str | None) -> dict[str, Any]:
    """The ``handoffData`` we sent, as the action callback echoes it; {} when absent or foreign."""
    if not raw:
        return {}
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return {}
    return data if isinstance(data, dict) else {}

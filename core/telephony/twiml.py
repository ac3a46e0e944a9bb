"""TwiML the call path answers with, built with the twilio library."""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from core.providers import Speech

XML = "application/xml"


def platform_speech(text: str) -> Speech:
    """Platform text said before (or without) any tenant's voice: the fallbacks and "not in service"."""
    return Speech(kind="say", text=text, voice=None, language="en-US")


def speak(node: VoiceResponse, speech: Speech) -> None:
    """Say or play one utterance inside a response or a <Gather>."""
    if speech.kind == "play" and speech.url:
        node.play(speech.url)
    else:
        node.say(speech.text, voice=speech.voice, language=speech.language)


def listen(
    speech: Speech | None,
    action: str,
    language: str,
    *,
    timeout_s: int = 5,
    start_recording: str | None = None,
) -> str:
    """Speak (optionally), then gather the caller's next words; silence comes back as an empty turn.

    ``start_recording`` (a status-callback URL) starts recording the whole call first, both
    sides on separate channels, so the recording holds the disclosure that follows.
    """
    response = VoiceResponse()
    if start_recording is not None:
        record_call(response, start_recording)
    gather = response.gather(
        input="speech dtmf",
        action=action,
        method="POST",
        language=language,
        speech_timeout="auto",
        timeout=timeout_s,
        action_on_empty_result=True,
    )
    if speech is not None:
        speak(gather, speech)
    return str(response)


def record_call(response: VoiceResponse, status_callback: str) -> None:
    """``<Start><Recording>``: record the whole call from here, both sides on separate channels."""
    response.start().recording(
        recording_status_callback=status_callback,
        recording_status_callback_method="POST",
        recording_status_callback_event="completed absent failed",
        channels="dual",
        track="both",
        trim="trim-silence",
    )


def press_one(speech: Speech, action: str, language: str) -> str:
    """The screening challenge: press 1 or say yes."""
    response = VoiceResponse()
    gather = response.gather(
        input="dtmf speech",
        num_digits=1,
        action=action,
        method="POST",
        language=language,
        timeout=6,
        hints="yes",
        action_on_empty_result=True,
    )
    speak(gather, speech)
    return str(response)


def transfer(speech: Speech | None, number: str, action: str, timeout_s: int, caller_id: str | None) -> str:
    response = VoiceResponse()
    if speech is not None:
        speak(response, speech)
    response.dial(number, action=action, method="POST", timeout=timeout_s, caller_id=caller_id)
    return str(response)


def voicemail(speech: Speech, action: str, transcribe_callback: str, max_length_s: int = 120) -> str:
    response = VoiceResponse()
    speak(response, speech)
    response.record(
        action=action,
        method="POST",
        max_length=max_length_s,
        play_beep=True,
        finish_on_key="#",
        transcribe=True,
        transcribe_callback=transcribe_callback,
    )
    return str(response)


def goodbye(speech: Speech | None) -> str:
    response = VoiceResponse()
    if speech is not None:
        speak(response, speech)
    response.hangup()
    return str(response)


def reject() -> str:
    response = VoiceResponse()
    response.reject(reason="rejected")
    return str(response)


def sms_reply(text: str | None) -> str:
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)

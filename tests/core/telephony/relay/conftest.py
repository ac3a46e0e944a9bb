"""A tenant answering in ConversationRelay streaming mode, and Twilio's side of its websocket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, TWILIO_TOKEN, open_line, phone_settings
from tests.fakes.twilio_relay import TwilioRelay

RELAY_CONFIG = {
    "tts_provider": "Google",
    "voice": "en-US-Journey-O",
    "transcription_provider": "Deepgram",
    "speech_model": "nova-3-general",
    "interruptible": "speech",
    "dtmf_detection": True,
    "hints": ["Acme Dental", "cleaning", "Dr. Okafor"],
}


@pytest.fixture
async def relay_line(make_settings) -> AsyncIterator[SimpleNamespace]:
    """Acme Dental with the streaming test model and ConversationRelay installed."""
    app = create_app(
        phone_settings(make_settings), extra_plugins=[("streaming_llm", load_test_plugin("streaming_llm"))]
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"streaming_llm": {}, "conversation_relay": RELAY_CONFIG})

        def relay(url: str, **options: object) -> TwilioRelay:
            return TwilioRelay(client, url, TWILIO_TOKEN, **options)  # type: ignore[arg-type]

        yield SimpleNamespace(
            app=app,
            client=client,
            twilio=twilio,
            relay=relay,
            call=lambda caller=CALLER, **kw: SimulatedCall(twilio, caller, NUMBER, **kw),
        )


def setup_message(call: SimulatedCall) -> dict[str, object]:
    """What ConversationRelay sends first on a new session."""
    return {
        "type": "setup",
        "sessionId": "VX" + call.call_sid[2:],
        "accountSid": call.twilio.account_sid,
        "parentCallSid": "",
        "callSid": call.call_sid,
        "from": call.caller,
        "to": call.called,
        "forwardedFrom": call.called,
        "callType": "PSTN",
        "callerName": "",
        "direction": "inbound",
        "callStatus": "IN-PROGRESS",
        "customParameters": {},
    }


def prompt(words: str) -> dict[str, object]:
    return {"type": "prompt", "voicePrompt": words, "lang": "en-US", "last": True}

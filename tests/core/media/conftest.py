"""A tenant whose receptionist speaks with ElevenLabs (a fake one), and Twilio's side of its line."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from types import SimpleNamespace

import pytest
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.settings import Settings
from core.telephony.simulator import SimulatedCall, TwilioSide
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, TWILIO_TOKEN, open_line, phone_settings
from tests.fakes.elevenlabs import FakeElevenLabs

VOICE_ID = "voiceAAAAAAAAAAAAAAA"
ELEVENLABS = {"api_key": "xi-test-key", "voice_id": VOICE_ID}


@asynccontextmanager
async def worker(
    settings: Settings, fake: FakeElevenLabs | None = None, extra_plugins: Iterable[tuple[str, object]] = ()
) -> AsyncIterator[SimpleNamespace]:
    """One Frontdesk process with its own ElevenLabs fake; several may share one database."""
    app = create_app(settings, extra_plugins=extra_plugins)
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        fake = (fake or FakeElevenLabs()).serve(app)
        twilio = TwilioSide(client, PUBLIC_URL, TWILIO_TOKEN)
        yield SimpleNamespace(
            app=app,
            client=client,
            twilio=twilio,
            fake=fake,
            call=lambda caller=CALLER: SimulatedCall(twilio, caller, NUMBER),
        )


@pytest.fixture
def voice_settings(make_settings: Callable[..., Settings]) -> Settings:
    return phone_settings(make_settings)


@pytest.fixture
async def voiced(voice_settings: Settings) -> AsyncIterator[SimpleNamespace]:
    """Acme Dental with the ElevenLabs plugin installed, on a fake that answers every request."""
    async with worker(voice_settings) as line:
        await open_line(line.client, {"elevenlabs": ELEVENLABS})
        yield line


async def greeting_twiml(line: SimpleNamespace, caller: str = CALLER) -> str:
    """The raw TwiML Twilio gets for a new call's first webhook."""
    call = line.call(caller)
    response = await line.twilio.post("/twilio/voice", call.params(CallStatus="ringing"))
    assert response.status_code == 200, response.text
    return response.text

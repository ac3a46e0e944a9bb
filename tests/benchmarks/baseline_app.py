"""The baseline: bare Litestar endpoints returning fixed JSON and TwiML, served exactly like Frontdesk.

``/signed-twiml`` is the floor of any Twilio webhook on this stack, without a database or a
conversation: the form read, the signature checked with the twilio library, TwiML built with it.
"""

from __future__ import annotations

from litestar import Litestar, MediaType, Request, Response, get, post
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

from tests.benchmarks.harness import TWILIO_TOKEN

VALIDATOR = RequestValidator(TWILIO_TOKEN)

FIXED_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/twiml" input="speech dtmf">'
    "<Say>Thank you for calling. How can I help you today?</Say></Gather></Response>"
)


@get("/fixed", sync_to_thread=False)
def fixed() -> dict[str, str]:
    return {"status": "ok", "name": "Bright Smile Dental"}


@post("/twiml", sync_to_thread=False, status_code=200)
def twiml() -> Response[str]:
    return Response(FIXED_TWIML, media_type=MediaType.XML)


@post("/signed-twiml", status_code=200)
async def signed_twiml(request: Request) -> Response[str]:
    form = {key: str(value) for key, value in (await request.form()).items()}
    if not VALIDATOR.validate(str(request.url), form, request.headers.get("x-twilio-signature", "")):
        return Response("forbidden", status_code=403, media_type=MediaType.TEXT)
    response = VoiceResponse()
    gather = Gather(input="speech", action=f"{request.base_url}signed-twiml", method="POST", language="en-US")
    gather.say("Thank you for calling. How can I help you today?", language="en-US")
    response.append(gather)
    return Response(str(response), media_type=MediaType.XML)


def create_app() -> Litestar:
    return Litestar(route_handlers=[fixed, twiml, signed_twiml])

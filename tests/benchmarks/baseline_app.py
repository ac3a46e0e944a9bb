"""The baseline: bare Litestar endpoints returning fixed JSON and TwiML, served exactly like Frontdesk."""

from __future__ import annotations

from litestar import Litestar, MediaType, Response, get, post

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


def create_app() -> Litestar:
    return Litestar(route_handlers=[fixed, twiml])

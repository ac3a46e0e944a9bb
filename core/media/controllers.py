"""Where Twilio fetches synthesised speech for ``<Play>``: public, since the key is the secret."""

from __future__ import annotations

import re

from litestar import Response, get
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from core.media.store import EXTENSIONS
from core.state import AppServices

_FILENAME = re.compile(r"^(?P<key>[0-9a-f]{64})\.(?P<extension>[a-z0-9]+)$")
# A clip's bytes never change under its key, so Twilio and any cache between may keep it for good.
CACHE_CONTROL = "public, max-age=31536000, immutable"


@get("/media/{filename:str}", operation_id="getMediaClip", tags=["media"])
async def media_clip(filename: str, db_session: AsyncSession, services: AppServices) -> Response[bytes]:
    """A synthesised speech clip, at ``/media/{key}.mp3``; 404 for an unknown key."""
    match = _FILENAME.match(filename)
    clip = await services.media.find(db_session, match["key"]) if match else None
    if clip is None or match is None or EXTENSIONS.get(clip.content_type) != match["extension"]:
        raise NotFoundException("no such media clip")
    return Response(
        clip.audio,
        media_type=clip.content_type,
        headers={"Cache-Control": CACHE_CONTROL, "ETag": f'"{clip.key}"'},
    )

"""Synthesised speech clips: synthesised once per (tenant, voice, settings, text, language).

Clips live in the database, so every worker can serve every clip Twilio asks for, and the most
recent ones are also kept in process memory, so a sentence said on every call (the greeting)
costs neither a vendor request nor a database read. A clip's key is an HMAC of what it says and
how, under the deployment key: the URL cannot be guessed, and cannot be derived from the text.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import msgspec
import structlog
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from core.media.models import MediaClip
from core.providers import SpeechAudio

log = structlog.get_logger(__name__)

# Audio the host serves (voices returning anything else fall back to <Say>); the extension is
# part of the URL Twilio fetches.
EXTENSIONS = {"audio/mpeg": "mp3"}
# last_used_at moves at most this often per clip and worker: a clip said on every call must not
# cost a write on every call.
TOUCH_EVERY = timedelta(days=1)
# Clips no call has used for this long are deleted (they are synthesised again if needed).
RETENTION = timedelta(days=30)

_PENDING = "media_clips_pending"


class Clip(msgspec.Struct, frozen=True):
    """One clip's bytes as served."""

    key: str
    content_type: str
    audio: bytes

    @property
    def filename(self) -> str:
        return f"{self.key}.{EXTENSIONS[self.content_type]}"


class MediaStore:
    """Clips by key: the database for all workers, an LRU of recent ones in front of it.

    Only committed clips enter the LRU, so a key this worker hands out is one every worker can serve.
    """

    def __init__(self, secret_key: str, *, max_clips: int = 512, max_bytes: int = 32 * 1024 * 1024) -> None:
        # A key of its own, so a clip key tells nothing about other uses of the deployment key.
        self._hmac_key = hashlib.sha256(b"frontdesk/media/v1\x00" + secret_key.encode()).digest()
        self._recent: OrderedDict[str, tuple[Clip, datetime | None]] = OrderedDict()
        self._bytes = 0
        self._max_clips = max_clips
        self._max_bytes = max_bytes

    def key_for(
        self, tenant_id: str, voice: str, settings: Mapping[str, Any], text: str, language: str | None
    ) -> str:
        """The clip key: 64 hex characters, the same for the same words said the same way."""
        message = msgspec.json.encode([tenant_id, voice, settings, text, language or ""], order="sorted")
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()

    async def get_or_create(
        self,
        db: AsyncSession,
        key: str,
        *,
        tenant_id: str,
        now: datetime,
        synthesise: Callable[[], Awaitable[SpeechAudio]],
    ) -> Clip:
        """The clip under ``key``, synthesised and stored (in ``db``'s transaction) if nobody has yet."""
        recent = self._recent.get(key)
        if recent is not None:
            self._recent.move_to_end(key)
            clip, touched = recent
            if touched is None or now - touched >= TOUCH_EVERY:
                await self._touch(db, key, now)
                self._recent[key] = (clip, now)
            return clip
        row = await db.scalar(select(MediaClip).where(MediaClip.key == key))
        if row is None:
            row = await self._insert(db, key, tenant_id, now, await synthesise())
        elif now - row.last_used_at >= TOUCH_EVERY:
            await self._touch(db, key, now)
        clip = Clip(key=key, content_type=row.content_type, audio=row.audio)
        self._remember_after_commit(db, clip, now)
        return clip

    async def find(self, db: AsyncSession, key: str) -> Clip | None:
        """The clip under ``key`` to serve, or None; serving does not count as use."""
        recent = self._recent.get(key)
        if recent is not None:
            return recent[0]
        row = await db.scalar(select(MediaClip).where(MediaClip.key == key))
        if row is None:
            return None
        clip = Clip(key=key, content_type=row.content_type, audio=row.audio)
        self._remember(clip, None)
        return clip

    async def _insert(
        self, db: AsyncSession, key: str, tenant_id: str, now: datetime, speech: SpeechAudio
    ) -> MediaClip:
        row = MediaClip(
            key=key,
            tenant_id=tenant_id,
            content_type=speech.content_type,
            audio=speech.audio,
            size=len(speech.audio),
            voice=speech.voice[:128],
            created_at=now,
            last_used_at=now,
        )
        try:
            async with db.begin_nested():
                db.add(row)
                await db.flush()
        except IntegrityError:
            # Another worker said the same sentence first (we waited for its commit): use its clip.
            stored = await db.scalar(select(MediaClip).where(MediaClip.key == key))
            if stored is None:
                raise
            return stored
        log.info("media.clip_stored", key=key[:12], voice=row.voice, size=row.size)
        return row

    async def _touch(self, db: AsyncSession, key: str, now: datetime) -> None:
        # The condition makes concurrent touches of a popular clip a no-op after the first.
        await db.execute(
            update(MediaClip)
            .where(MediaClip.key == key, MediaClip.last_used_at < now - TOUCH_EVERY)
            .values(last_used_at=now)
        )

    def _remember_after_commit(self, db: AsyncSession, clip: Clip, now: datetime) -> None:
        pending: dict[str, tuple[Clip, datetime]] | None = db.info.get(_PENDING)
        if pending is None:
            pending = db.info[_PENDING] = {}
            event.listen(db.sync_session, "after_commit", self._on_commit)
            event.listen(db.sync_session, "after_rollback", self._on_rollback)
        pending[clip.key] = (clip, now)

    def _on_commit(self, session: Session) -> None:
        pending = session.info.get(_PENDING, {})
        for clip, touched in pending.values():
            self._remember(clip, touched)
        pending.clear()

    def _on_rollback(self, session: Session) -> None:
        session.info.get(_PENDING, {}).clear()

    def _remember(self, clip: Clip, touched: datetime | None) -> None:
        previous = self._recent.pop(clip.key, None)
        if previous is not None:
            self._bytes -= len(previous[0].audio)
            touched = touched or previous[1]
        self._recent[clip.key] = (clip, touched)
        self._bytes += len(clip.audio)
        while self._recent and (len(self._recent) > self._max_clips or self._bytes > self._max_bytes):
            _, (oldest, _) = self._recent.popitem(last=False)
            self._bytes -= len(oldest.audio)


async def purge_unused_clips(db: AsyncSession, now: datetime, retention: timedelta = RETENTION) -> int:
    """Delete clips no call has used within ``retention``; returns how many went."""
    result = await db.execute(delete(MediaClip).where(MediaClip.last_used_at < now - retention))
    await db.commit()
    purged = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if purged:
        log.info("media.purged", clips=purged, older_than=(now - retention).isoformat())
    return purged

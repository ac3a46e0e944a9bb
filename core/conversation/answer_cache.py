"""Answers to repeated knowledge questions, reused (placeholder until the cache lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.conversation.engine import TurnReply
    from core.telephony.session import CallSession


async def cached_answer(session: CallSession, text: str) -> str | None:
    """A stored answer to ``text`` for this tenant's current knowledge, or None."""
    return None


async def remember_answer(session: CallSession, text: str, reply: TurnReply) -> None:
    """Store ``reply`` as the answer to ``text`` when it was a pure knowledge answer."""

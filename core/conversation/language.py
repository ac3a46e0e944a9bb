"""The language a caller speaks, turn by turn (placeholder until detection lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.telephony.session import CallSession


async def detect_turn_language(session: CallSession, text: str) -> str | None:
    """The language tag to switch the call to for ``text``, or None to stay in the current one."""
    return None

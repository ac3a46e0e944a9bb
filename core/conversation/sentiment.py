"""The caller's mood per turn (placeholder until scoring lands)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.providers import LLMProvider

if TYPE_CHECKING:
    from core.telephony.session import CallSession


async def score_turn(
    session: CallSession, text: str, providers: Sequence[tuple[str, LLMProvider]]
) -> float | None:
    """The caller's mood in ``text``, -1..1, or None when it cannot be measured."""
    return None


def note_sentiment(session: CallSession, score: float | None) -> None:
    """Keep the call's running sentiment figures up to date after a scored turn."""

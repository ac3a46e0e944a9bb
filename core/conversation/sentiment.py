"""The caller's mood, turn by turn: judged by the tenant's LLM when it can, else read by VADER in English.

Each caller turn gets a score from -1 (very negative) to 1 (very positive), stored on its transcript
line. The first conversation model in the tenant's chain that implements ``judge_sentiment`` (and
whose plugin config does not set ``judge_sentiment = false``) is asked, alongside the answer; its
request is metered like the answer's. When there is no such model, or it fails, is late or answers
nothing readable, an English turn is scored by VADER's lexicon (its ``compound`` score) and a turn
in another language is left unscored: VADER's word list is English, and a wrong mood would send
callers to a person for nothing.

The call keeps two running figures in its state: the streak of negative turns the routing plugin
escalates on (counted with ``plugins.routing.is_negative`` and the tenant's threshold), and the
mean of its scored turns, kept on ``calls.sentiment`` so it is current at any moment of the call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import msgspec
import structlog
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.conversation.language import primary
from core.providers import LLMProvider, Usage
from plugins.routing import Config as RoutingConfig
from plugins.routing import is_negative

if TYPE_CHECKING:
    from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

# Scores are stored and compared to three decimals.
SCORE_DIGITS = 3
# The longest a judge may take; the turn itself waits only a moment past its answer (see exchange).
JUDGE_TIMEOUT_S = 3.0
# Who scored a turn that no model judged.
LEXICON = "vader"

__all__ = ["LEXICON", "TurnMood", "judge_for", "lexicon_mood", "note_sentiment", "score_turn"]


class TurnMood(msgspec.Struct, kw_only=True, frozen=True):
    """A caller turn's score (None: not measured), who gave it, and what judging it cost."""

    score: float | None = None
    # The judging provider's name, ``"vader"``, or None when nobody scored the turn.
    scorer: str | None = None
    usage: list[Usage] = []


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    # Reads VADER's lexicon from the installed package once per process (no download).
    return SentimentIntensityAnalyzer()


def judge_for(
    session: CallSession, providers: Sequence[tuple[str, LLMProvider]]
) -> tuple[str, LLMProvider] | None:
    """The first provider in the chain that judges mood and is allowed to by its plugin's config."""
    registrations = session.services.providers.of_kind("llm_provider")
    configs = session.context.plugin_configs
    for name, provider in providers:
        if type(provider).judge_sentiment is LLMProvider.judge_sentiment:
            continue  # the base class's: this model does not judge
        registration = registrations.get(name)
        config = configs.get(registration.plugin) if registration is not None else None
        if getattr(config, "judge_sentiment", True) is False:
            continue
        return name, provider
    return None


async def score_turn(
    session: CallSession, text: str, providers: Sequence[tuple[str, LLMProvider]]
) -> TurnMood:
    """The caller's mood in ``text``: the judging model's if it answers, else the lexicon's."""
    judge = judge_for(session, providers)
    if judge is not None:
        name, provider = judge
        try:
            async with asyncio.timeout(JUDGE_TIMEOUT_S):
                judged = await provider.judge_sentiment(session.context, text)
        except Exception as exc:  # a judge that fails costs the turn its judge, not its score
            log.warning("call.sentiment_judge_failed", provider=name, error=repr(exc))
            judged = None
        if judged is not None:
            score, spent = judged
            return TurnMood(score=_rounded(score), scorer=name, usage=[spent] if spent is not None else [])
    return lexicon_mood(session, text)


def lexicon_mood(session: CallSession, text: str) -> TurnMood:
    """VADER's score for an English call's turn; nothing for other languages."""
    if primary(session.call.language or session.context.language) != "en":
        return TurnMood()
    compound = _analyzer().polarity_scores(text)["compound"]
    return TurnMood(score=_rounded(compound), scorer=LEXICON)


def note_sentiment(session: CallSession, score: float | None) -> None:
    """Keep the call's negative streak and mean sentiment up to date after a caller turn.

    ``call.metadata["negative_turns"]`` keeps meaning the streak *before* the turn being routed
    (the routing plugin adds that turn itself); the call's state holds the streak including it,
    for the next turn.
    """
    call = session.call
    before = int(call.state.get("negative_turns", 0))
    config = session.context.plugin_configs.get("routing")
    threshold = config if isinstance(config, RoutingConfig) else RoutingConfig()
    updates: dict[str, float | int] = {"negative_turns": before + 1 if is_negative(score, threshold) else 0}
    if score is not None:
        total = float(call.state.get("sentiment_total", 0.0)) + score
        scored = int(call.state.get("sentiment_turns", 0)) + 1
        updates.update(sentiment_total=total, sentiment_turns=scored)
        call.sentiment = round(total / scored, SCORE_DIGITS)
    session.remember(**updates)
    # A relay socket serves many turns with one session: its context follows the call's state.
    metadata = {**session.context.metadata, "negative_turns": before}
    session.context = msgspec.structs.replace(session.context, metadata=metadata)


def _rounded(score: float) -> float:
    return round(max(-1.0, min(1.0, float(score))), SCORE_DIGITS)

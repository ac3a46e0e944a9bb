"""The language a caller speaks, turn by turn: detected among the tenant's languages, and switched to.

A tenant lists the languages it answers in (``["en-US", "es-US"]``). Each caller turn is read by
a lingua detector restricted to those languages, and the call switches when the turn is clearly
in another one of them. Short turns never switch ("okay", a name, "Tuesday at 3" says too little),
nor do unsure ones: a wrong switch costs more than a late one, since the next turn can still switch.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import msgspec
import structlog
from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder
from lingua import Language as Lingua

if TYPE_CHECKING:
    from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

# What a turn needs before it may switch the call: enough words once names are left out.
MIN_WORDS = 3
MIN_CHARS = 10
# The detector's confidence in the winner, and its lead over the runner-up.
MIN_CONFIDENCE = 0.85
MIN_MARGIN = 0.6

_WORD = re.compile(r"[^\W\d_][\w'\-]*")
_KEYPAD = re.compile(r"^\(pressed [0-9*#]+\)$")

__all__ = ["MIN_CHARS", "MIN_WORDS", "detect_turn_language", "detector_for", "judge", "primary"]


def primary(tag: str) -> str:
    """The language of a BCP 47 tag without its region: ``es-US`` -> ``es``."""
    return tag.split("-")[0].lower()


def _lingua_language(tag: str) -> Lingua | None:
    try:
        return Lingua.from_iso_code_639_1(IsoCode639_1.from_str(primary(tag)))
    except (ValueError, AttributeError):
        return None


def _choices(tags: Sequence[str]) -> dict[Lingua, str]:
    """The tenant's languages lingua knows, each with the tenant's own tag (its first for a language)."""
    choices: dict[Lingua, str] = {}
    for tag in tags:
        language = _lingua_language(tag)
        if language is not None and language not in choices:
            choices[language] = tag
    return choices


@lru_cache(maxsize=64)
def detector_for(languages: frozenset[Lingua]) -> LanguageDetector:
    """One detector per set of languages, built once per process.

    High accuracy mode: phone turns are short, where the low accuracy mode guesses. Its models
    load on the first detection (about half a second), which ``detect_turn_language`` does off the
    event loop.
    """
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _content(text: str) -> list[str]:
    """The words of ``text`` that say which language it is in: capitalised words inside a sentence
    are names as speech recognition writes them ("my name is José García"), and say nothing."""
    words: list[str] = []
    sentence_start = True
    for token in text.split():
        starts = sentence_start or token.startswith(("\u00bf", "\u00a1"))
        match = _WORD.search(token)
        # "I" is a word, not a name.
        if match is not None and (starts or len(match.group(0)) == 1 or not match.group(0)[:1].isupper()):
            words.append(match.group(0))
        sentence_start = token.endswith((".", "?", "!"))
    return words


def judge(text: str, tags: Sequence[str]) -> str | None:
    """The tenant tag ``text`` is clearly in, among ``tags``; None when it is short or unclear."""
    choices = _choices(tags)
    if len(choices) < 2 or _KEYPAD.match(text.strip()):
        return None
    words = _content(text)
    said = " ".join(words)
    if len(words) < MIN_WORDS or len(said) < MIN_CHARS:
        return None
    values = detector_for(frozenset(choices)).compute_language_confidence_values(said)
    if not values:
        return None
    best = values[0]
    runner_up = values[1].value if len(values) > 1 else 0.0
    if best.value < MIN_CONFIDENCE or best.value - runner_up < MIN_MARGIN:
        return None
    return choices.get(best.language)


async def detect_turn_language(session: CallSession, text: str) -> str | None:
    """The language tag to switch the call to for ``text``, or None to stay in the current one.

    On a switch the call's row and context take the new language (the reply is then written,
    spoken and listened for in it) and a ``call.language_changed`` event is recorded.
    """
    tags = list(session.context.tenant.languages)
    if len(tags) < 2:
        return None
    try:
        detected = await asyncio.to_thread(judge, text, tags)
    except Exception as exc:  # detection is an extra: a failure keeps the call as it is
        log.warning("call.language_detection_failed", error=repr(exc))
        return None
    current = session.call.language
    if detected is None or primary(detected) == primary(current or ""):
        return None
    session.call.language = detected
    session.context = msgspec.structs.replace(session.context, language=detected)
    await session.event("call.language_changed", {"from": current, "to": detected})
    return detected

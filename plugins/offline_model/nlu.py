"""What the caller said, understood: an intent with a confidence, and the entities in it.

Intents are scored, not matched: every intent has weighted patterns (a language's table), each
pattern that matches adds its weight (a negation just before it cancels it), and entities add
evidence too (a service or a date is evidence of booking). The best raw score gives the intent;
its strength and its margin over the second best give the confidence, so "book a cleaning"
is surer than "appointment", and "yes, cancel it... no, move it" is unsure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

import msgspec

from core.knowledge.search import stem
from plugins.offline_model.dates import TimePreference, parse_when
from plugins.offline_model.lang import Language
from plugins.offline_model.numbers import normalise, phone_number, strip_fillers

INTENTS = (
    "book_appointment", "reschedule_appointment", "cancel_appointment", "ask_question", "ask_hours",
    "ask_location", "ask_services", "ask_price", "leave_message", "talk_to_person", "affirm", "deny",
    "goodbye", "thanks", "repeat", "greet",
)  # fmt: skip
# Dialogue acts: they answer the receptionist rather than ask for something.
ACTS = frozenset({"affirm", "deny", "goodbye", "thanks", "repeat", "greet"})
# Requests that only seek information. They do not compete with each other: "how much is a
# cleaning without insurance?" is about pricing and insurance at once, answered either way.
INFO_INTENTS = frozenset({"ask_question", "ask_hours", "ask_location", "ask_services", "ask_price"})
# An information request about this close to the best one with a different answer (hours and a
# question, say) makes the turn a question for the knowledge base rather than either alone.
_CLOSE_RIVAL = 0.6
UNKNOWN = "unknown"
# Below this raw score nothing was really said about any intent.
MINIMUM_EVIDENCE = 0.9
_NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|-)*$")


class Understanding(msgspec.Struct, kw_only=True, frozen=True):
    """One caller utterance as the dialogue manager sees it."""

    text: str
    normalised: str
    intent: str
    confidence: float
    raw: dict[str, float]  # evidence per intent (sums of pattern weights)
    scores: dict[str, float]  # the same, normalised to shares of 1
    when: TimePreference | None = None
    name: str | None = None
    phone: str | None = None
    department: str | None = None
    service: str | None = None
    choice: int | None = None  # "the second one" -> 1, "the last one" -> -1
    shift: str | None = None  # "later", "earlier", "other_day"

    def evidence(self, intent: str) -> float:
        return self.raw.get(intent, 0.0)

    def best_of(self, intents: Sequence[str]) -> tuple[str, float]:
        """The best of ``intents`` and the confidence of picking it among them only."""
        ranked = sorted(intents, key=lambda name: self.evidence(name), reverse=True)
        if not ranked or self.evidence(ranked[0]) < MINIMUM_EVIDENCE:
            return UNKNOWN, 0.0
        second = self.evidence(ranked[1]) if len(ranked) > 1 else 0.0
        return ranked[0], confidence(self.evidence(ranked[0]), second)

    def task(self) -> tuple[str, float]:
        """What the caller asks for, leaving out acts like "yes" or "thanks".

        An information request is only as unsure as the other kinds of request make it (booking,
        a message...); several information requests close together make it a general question.
        """
        requests = [name for name in INTENTS if name not in ACTS]
        task, sure = self.best_of(requests)
        if task not in INFO_INTENTS:
            return task, sure
        best = self.evidence(task)
        second = max((self.evidence(name) for name in requests if name not in INFO_INTENTS), default=0.0)
        price_or_question = {"ask_price", "ask_question"}
        close = [
            name
            for name in INFO_INTENTS - {task}
            if self.evidence(name) >= _CLOSE_RIVAL * best and not {name, task} <= price_or_question
        ]
        if close:
            task = "ask_question"
        return task, max(sure, confidence(best, second))


def confidence(best: float, second: float) -> float:
    """0..1 from the strength of the best evidence and its margin over the runner-up."""
    if best <= 0:
        return 0.0
    strength = 1 - math.exp(-best / 2)
    margin = max(0.0, best - second) / best
    return round(strength * (0.35 + 0.65 * margin), 3)


def score_intents(normalised: str, language: Language) -> dict[str, float]:
    """Raw evidence per intent: the summed weights of its patterns found in ``normalised``."""
    raw: dict[str, float] = {}
    for intent, patterns in language.intents.items():
        total = 0.0
        for pattern, weight in patterns:
            for match in pattern.finditer(normalised):
                if (
                    weight > 0
                    and intent in language.negatable
                    and _negated(normalised, match.start(), language)
                ):
                    continue
                total += weight
                break
        if total > 0:
            raw[intent] = total
    return raw


def _negated(text: str, position: int, language: Language) -> bool:
    before = text[:position].split()[-3:]
    return any(word in language.negations for word in before)


def understand(
    text: str,
    language: Language,
    now: datetime,
    *,
    hours: Mapping[str, Any] | None = None,
    services: Sequence[str] = (),
    departments: Sequence[str] = (),
    expect_time: bool = False,
    expect_name: bool = False,
) -> Understanding:
    """Intent, confidence and entities of one utterance. ``now`` is local to the tenant."""
    normalised = normalise(text, language)
    raw = score_intents(normalised, language)
    when = parse_when(text, now, language, hours, expect_time=expect_time)
    service = match_service(normalised, services, language)
    department = match_department(normalised, departments, language)
    # Entities are evidence too: a service or a day suggests booking, a department a transfer.
    if service is not None:
        raw["book_appointment"] = raw.get("book_appointment", 0.0) + 1.0
    if when is not None:
        raw["book_appointment"] = raw.get("book_appointment", 0.0) + 1.0
        raw["reschedule_appointment"] = raw.get("reschedule_appointment", 0.0) + 0.5
    if department is not None:
        raw["talk_to_person"] = raw.get("talk_to_person", 0.0) + 1.5
    raw = {intent: score for intent, score in raw.items() if score > 0}
    ranked = sorted(raw.items(), key=lambda pair: pair[1], reverse=True)
    best_intent, best = ranked[0] if ranked else (UNKNOWN, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    total = sum(raw.values())
    intent, sure = (best_intent, confidence(best, second)) if best >= MINIMUM_EVIDENCE else (UNKNOWN, 0.0)
    return Understanding(
        text=text,
        normalised=normalised,
        intent=intent,
        confidence=sure,
        raw=raw,
        scores={name: round(score / total, 3) for name, score in raw.items()} if total else {},
        when=when,
        name=person_name(text, normalised, language, expect_name=expect_name),
        phone=phone_number(text, language),
        department=department,
        service=service,
        choice=_choice(normalised, language),
        shift=_shift(normalised, language),
    )


def _choice(normalised: str, language: Language) -> int | None:
    for pattern, index in language.choices:
        if pattern.search(normalised):
            return index
    return None


def _shift(normalised: str, language: Language) -> str | None:
    if language.other_day.search(normalised):
        return "other_day"
    if language.later.search(normalised):
        return "later"
    if language.earlier.search(normalised):
        return "earlier"
    return None


def _stems(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [stem(word) for word in re.findall(r"[a-z0-9]+", folded)]


_GLOSS_PATTERNS: dict[str, re.Pattern[str] | None] = {}


def _said_stems(normalised: str, language: Language) -> list[str]:
    """The stems of what was said, and of its glossary words as tenants name them ("limpieza" ->
    "cleaning"), so a caller finds a service named in the tenant's language or in English."""
    words = _stems(normalised)
    if not language.glossary:
        return words
    if language.code not in _GLOSS_PATTERNS:
        keys = sorted(language.glossary, key=len, reverse=True)
        _GLOSS_PATTERNS[language.code] = re.compile(rf"\b({'|'.join(map(re.escape, keys))})\b")
    pattern = _GLOSS_PATTERNS[language.code]
    assert pattern is not None
    glossed = [language.glossary[match] for match in pattern.findall(normalised)]
    return words + _stems(" ".join(glossed))


def _similar(word: str, other: str) -> bool:
    if word == other:
        return True
    # Near-misses of speech recognition keep the first letter ("cleening"), and are not another
    # word with a prefix ("reschedule" is not "schedule").
    return (
        min(len(word), len(other)) >= 4
        and word[0] == other[0]
        and SequenceMatcher(None, word, other).ratio() >= 0.8
    )


def match_service(normalised: str, services: Sequence[str], language: Language) -> str | None:
    """The tenant service named in the text, tolerating plurals and near-misses ("cleanings")."""
    words = _said_stems(normalised, language)
    best: tuple[float, int, str] | None = None
    for service in services:
        wanted = [word for word in _stems(service) if len(word) > 1 and word not in language.function_words]
        if not wanted:
            continue
        found = sum(1 for word in wanted if any(_similar(word, said) for said in words))
        share = found / len(wanted)
        if found and share >= 0.5 and (best is None or (share, found) > best[:2]):
            best = (share, found, service)
    return best[2] if best else None


def match_department(normalised: str, departments: Sequence[str], language: Language) -> str | None:
    """A configured department named in the text, else one named as "the X department"."""
    words = _said_stems(normalised, language)
    for department in departments:
        wanted = _stems(department)
        if wanted and all(any(_similar(word, said) for said in words) for word in wanted):
            return department
    match = language.department.search(normalised)
    return match["department"] if match else None


def person_name(text: str, normalised: str, language: Language, *, expect_name: bool = False) -> str | None:
    """The caller's name: after "my name is" anywhere, after "this is" near the start, or the
    whole answer when the caller was just asked for it."""
    match = language.name_trigger.search(normalised)
    # After "my name is", or when the name was just asked for, "April" and "June" are names.
    words = _name_words(match["name"], language, months=True) if match else []
    if not words:
        weak = language.name_weak_trigger.search(normalised)
        # "I am"/"this is" make a name only at the start ("Hi, this is Dana"), or when asked.
        if weak and (expect_name or len(normalised[: weak.start()].split()) <= 2):
            words = _name_words(weak["name"], language, months=expect_name)
    if not words and expect_name:
        bare = normalise(strip_fillers(text, language), language).split()
        if 1 <= len(bare) <= 3:
            words = _name_words(" ".join(bare), language, months=True)
            words = words if len(words) == len(bare) else []
    return " ".join(_cased(word, text) for word in words) if words else None


def _name_words(candidate: str, language: Language, *, months: bool = False) -> list[str]:
    """The words of ``candidate`` up to the first that cannot be part of a name. A month counts as
    a name (``months``) only when spelled out ("April", not "apr") and followed by no day number."""
    words = []
    said = candidate.split()
    for index, word in enumerate(said[:3]):
        following = said[index + 1] if index + 1 < len(said) else ""
        month_name = (
            months
            and word in language.dates.months
            and word.capitalize() in language.month_names
            and not following[:1].isdigit()
            and following not in language.ordinal_words
        )
        if (
            word in language.name_stopwords
            or word in language.dates.weekdays
            or (word in language.dates.months and not month_name)
            or not _NAME_WORD.match(word)
            or word.endswith(("ing", "ly"))
        ):
            break
        words.append(word)
    return words


def _cased(word: str, original: str) -> str:
    found = re.search(rf"\b{re.escape(word)}\b", original, flags=re.IGNORECASE)
    said = found.group(0) if found else word
    return said if any(char.isupper() for char in said[1:]) else said[:1].upper() + said[1:].lower()


def message_recipient(text: str, normalised: str, language: Language) -> str | None:
    """Who a message is for, as said: "a message for Dr. Patel" -> "Dr. Patel", "for the office
    manager" -> "the office manager"; None when no one is named ("a message for tomorrow")."""
    match = language.message_recipient.search(normalised)
    if match is None:
        return None
    words = match["who"].split()
    lead: list[str] = []
    if words[0] == "the":
        lead, words = ["the"], words[1:]
    elif words[0] in language.titles and len(words) > 1:
        lead, words = [language.titles[words[0]]], words[1:]
    kept = []
    for index, word in enumerate(words):
        # After "the" a role, not a name, is expected: "the doctor", "the office manager".
        stopwords = language.function_words if lead == ["the"] else language.name_stopwords
        if (
            word in stopwords
            or word in language.dates.weekdays
            or word in language.dates.months
            or language.message_content.match(" ".join(words[index:]))  # "for Sam, tell him..."
        ):
            break
        kept.append(word)
    if not kept:
        return None
    if lead == ["the"]:
        return " ".join(["the", *kept])
    return " ".join([*lead, *(_cased(word, text) for word in kept)])

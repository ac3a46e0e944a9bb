"""Answers to repeated knowledge questions, reused instead of asking the model again.

Many callers ask the same things ("what are your opening hours?"). When a real model answered
a question with nothing but ``answer_question`` (no booking, message or other side effect), or
with no tool at all while a knowledge entry in its prompt matched the question strongly, its
reply is stored under the tenant, the question in a normal form, and everything else that shapes
the answer: the knowledge version (bumped by every knowledge change, so old answers stop
matching), the tenant's configuration, the call's channel and language. The next caller who asks
the same question gets the stored reply at once, as provider ``cache``.

The offline engine is never cached: it is fast and keeps state across turns. Questions of fewer
than three words ("yes", "how much"), questions that lean on the conversation so far ("how much
is that?") and questions about the moment they are asked ("are you open today?") are never
cached either: the same words would not mean the same thing on another call.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import msgspec
import structlog
from prometheus_client import CollectorRegistry, Counter

from core.conversation.cache_backends import AnswerStore, open_answer_store
from core.conversation.chain import OFFLINE, conversation_providers

if TYPE_CHECKING:
    from core.context import KnowledgeSnippet
    from core.conversation.engine import TurnReply
    from core.settings import Settings
    from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

# The provider name of a reply served from the cache.
CACHE_PROVIDER = "cache"
# The one tool a cacheable turn may use: it reads the knowledge base and changes nothing.
KNOWLEDGE_TOOL = "answer_question"
# A knowledge entry matching the question at least this well (0..1) makes a tool-free answer of a
# hosted model a knowledge answer: the model answered from the entry in its prompt.
STRONG_MATCH = 0.5
# Shorter questions are answers to the assistant ("yes", "tomorrow"), not questions.
MIN_WORDS = 3
# After the store fails, seconds every lookup is a miss before it is tried again, so a Redis
# that is down costs one timeout now and then rather than one per turn.
RETRY_AFTER_FAILURE_S = 10.0

# Sounds and courtesies that do not change what is asked.
FILLER_WORDS = frozenset(
    "um umm uh uhh uhm er erm hmm mm ah oh hi hello hey please pls thanks ok okay so well "
    "yeah hola bueno gracias bonjour merci svp".split()
)
# Courtesies of two words, matched once apostrophes are gone ("s'il" is "sil").
_FILLER_PHRASES = re.compile(r"\b(?:thank you|excuse me|por favor|sil vous plaît)\b")
# Words that point back into the conversation: "how much is that?" depends on what "that" was.
CONTEXT_WORDS = frozenset(
    "it its that this those these they them he she him her "
    "eso esto ese esa esos esas ello ça cela ceci".split()
)
# Words that tie the answer to the moment it is asked: "are you open today?" changes daily.
TIME_WORDS = frozenset(
    "now today tonight tomorrow yesterday currently still hoy ahora mañana ayer aujourdhui demain "
    "maintenant soir".split()
)

# Letters and digits of any script; apostrophes are removed first so "what's" stays one word.
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = str.maketrans("", "", "'\u2019`")


def normalise_question(text: str) -> str:
    """``text`` in lower case, without punctuation or filler words, single-spaced."""
    words = _WORD.findall(_FILLER_PHRASES.sub(" ", text.casefold().translate(_APOSTROPHES)))
    return " ".join(word for word in words if word not in FILLER_WORDS)


def cacheable_question(text: str) -> str | None:
    """The normal form of ``text`` when its answer may be reused on another call, else None."""
    question = normalise_question(text)
    words = question.split()
    if len(words) < MIN_WORDS:
        return None
    if any(word in CONTEXT_WORDS or word in TIME_WORDS for word in words):
        return None
    return question


def pure_knowledge_answer(reply: TurnReply, knowledge: Sequence[KnowledgeSnippet] = ()) -> bool:
    """A real model's knowledge answer with no side effect, safe to repeat.

    Either it looked the answer up with ``answer_question`` alone, or it called no tool at all
    while its prompt carried a knowledge entry that matches the question strongly
    (``STRONG_MATCH``): hosted models answer from the knowledge in their prompt.
    """
    if reply.provider in (OFFLINE, CACHE_PROVIDER) or not reply.text.strip():
        return False
    if not reply.tool_calls:
        return any(snippet.score >= STRONG_MATCH for snippet in knowledge)
    return all(call.name == KNOWLEDGE_TOOL for call in reply.tool_calls)


def answer_key(session: CallSession, question: str) -> str:
    """Where the answer to ``question`` (normalised) is kept for this call's tenant, setup and language.

    The setup is the tenant's config version (its business details, numbers, plugins) and the
    call's effective plugin configs (number overlays and experiment variants included): the
    models, their instructions and the workflow's starter knowledge all come from there.
    """
    tenant, call = session.tenant, session.call
    configs = msgspec.json.encode(sorted(session.context.plugin_configs.items()))
    setup = hashlib.sha256(b"%d:" % (tenant.config_version or 0) + configs).hexdigest()[:16]
    asked = hashlib.sha256(question.encode()).hexdigest()[:32]
    return f"{tenant.id}:k{tenant.knowledge_version or 1}:c{setup}:{call.channel}:{call.language}:{asked}"


class AnswerCache:
    """The store of answers, its time to live, and its Prometheus counters."""

    def __init__(
        self,
        store: AnswerStore,
        *,
        ttl_s: float,
        registry: CollectorRegistry | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self._clock = clock
        self._retry_at = 0.0
        self.lookups = Counter(
            "frontdesk_answer_cache_lookups_total",
            "Answer cache lookups for cacheable questions, by result",
            ["result"],
            registry=None,
        )
        self.stores = Counter(
            "frontdesk_answer_cache_stores_total", "Answers stored in the answer cache", registry=None
        )
        self.errors = Counter(
            "frontdesk_answer_cache_errors_total",
            "Answer cache store failures (each counted as a miss or a skipped store)",
            registry=None,
        )
        for result in ("hit", "miss"):  # both series exist from the start, so a hit rate is defined
            self.lookups.labels(result)
        self._registry = registry
        for collector in self._collectors:
            if registry is not None:
                registry.register(collector)

    @property
    def _collectors(self) -> tuple[Counter, ...]:
        return (self.lookups, self.stores, self.errors)

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    async def lookup(self, key: str) -> str | None:
        value = None
        if self._clock() >= self._retry_at:
            try:
                value = await self.store.get(key)
            except Exception as exc:  # a cache that fails is a miss, never a lost turn
                self._failed("get", exc)
        self.lookups.labels("hit" if value is not None else "miss").inc()
        return value

    async def remember(self, key: str, value: str) -> None:
        if self._clock() < self._retry_at:
            return
        try:
            await self.store.put(key, value, self.ttl_s)
        except Exception as exc:
            self._failed("put", exc)
            return
        self.stores.inc()

    def _failed(self, operation: str, exc: Exception) -> None:
        self.errors.inc()
        self._retry_at = self._clock() + RETRY_AFTER_FAILURE_S
        log.warning("answer_cache.store_failed", store=self.store.kind, operation=operation, error=repr(exc))

    async def close(self) -> None:
        if self._registry is not None:
            for collector in self._collectors:
                self._registry.unregister(collector)
            self._registry = None
        await self.store.close()


def open_answer_cache(settings: Settings, registry: CollectorRegistry | None = None) -> AnswerCache:
    """The deployment's answer cache: in Redis when ``FRONTDESK_REDIS_URL`` is set, else in memory."""
    store = open_answer_store(settings.redis_url, max_entries=settings.answer_cache_entries)
    return AnswerCache(store, ttl_s=settings.answer_cache_ttl_s, registry=registry)


def _model_answers_first(session: CallSession) -> bool:
    providers = conversation_providers(session)
    return bool(providers) and providers[0][0] != OFFLINE


async def cached_answer(session: CallSession, text: str) -> str | None:
    """A stored answer to ``text`` for this tenant's current knowledge, or None."""
    cache = session.services.answer_cache
    if not cache.enabled or not _model_answers_first(session):
        return None
    question = cacheable_question(text)
    if question is None:
        return None
    answer = await cache.lookup(answer_key(session, question))
    if answer is not None:
        log.debug("answer_cache.hit", call_sid=session.call.call_sid)
    return answer


async def remember_answer(
    session: CallSession, text: str, reply: TurnReply, knowledge: Sequence[KnowledgeSnippet] = ()
) -> None:
    """Store ``reply`` as the answer to ``text`` when it was a pure knowledge answer.

    ``knowledge`` is what the models' prompt carried for this turn (``core.conversation.prompt``).
    """
    cache = session.services.answer_cache
    if not cache.enabled or not pure_knowledge_answer(reply, knowledge):
        return
    question = cacheable_question(text)
    if question is not None:
        await cache.remember(answer_key(session, question), reply.text)

"""One exchange of a conversation, by voice, by text or over a ConversationRelay stream.

The caller's line and the reply join the transcript, the history is kept on the call's row,
the tenant's conversation models answer with the call's tools, and a ``call.turn`` event records
what happened. Around the models: the caller's language is detected (and the call switched to it),
the turn's sentiment is scored alongside the answer, repeated knowledge questions are answered from
the answer cache, and the models' token usage is metered. Voice, SMS and relay differ only in what
they do with the reply.
"""

from __future__ import annotations

import asyncio
import time

import msgspec
import structlog

from core.calls import services as calls
from core.conversation import answer_cache, language, sentiment, usage
from core.conversation.chain import conversation_providers
from core.conversation.engine import TextSink, TurnReply, converse
from core.conversation.executor import CallToolExecutor, TurnEffects
from core.conversation.prompt import turn_knowledge
from core.conversation.workflows import tenant_workflow, tools_for
from core.providers import LLMProvider, Message, Workflow
from core.scheduling.tools import CallCalendar, calendar_for_call
from core.telephony.session import CallSession

log = structlog.get_logger(__name__)

# The models get this share of the turn budget; the rest is headroom for the database and TwiML.
ENGINE_SHARE = 0.8
# Seconds the turn waits, after the answer, for a sentiment score still being judged.
SENTIMENT_GRACE_S = 0.3

__all__ = ["ENGINE_SHARE", "calendar_for", "conversation_providers", "exchange"]


def calendar_for(session: CallSession) -> CallCalendar | None:
    """The call's calendar tools, when the tenant has a calendar installed."""
    return calendar_for_call(session.db, session.context, session.call.id)


async def exchange(
    session: CallSession,
    text: str,
    *,
    n: int,
    confidence: float | None = None,
    can_text: bool = False,
    on_text: TextSink | None = None,
) -> tuple[TurnReply, TurnEffects]:
    """The reply to the caller's ``text`` (turn ``n``), and what its tools changed.

    ``on_text`` receives the reply's speech as it streams (ConversationRelay); the effects carry
    the turn's sentiment and any language the call switched to.
    """
    call = session.call
    switched = await language.detect_turn_language(session, text)
    history = [msgspec.convert(m, Message) for m in call.state.get("history", [])]
    history.append(Message(role="user", content=text))
    workflow = tenant_workflow(session.services.providers, session.context)
    executor = CallToolExecutor(session, calendar=calendar_for(session), can_text=can_text, workflow=workflow)
    executor.effects.language = switched
    providers = conversation_providers(session)
    if not await usage.within_budget(session):  # past the month's AI budget: the offline model only
        providers = usage.degraded(providers)
    mood = asyncio.create_task(sentiment.score_turn(session, text, providers))
    try:
        reply = await _answer(session, text, history, providers, executor, workflow, on_text)
    finally:
        judged = await _settled(session, text, mood)
        executor.effects.sentiment = judged.score
    await calls.append_turn(
        session.db,
        call,
        "caller",
        text,
        confidence=confidence,
        sentiment=executor.effects.sentiment,
        at=session.now,
    )
    sentiment.note_sentiment(session, executor.effects.sentiment)
    await calls.append_turn(session.db, call, "assistant", reply.text, at=session.now)
    session.remember(history=[*history, *reply.added])
    await usage.record_usage(session, [*reply.usage, *judged.usage])
    tools = [tool_call.name for tool_call in reply.tool_calls]
    await session.event(
        "call.turn",
        {"n": n, "caller": text, "assistant": reply.text, "provider": reply.provider, "tools": tools},
    )
    return reply, executor.effects


async def _answer(
    session: CallSession,
    text: str,
    history: list[Message],
    providers: list[tuple[str, LLMProvider]],
    executor: CallToolExecutor,
    workflow: Workflow | None,
    on_text: TextSink | None,
) -> TurnReply:
    cached = await answer_cache.cached_answer(session, text)
    if cached is not None:
        if on_text is not None:
            await on_text(cached)
        return TurnReply(
            text=cached,
            added=[Message(role="assistant", content=cached)],
            tool_calls=[],
            provider="cache",
            streamed=cached if on_text is not None else "",
        )
    deadline = time.monotonic() + session.services.settings.turn_budget_s * ENGINE_SHARE
    # The models see the tenant's workflow on the call, and its fields in the capture_lead tool;
    # prompted models also see the knowledge entries that match the caller's words.
    knowledge = await turn_knowledge(session, text, providers, workflow)
    context = msgspec.structs.replace(session.context, workflow=workflow, knowledge=knowledge)
    reply = await converse(
        context,
        history,
        providers,
        executor,
        deadline=deadline,
        tools=tools_for(workflow),
        on_text=on_text,
    )
    await answer_cache.remember_answer(session, text, reply, knowledge)
    return reply


async def _settled(
    session: CallSession, text: str, task: asyncio.Task[sentiment.TurnMood]
) -> sentiment.TurnMood:
    """The turn's mood if it is ready within a moment; a slow or failed judge leaves it to the lexicon."""
    try:
        return await asyncio.wait_for(task, SENTIMENT_GRACE_S)
    except Exception as exc:  # sentiment is a nice-to-have: never worth a caller's turn
        log.warning("call.sentiment_failed", error=repr(exc))
        return sentiment.lexicon_mood(session, text)

"""One exchange of a conversation, by voice or by text: the caller's words in, the reply out.

The caller's line and the reply join the transcript, the history is kept on the call's row,
the tenant's conversation models answer with the call's tools, and a ``call.turn`` event records
what happened. Voice and SMS differ only in what they do with the reply.
"""

from __future__ import annotations

import time

import msgspec

from core.calls import services as calls
from core.conversation.engine import TurnReply, converse
from core.conversation.executor import CallToolExecutor, TurnEffects
from core.conversation.workflows import tenant_workflow, tools_for
from core.providers import LLMProvider, Message
from core.scheduling.tools import CallCalendar, calendar_for_call
from core.telephony.session import CallSession

# The models get this share of the turn budget; the rest is headroom for the database and TwiML.
ENGINE_SHARE = 0.8


def conversation_providers(session: CallSession) -> list[tuple[str, LLMProvider]]:
    """The tenant's installed conversation models; the offline engine, if installed, always last."""
    installed = set(session.context.plugin_configs)
    chosen = [
        (name, registration.provider)
        for name, registration in session.services.providers.of_kind("llm_provider").items()
        if registration.plugin in installed
    ]
    return sorted(chosen, key=lambda item: item[0] == "offline")  # type: ignore[return-value]


def calendar_for(session: CallSession) -> CallCalendar | None:
    """The call's calendar tools, when the tenant has a calendar installed."""
    return calendar_for_call(session.db, session.context, session.call.id)


async def exchange(
    session: CallSession, text: str, *, n: int, confidence: float | None = None, can_text: bool = False
) -> tuple[TurnReply, TurnEffects]:
    """The reply to the caller's ``text`` (turn ``n``), and what its tools changed."""
    call = session.call
    await calls.append_turn(session.db, call, "caller", text, confidence=confidence, at=session.now)
    history = [msgspec.convert(m, Message) for m in call.state.get("history", [])]
    history.append(Message(role="user", content=text))
    workflow = tenant_workflow(session.services.providers, session.context)
    executor = CallToolExecutor(session, calendar=calendar_for(session), can_text=can_text, workflow=workflow)
    deadline = time.monotonic() + session.services.settings.turn_budget_s * ENGINE_SHARE
    # The models see the tenant's workflow on the call, and its fields in the capture_lead tool.
    context = msgspec.structs.replace(session.context, workflow=workflow) if workflow else session.context
    reply = await converse(
        context,
        history,
        conversation_providers(session),
        executor,
        deadline=deadline,
        tools=tools_for(workflow),
    )
    await calls.append_turn(session.db, call, "assistant", reply.text, at=session.now)
    session.remember(history=[*history, *reply.added])
    tools = [tool_call.name for tool_call in reply.tool_calls]
    await session.event(
        "call.turn",
        {"n": n, "caller": text, "assistant": reply.text, "provider": reply.provider, "tools": tools},
    )
    return reply, executor.effects

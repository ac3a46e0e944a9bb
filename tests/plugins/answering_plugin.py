"""Test plugin: answers every hook with values derived from what it was given."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime, timedelta
from typing import Any

import httpx
import msgspec

from core import (
    Calendar,
    CallContext,
    CallEvent,
    ConnectorEvent,
    CRMConnector,
    EventType,
    Greeting,
    LeadAssessment,
    LLMProvider,
    Message,
    Register,
    RouteDecision,
    ScreeningDecision,
    Slot,
    Speech,
    TextDelta,
    ToolCall,
    ToolSpec,
    Turn,
    Voice,
    Workflow,
    WorkflowField,
    WorkflowIntent,
    hookimpl,
)

NAME = "answering"

# What log_call_event saw; a fresh module is loaded for each test.
EVENTS: list[CallEvent] = []


class Config(msgspec.Struct, kw_only=True):
    transfer_to: str = "+15550009999"


class EchoLLM(LLMProvider):
    async def respond(
        self, call: CallContext, history: list[Message], tools: list[ToolSpec]
    ) -> AsyncIterator[TextDelta | ToolCall]:
        yield TextDelta(text=f"you said: {history[-1].content}")
        for tool in tools:
            yield ToolCall(id=f"call-{tool.name}", name=tool.name, arguments={"caller": call.caller})


class GroomingWorkflow(Workflow):
    """Scores a lead by how many fields it has, 25 points each."""

    def assess(self, call: CallContext, intent: str | None, fields: Mapping[str, Any]) -> LeadAssessment:
        known = {name: value for name, value in fields.items() if value is not None}
        missing = [name for name in self.qualification_fields if name not in fields]
        return LeadAssessment(fields=known, score=min(100, 25 * len(known)), missing=missing)


class RecordedVoice(Voice):
    async def speak(self, call: CallContext, text: str, language: str | None) -> Speech:
        return Speech(
            kind="play", text=text, language=language, url=f"https://audio.test/{call.call_sid}.mp3"
        )


class OneSlotCalendar(Calendar):
    async def available_slots(
        self, call: CallContext, start: datetime, end: datetime, duration: timedelta
    ) -> list[Slot]:
        return [Slot(start=start, end=start + duration)]


class RecordingCRM(CRMConnector):
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    async def deliver(self, event: ConnectorEvent, config: object, http: httpx.AsyncClient) -> None:
        self.events.append((event.tenant.slug, event.type))


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("echo", EchoLLM(), streaming=True)


@hookimpl
def register_voices(register: Register) -> None:
    register("recorded", RecordedVoice(), output="play")


@hookimpl
def register_calendars(register: Register) -> None:
    register("one-slot", OneSlotCalendar())


@hookimpl
def register_crm_connectors(register: Register) -> None:
    register("recording", RecordingCRM(), objects=["calls"])


@hookimpl
def register_workflows(register: Register) -> None:
    workflow = GroomingWorkflow(
        name="grooming",
        intents=[WorkflowIntent(name="book_groom", description="a dog to groom")],
        fields=[
            WorkflowField(name="breed", description="the dog's breed", question="What breed is your dog?")
        ],
    )
    register("grooming", workflow, industry="pet_grooming")


@hookimpl
def register_event_types(register: Register) -> None:
    sample = {"call_sid": "CA0001", "greeted_by": "answering"}
    event_type = EventType(name="call.greeted", description="The caller was greeted.", sample=sample)
    register("call.greeted", event_type)


@hookimpl
async def screen_call(call: CallContext) -> ScreeningDecision:
    return ScreeningDecision(action="challenge", reasons=[f"answering screened {call.caller}"])


@hookimpl
def greeting(call: CallContext) -> Greeting:
    return Greeting(text=f"Answering for {call.tenant.name}", language=call.language)


@hookimpl
async def route_call(call: CallContext, turn: Turn) -> RouteDecision:
    target = call.plugin_config(NAME, Config).transfer_to
    return RouteDecision(action="transfer", target=target, reason=f"turn {turn.number}: {turn.text}")


@hookimpl
async def log_call_event(call: CallContext, event: CallEvent) -> str:
    EVENTS.append(event)
    return f"answering logged {event.type} for {call.call_sid}"

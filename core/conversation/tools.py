"""The tools every conversation model gets, offline rules engine and LLMs alike.

A model asks for a tool with a ``ToolCall(name, arguments)``; the host validates the arguments
against the tool's Struct, runs it for the call's tenant, and hands the result back as a
``Message(role="tool")`` whose content is the result Struct as JSON. Times are ISO 8601 with the
tenant's UTC offset; ``spoken`` fields are ready to say to a caller.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec

from core.providers import ToolSpec


class Args(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class AnswerQuestion(Args):
    """Look up the tenant's knowledge base for the caller's question."""

    question: str


class KnowledgeHit(msgspec.Struct, kw_only=True):
    question: str
    answer: str
    score: float


class AnswerQuestionResult(msgspec.Struct, kw_only=True):
    hits: list[KnowledgeHit]


class CheckAvailability(Args):
    """Free appointment slots, soonest first, optionally on one local date and between two times."""

    date: str | None = None  # YYYY-MM-DD in the tenant's timezone
    earliest: str | None = None  # HH:MM
    latest: str | None = None  # HH:MM
    service: str | None = None
    limit: int = 3


class SlotOption(msgspec.Struct, kw_only=True):
    start: str
    end: str
    spoken: str  # "Tuesday, March 3 at 3:00 PM"


class CheckAvailabilityResult(msgspec.Struct, kw_only=True):
    slots: list[SlotOption]


class BookAppointment(Args):
    """Book a slot (one ``check_availability`` offered) for the caller."""

    start: str
    name: str
    service: str | None = None
    phone: str | None = None  # defaults to the caller's number
    notes: str | None = None


class AppointmentResult(msgspec.Struct, kw_only=True):
    ok: bool
    appointment_id: str | None = None
    start: str | None = None
    end: str | None = None
    spoken: str | None = None
    # slot_taken | outside_hours | in_past | not_found | invalid_time
    error: str | None = None


class FindAppointments(Args):
    """The caller's upcoming appointments (by their number unless another is given)."""

    phone: str | None = None


class AppointmentInfo(msgspec.Struct, kw_only=True):
    appointment_id: str
    start: str
    spoken: str
    service: str | None = None


class FindAppointmentsResult(msgspec.Struct, kw_only=True):
    appointments: list[AppointmentInfo]


class RescheduleAppointment(Args):
    """Move one of the caller's appointments to a new free slot."""

    appointment_id: str
    start: str


class CancelAppointment(Args):
    """Cancel one of the caller's appointments."""

    appointment_id: str


class TakeMessage(Args):
    """Leave a message for the business; the callback number defaults to the caller's."""

    message: str
    name: str | None = None
    callback_number: str | None = None


class CaptureLead(Args):
    """Record (or update) the caller as a lead with what their industry workflow asks for."""

    name: str | None = None
    phone: str | None = None
    intent: str | None = None
    fields: dict[str, Any] = {}


class RecordResult(msgspec.Struct, kw_only=True):
    ok: bool
    id: str | None = None
    error: str | None = None


class LeadResult(RecordResult, kw_only=True):
    """What ``capture_lead`` made of the lead: its score, and what the host did or wants done next.

    ``route`` is None while the lead is still being qualified (ask ``ask``, for ``missing[0]``);
    ``transfer``: the call is being put through to ``target`` (say so); ``alert``: ``target`` was
    texted and will call back; ``same_day``: offer ``slots`` (today's); ``book``: book ``service``
    with ``check_availability``/``book_appointment``; ``message``: take a message.
    """

    score: int | None = None
    hot: bool = False
    emergency: str | None = None
    missing: list[str] = []
    ask: str | None = None
    route: str | None = None
    who: str | None = None
    target: str | None = None
    service: str | None = None
    slots: list[SlotOption] = []
    instructions: str | None = None  # say this to the caller first
    summary: str = ""  # the lead in one line, for a message


class TransferCall(Args):
    """Hand the call to a person: a department by name, or the main transfer number."""

    department: str | None = None
    reason: str | None = None


class TransferResult(msgspec.Struct, kw_only=True):
    ok: bool
    department: str | None = None
    target: str | None = None
    error: str | None = None  # no_transfer_number | unknown_department


class EndCall(Args):
    """End the call after the reply that goes with it."""

    reason: str | None = None


class SendSms(Args):
    """Text the caller (a confirmation, an address, a link)."""

    text: str


class DoneResult(msgspec.Struct, kw_only=True):
    ok: bool
    error: str | None = None


TOOL_ARGS: dict[str, type[Args]] = {
    "answer_question": AnswerQuestion,
    "check_availability": CheckAvailability,
    "book_appointment": BookAppointment,
    "find_appointments": FindAppointments,
    "reschedule_appointment": RescheduleAppointment,
    "cancel_appointment": CancelAppointment,
    "take_message": TakeMessage,
    "capture_lead": CaptureLead,
    "transfer_call": TransferCall,
    "end_call": EndCall,
    "send_sms": SendSms,
}


def tool_specs(names: list[str] | None = None) -> list[ToolSpec]:
    """The tools as LLM function specs: name, description (the Struct's docstring), JSON schema."""
    return list(_tool_specs(tuple(names) if names is not None else None))


@functools.cache
def _tool_specs(names: tuple[str, ...] | None) -> tuple[ToolSpec, ...]:
    # Schemas are derived from the Structs, which never change in a running process.
    specs = []
    for name, args in TOOL_ARGS.items():
        if names is not None and name not in names:
            continue
        schema = msgspec.json.schema(args)
        definition = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        parameters = {key: value for key, value in definition.items() if key != "title"}
        specs.append(ToolSpec(name=name, description=(args.__doc__ or "").strip(), parameters=parameters))
    return tuple(specs)

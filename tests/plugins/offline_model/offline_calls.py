"""Whole calls with the offline model: an in-memory executor of every tool, and the host's loop.

Imported by the offline model's tests (``from offline_calls import converse, FakeTools``).

``FakeTools`` runs each tool of ``core.conversation.tools`` against a small world: a calendar
of business-hours slots with appointments in it, a knowledge base ranked by the real search,
messages, leads, texts and transfers. ``converse`` plays caller lines through the model the way
the host's engine does: respond, run the tools it asked for, append the results, respond again,
until a round gives words without tools.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest

from core import CallContext, Message, TenantIdentity, TextDelta, ToolCall
from core.conversation import tools as contract
from core.knowledge.search import KnowledgeDoc, rank
from plugins.offline_model import Config, OfflineLLM

ZONE = ZoneInfo("America/Chicago")
# Thursday, February 26, 2026, 10:00 in Chicago.
NOW = datetime(2026, 2, 26, 10, 0, tzinfo=ZONE).astimezone(UTC)
CALLER = "+15551230001"
HOURS = {
    "mon": [["08:00", "17:00"]], "tue": [["08:00", "17:00"]], "wed": [["08:00", "17:00"]],
    "thu": [["08:00", "17:00"]], "fri": [["08:00", "14:00"]],
}  # fmt: skip
TENANT = TenantIdentity(
    id="t-bright",
    slug="bright-smiles",
    name="Bright Smiles Dental",
    timezone="America/Chicago",
    business={
        "hours": HOURS,
        "address": "12 Elm Street, Springfield",
        "services": ["Teeth cleaning", "Fillings", "Whitening", "New patient exam"],
        "phone": "+15559870000",
        "email": "hello@brightsmiles.test",
    },
)
KNOWLEDGE = [
    KnowledgeDoc(
        id="k-insurance",
        question="Do you accept insurance?",
        answer="Yes, we accept most PPO plans, including Delta Dental, Cigna and Aetna.",
        tags=["insurance", "delta", "ppo"],
    ),
    KnowledgeDoc(
        id="k-parking",
        question="Where can I park?",
        answer="There is free parking behind the building.",
        tags=["parking"],
    ),
    KnowledgeDoc(
        id="k-price",
        question="How much does a cleaning cost?",
        answer="A regular cleaning is 120 dollars without insurance.",
        tags=["price", "cleaning"],
    ),
]
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_OFFERED = 10


def spread(starts: list[datetime], count: int) -> list[datetime]:
    """``count`` of ``starts`` from the first to the last, evenly apart (as the built-in calendar offers)."""
    if len(starts) <= count:
        return list(starts)
    if count == 1:
        return starts[:1]
    step = (len(starts) - 1) / (count - 1)
    return [starts[round(index * step)] for index in range(count)]


def spoken(moment: datetime) -> str:
    """As the built-in calendar says it: "today at 3:00 PM", "Tuesday, March 3 at 3:00 PM"."""
    local = moment.astimezone(ZONE)
    clock = f"{local.hour % 12 or 12}:{local:%M} {local:%p}"
    today = NOW.astimezone(ZONE).date()
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{local:%A}, {local:%B} {local.day} at {clock}"


@dataclass
class FakeTools:
    """Every conversation tool, in memory, for Bright Smiles Dental."""

    caller: str = CALLER
    now: datetime = NOW
    slot_minutes: int = 60
    departments: dict[str, str] = field(default_factory=lambda: {"billing": "+15559870001"})
    transfer_number: str | None = "+15559870009"
    knowledge: list[KnowledgeDoc] = field(default_factory=lambda: list(KNOWLEDGE))
    appointments: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Starts that someone else books between the offer and the caller's yes.
    snatched: set[str] = field(default_factory=set)
    messages: list[dict[str, Any]] = field(default_factory=list)
    leads: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)
    ended: bool = False

    def add_appointment(
        self, start: datetime, name: str, phone: str = CALLER, service: str | None = None
    ) -> str:
        appointment_id = f"a-{len(self.appointments) + 1}"
        end = start + timedelta(minutes=self.slot_minutes)
        self.appointments[appointment_id] = {
            "start": start, "end": end, "name": name, "phone": phone, "service": service,
        }  # fmt: skip
        return appointment_id

    def named(self, name: str) -> list[ToolCall]:
        return [call for call in self.calls if call.name == name]

    # --- the calendar ----------------------------------------------------------------------

    def _day_slots(self, day: date) -> list[datetime]:
        starts = []
        for opens, closes in HOURS.get(_WEEKDAYS[day.weekday()], []):
            moment = datetime.combine(day, time.fromisoformat(opens), ZONE)
            end_of_day = datetime.combine(day, time.fromisoformat(closes), ZONE)
            while moment + timedelta(minutes=self.slot_minutes) <= end_of_day:
                starts.append(moment)
                moment += timedelta(minutes=self.slot_minutes)
        return starts

    def _free(self, start: datetime, ignore: str | None = None) -> bool:
        end = start + timedelta(minutes=self.slot_minutes)
        return start > self.now and not any(
            key != ignore and item["start"] < end and start < item["end"]
            for key, item in self.appointments.items()
        )

    def _check(self, args: contract.CheckAvailability) -> contract.CheckAvailabilityResult:
        """Like the built-in calendar: start times within [earliest, latest], spread over each day."""
        today = self.now.astimezone(ZONE).date()
        days = (
            [date.fromisoformat(args.date)] if args.date else [today + timedelta(days=n) for n in range(30)]
        )
        earliest = time.fromisoformat(args.earliest) if args.earliest else time.min
        latest = time.fromisoformat(args.latest) if args.latest else time.max
        wanted = max(1, min(args.limit, MAX_OFFERED))
        chosen: list[datetime] = []
        for day in days:
            free = [
                start
                for start in self._day_slots(day)
                if earliest <= start.time() <= latest and self._free(start)
            ]
            chosen += spread(free, wanted - len(chosen))
            if len(chosen) == wanted:
                break
        return contract.CheckAvailabilityResult(
            slots=[
                contract.SlotOption(
                    start=start.isoformat(),
                    end=(start + timedelta(minutes=self.slot_minutes)).isoformat(),
                    spoken=spoken(start),
                )
                for start in chosen
            ]
        )

    def _claim(self, start_text: str, ignore: str | None = None) -> tuple[datetime | None, str | None]:
        try:
            start = datetime.fromisoformat(start_text).astimezone(ZONE)
        except ValueError:
            return None, "invalid_time"
        if start <= self.now:
            return None, "in_past"
        if start not in self._day_slots(start.date()):
            return None, "outside_hours"
        if start_text in self.snatched or not self._free(start, ignore):
            return None, "slot_taken"
        return start, None

    def _book(self, args: contract.BookAppointment) -> contract.AppointmentResult:
        start, error = self._claim(args.start)
        if start is None:
            return contract.AppointmentResult(ok=False, error=error)
        appointment_id = self.add_appointment(start, args.name, args.phone or self.caller, args.service)
        item = self.appointments[appointment_id]
        return contract.AppointmentResult(
            ok=True, appointment_id=appointment_id, start=start.isoformat(), end=item["end"].isoformat(),
            spoken=spoken(start),
        )  # fmt: skip

    def _find(self, args: contract.FindAppointments) -> contract.FindAppointmentsResult:
        phone = args.phone or self.caller
        mine = sorted(
            (key, item)
            for key, item in self.appointments.items()
            if item["phone"] == phone and item["start"] > self.now
        )
        return contract.FindAppointmentsResult(
            appointments=[
                contract.AppointmentInfo(
                    appointment_id=key,
                    start=item["start"].isoformat(),
                    spoken=spoken(item["start"]),
                    service=item["service"],
                )
                for key, item in mine
            ]
        )

    def _reschedule(self, args: contract.RescheduleAppointment) -> contract.AppointmentResult:
        if args.appointment_id not in self.appointments:
            return contract.AppointmentResult(ok=False, error="not_found")
        start, error = self._claim(args.start, ignore=args.appointment_id)
        if start is None:
            return contract.AppointmentResult(ok=False, error=error)
        item = self.appointments[args.appointment_id]
        item["start"], item["end"] = start, start + timedelta(minutes=self.slot_minutes)
        return contract.AppointmentResult(
            ok=True, appointment_id=args.appointment_id, start=start.isoformat(), end=item["end"].isoformat(),
            spoken=spoken(start),
        )  # fmt: skip

    def _cancel(self, args: contract.CancelAppointment) -> contract.AppointmentResult:
        item = self.appointments.pop(args.appointment_id, None)
        if item is None:
            return contract.AppointmentResult(ok=False, error="not_found")
        return contract.AppointmentResult(
            ok=True, appointment_id=args.appointment_id, start=item["start"].isoformat()
        )

    # --- everything else -------------------------------------------------------------------

    def _answer(self, args: contract.AnswerQuestion) -> contract.AnswerQuestionResult:
        hits = rank(args.question, self.knowledge)
        return contract.AnswerQuestionResult(
            hits=[
                contract.KnowledgeHit(question=doc.question, answer=doc.answer, score=score)
                for doc, score in hits
            ]
        )

    def _message(self, args: contract.TakeMessage) -> contract.RecordResult:
        self.messages.append(
            msgspec.structs.asdict(args) | {"callback_number": args.callback_number or self.caller}
        )
        return contract.RecordResult(ok=True, id=f"m-{len(self.messages)}")

    def _lead(self, args: contract.CaptureLead) -> contract.RecordResult:
        self.leads.append(msgspec.structs.asdict(args))
        return contract.RecordResult(ok=True, id=f"l-{len(self.leads)}")

    def _transfer(self, args: contract.TransferCall) -> contract.TransferResult:
        if args.department is not None:
            target = self.departments.get(args.department.lower())
            if target is None:
                return contract.TransferResult(ok=False, error="unknown_department")
        elif self.transfer_number is None:
            return contract.TransferResult(ok=False, error="no_transfer_number")
        else:
            target = self.transfer_number
        self.transfers.append({"department": args.department, "target": target})
        return contract.TransferResult(ok=True, department=args.department, target=target)

    def _end(self, args: contract.EndCall) -> contract.DoneResult:
        self.ended = True
        return contract.DoneResult(ok=True)

    def _sms(self, args: contract.SendSms) -> contract.DoneResult:
        self.texts.append(args.text)
        return contract.DoneResult(ok=True)

    def run(self, call: ToolCall) -> msgspec.Struct:
        """Validate the arguments against the tool's Struct, as the host does, and run it."""
        args = msgspec.convert(call.arguments, contract.TOOL_ARGS[call.name])
        self.calls.append(call)
        handlers: dict[str, Callable[[Any], msgspec.Struct]] = {
            "answer_question": self._answer,
            "check_availability": self._check,
            "book_appointment": self._book,
            "find_appointments": self._find,
            "reschedule_appointment": self._reschedule,
            "cancel_appointment": self._cancel,
            "take_message": self._message,
            "capture_lead": self._lead,
            "transfer_call": self._transfer,
            "end_call": self._end,
            "send_sms": self._sms,
        }
        return handlers[call.name](args)


@dataclass
class Conversation:
    replies: list[str]
    history: list[Message]
    tools: FakeTools

    @property
    def last(self) -> str:
        return self.replies[-1]


GREETING = "Thank you for calling Bright Smiles Dental. How can I help you today?"
MAX_ROUNDS = 4


def make_call(config: Config | None = None, **overrides: Any) -> CallContext:
    fields: dict[str, Any] = {
        "call_sid": "CA-offline",
        "tenant": TENANT,
        "caller": CALLER,
        "called": "+15559870000",
        "language": "en-US",
        "now": NOW,
        "plugin_configs": {"offline_model": config or Config()},
    }
    return CallContext(**(fields | overrides))


async def converse(
    lines: list[str], tools: FakeTools | None = None, call: CallContext | None = None
) -> Conversation:
    """Play ``lines`` as the caller through the host's loop; stops when the call is ended."""
    tools = tools or FakeTools()
    call = call or make_call()
    model = OfflineLLM()
    history = [Message(role="assistant", content=GREETING)]
    replies: list[str] = []
    for line in lines:
        if tools.ended:
            break
        history.append(Message(role="user", content=line))
        for _ in range(MAX_ROUNDS):
            text, asked = "", []
            async for item in model.respond(call, list(history), contract.tool_specs()):
                if isinstance(item, TextDelta):
                    text += item.text
                else:
                    asked.append(item)
            history.append(Message(role="assistant", content=text, tool_calls=asked))
            if not asked:
                replies.append(text)
                break
            for request in asked:
                result = tools.run(request)
                history.append(
                    Message(
                        role="tool", tool_call_id=request.id, content=msgspec.json.encode(result).decode()
                    )
                )
        else:
            pytest.fail(f"no spoken reply after {MAX_ROUNDS} rounds for {line!r}")
    return Conversation(replies, history, tools)

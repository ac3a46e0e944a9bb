"""Running the conversation tools for one call of one tenant: what a model asks for, done for real."""

from __future__ import annotations

from typing import Any

import msgspec
import structlog

from core.context import RouteDecision, Turn
from core.conversation import tools as t
from core.conversation.leads import capture_lead
from core.conversation.workflows import knowledge_docs
from core.knowledge.search import rank
from core.messages.models import Message
from core.plugins.calling import call_first
from core.providers import Workflow
from core.telephony.session import CallSession

log = structlog.get_logger(__name__)


class TurnEffects(msgspec.Struct, kw_only=True):
    """What the tools changed this turn; the call path turns it into TwiML and outcomes."""

    transfer: t.TransferResult | None = None
    # Why the transfer is made, when a tool decided it rather than the caller ("hot_lead").
    transfer_reason: str | None = None
    end_call: bool = False
    # What the host learnt of the caller's turn: its mood (-1..1) and a language switched to.
    sentiment: float | None = None
    language: str | None = None


class CallToolExecutor:
    """Callable the engine uses: ``await executor(name, arguments) -> result Struct``."""

    def __init__(
        self,
        session: CallSession,
        calendar: Any = None,
        *,
        can_text: bool = False,
        workflow: Workflow | None = None,
    ) -> None:
        self.session = session
        self.calendar = calendar  # core.scheduling tools adapter, when the tenant has a calendar
        self.can_text = can_text  # a voice call with Twilio credentials can be sent texts
        self.workflow = workflow  # the tenant's industry workflow: scores and routes its leads
        self.effects = TurnEffects()

    async def __call__(self, name: str, arguments: dict[str, Any]) -> msgspec.Struct:
        args_type = t.TOOL_ARGS.get(name)
        if args_type is None:
            return t.DoneResult(ok=False, error=f"unknown tool {name!r}")
        try:
            args = msgspec.convert(arguments, args_type)
        except msgspec.ValidationError as exc:
            return t.DoneResult(ok=False, error=f"invalid arguments: {exc}")
        try:
            return await getattr(self, f"_{name}")(args)
        except Exception as exc:  # a tool that breaks is reported to the model, which can recover
            log.warning("call.tool_failed", tool=name, error=repr(exc), call_sid=self.session.call.call_sid)
            return t.DoneResult(ok=False, error="the tool failed; apologise and offer to take a message")

    async def _answer_question(self, args: t.AnswerQuestion) -> t.AnswerQuestionResult:
        docs = await knowledge_docs(self.session.db, self.session.tenant.id, self.workflow)
        hits = [
            t.KnowledgeHit(question=doc.question, answer=doc.answer, score=round(score, 4))
            for doc, score in rank(args.question, docs, limit=3)
        ]
        return t.AnswerQuestionResult(hits=hits)

    async def _calendar_call(self, method: str, args: msgspec.Struct) -> msgspec.Struct:
        if self.calendar is None:
            return t.AppointmentResult(ok=False, error="no_calendar")
        return await getattr(self.calendar, method)(args)

    async def _check_availability(self, args: t.CheckAvailability) -> msgspec.Struct:
        if self.calendar is None:
            return t.CheckAvailabilityResult(slots=[])
        return await self.calendar.check_availability(args)

    async def _book_appointment(self, args: t.BookAppointment) -> msgspec.Struct:
        result = await self._calendar_call("book", args)
        if isinstance(result, t.AppointmentResult) and result.ok and result.appointment_id:
            self.session.call.appointment_id = result.appointment_id
            if self.can_text:
                what = args.service or "appointment"
                self.session.pending_texts.append(
                    f"{self.session.tenant.name}: your {what} is booked for {result.spoken}. "
                    f"To change it, call or text {self.session.call.to_number}."
                )
            await self.session.event(
                "appointment.booked",
                {"appointment_id": result.appointment_id, "start": result.start, "name": args.name},
            )
        return result

    async def _find_appointments(self, args: t.FindAppointments) -> msgspec.Struct:
        if self.calendar is None:
            return t.FindAppointmentsResult(appointments=[])
        return await self.calendar.find(args)

    async def _reschedule_appointment(self, args: t.RescheduleAppointment) -> msgspec.Struct:
        result = await self._calendar_call("reschedule", args)
        if isinstance(result, t.AppointmentResult) and result.ok:
            self.session.call.appointment_id = args.appointment_id
            await self.session.event(
                "appointment.rescheduled", {"appointment_id": args.appointment_id, "start": result.start}
            )
        return result

    async def _cancel_appointment(self, args: t.CancelAppointment) -> msgspec.Struct:
        result = await self._calendar_call("cancel", args)
        if isinstance(result, t.AppointmentResult) and result.ok:
            await self.session.event("appointment.cancelled", {"appointment_id": args.appointment_id})
        return result

    async def _take_message(self, args: t.TakeMessage) -> t.RecordResult:
        call = self.session.call
        message = Message(
            tenant_id=call.tenant_id,
            call_id=call.id,
            kind="message",
            caller_name=args.name,
            callback_number=args.callback_number or call.from_number,
            body=args.message,
        )
        self.session.db.add(message)
        await self.session.db.flush()
        call.message_id = message.id
        await self.session.event(
            "message.taken",
            {"message_id": message.id, "name": args.name, "callback_number": message.callback_number},
        )
        return t.RecordResult(ok=True, id=message.id)

    async def _capture_lead(self, args: t.CaptureLead) -> t.LeadResult:
        return await capture_lead(self, self.workflow, args)

    async def _transfer_call(self, args: t.TransferCall) -> t.TransferResult:
        """The routing plugins decide where a person is, and whether anyone is there now."""
        wanted = Turn(
            number=self.session.call.turn_count,
            text=" ".join(filter(None, [args.department, args.reason])),
            intent="talk_to_person",
        )
        decision = await call_first(
            self.session.hooks.caller("route_call"),
            timeout=self.session.hook_timeout,
            call=self.session.context,
            turn=wanted,
        )
        if isinstance(decision, RouteDecision) and decision.action == "transfer" and decision.target:
            result = t.TransferResult(ok=True, department=args.department, target=decision.target)
            self.effects.transfer = result
            return result
        reason = (
            decision.reason
            if isinstance(decision, RouteDecision) and decision.reason
            else "no_transfer_number"
        )
        return t.TransferResult(ok=False, department=args.department, error=reason)

    async def _end_call(self, args: t.EndCall) -> t.DoneResult:
        self.effects.end_call = True
        return t.DoneResult(ok=True)

    async def _send_sms(self, args: t.SendSms) -> t.DoneResult:
        if not self.can_text:
            return t.DoneResult(ok=False, error="sms_unavailable")
        self.session.pending_texts.append(args.text)
        return t.DoneResult(ok=True)

"""Capturing a lead: stored on the call, scored and routed by the tenant's workflow, handed on by the host.

Each ``capture_lead`` merges what the model learned into the call's one lead and asks the
workflow to assess it. The first time the assessment names routes, the host hands the lead on:
it tries them in order and takes the first that works (a transfer the routing plugin allows or a
number to dial, a text to a number when the tenant can send texts, today's free slots, a booking
when there is a calendar, else a message), and stores the route taken in ``fields["route"]``.
Later captures update the fields and the score; a lead is handed on once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import msgspec

from core.conversation import tools as t
from core.leads.models import Lead
from core.providers import LeadAssessment, LeadRoute, Workflow
from core.telephony.sms_sender import OutgoingText

if TYPE_CHECKING:
    from core.conversation.executor import CallToolExecutor

ROUTE_FIELD = "route"
SAME_DAY_SLOTS = 3


class Handoff(msgspec.Struct, kw_only=True):
    """The route a lead took, with what came of it: who was dialled or texted, which slots are free."""

    route: LeadRoute
    target: str | None = None
    slots: list[t.SlotOption] = []

    def stored(self) -> dict[str, Any]:
        """The route as kept in the lead's fields (and so in the API and webhooks)."""
        values = {
            "action": self.route.action,
            "reason": self.route.reason,
            "department": self.route.department,
            "target": self.target,
            "service": self.route.service,
        }
        return {key: value for key, value in values.items() if value}


async def capture_lead(
    executor: CallToolExecutor, workflow: Workflow | None, args: t.CaptureLead
) -> t.LeadResult:
    session = executor.session
    call = session.call
    lead = await session.db.get(Lead, call.lead_id) if call.lead_id else None
    known = dict(lead.fields) if lead else {}
    route = known.pop(ROUTE_FIELD, None)  # only the host sets it
    fields = {**known, **{key: value for key, value in args.fields.items() if key != ROUTE_FIELD}}
    intent = args.intent or (lead.intent if lead else None)
    name = args.name or (lead.name if lead else None)
    phone = args.phone or (lead.phone if lead else None) or call.from_number
    assessment = workflow.assess(session.context, intent, fields) if workflow is not None else None
    handoff: Handoff | None = None
    if assessment is not None:
        fields = dict(assessment.fields)
        if assessment.routes and route is None:
            handoff = await _hand_off(executor, assessment, name, phone)
            route = handoff.stored() if handoff else None
    if route is not None:
        fields[ROUTE_FIELD] = route
    score = assessment.score if assessment is not None else None
    if lead is None:
        lead = Lead(
            tenant_id=call.tenant_id,
            call_id=call.id,
            phone=phone,
            name=name,
            intent=intent,
            workflow=workflow.name if workflow is not None else session.tenant.industry,
            fields=fields,
            score=score,
        )
        session.db.add(lead)
        await session.db.flush()
        call.lead_id = lead.id
        await session.event("lead.created", {"lead_id": lead.id, "name": lead.name, "intent": lead.intent})
    else:
        lead.name, lead.phone, lead.intent, lead.fields = name, phone, intent, fields
        lead.score = score if score is not None else lead.score
    if assessment is None or workflow is None:
        return t.LeadResult(ok=True, id=lead.id)
    return _result(lead.id, workflow, assessment, handoff, handed_on=route is not None)


def _result(
    lead_id: str, workflow: Workflow, assessment: LeadAssessment, handoff: Handoff | None, *, handed_on: bool
) -> t.LeadResult:
    missing = [] if handed_on else list(assessment.missing)
    field = workflow.field(missing[0]) if missing else None
    result = t.LeadResult(
        ok=True,
        id=lead_id,
        score=assessment.score,
        hot=assessment.hot,
        emergency=assessment.emergency,
        missing=missing,
        ask=field.question if field is not None and field.question else None,
        instructions=assessment.instructions,
        summary=assessment.summary,
    )
    if handoff is not None:
        result.route = handoff.route.action
        result.who = handoff.route.who or None
        result.target = handoff.target
        result.service = handoff.route.service
        result.slots = handoff.slots
    return result


async def _hand_off(
    executor: CallToolExecutor, assessment: LeadAssessment, name: str | None, phone: str
) -> Handoff | None:
    for route in assessment.routes:
        handoff = await _take(executor, route, assessment, name, phone)
        if handoff is not None:
            return handoff
    return None


async def _take(
    executor: CallToolExecutor, route: LeadRoute, assessment: LeadAssessment, name: str | None, phone: str
) -> Handoff | None:
    """``route`` done, or None when it cannot be taken on this call."""
    session = executor.session
    if route.action == "transfer":
        if session.context.channel == "sms":
            return None  # a text thread cannot be put through to anyone
        if route.number:
            transfer = t.TransferResult(ok=True, department=route.department, target=route.number)
            executor.effects.transfer = transfer
        else:
            asked = {"department": route.department, "reason": route.reason}
            transfer = await executor("transfer_call", {key: value for key, value in asked.items() if value})
            if not (isinstance(transfer, t.TransferResult) and transfer.ok):
                return None
        executor.effects.transfer_reason = route.reason or None
        return Handoff(route=route, target=transfer.target)
    if route.action == "alert":
        if not route.number or not executor.can_text:
            return None
        body = alert_text(session.tenant.name, assessment, name, phone)
        session.pending_texts.append(OutgoingText(to=route.number, body=body))
        return Handoff(route=route, target=route.number)
    if route.action == "same_day":
        today = _local_today(session.context.tenant.timezone, session.now)
        wanted: dict[str, Any] = {"date": today, "limit": SAME_DAY_SLOTS}
        if route.service:
            wanted["service"] = route.service
        found = await executor("check_availability", wanted)
        slots = found.slots if isinstance(found, t.CheckAvailabilityResult) else []
        return Handoff(route=route, slots=slots) if slots else None
    if route.action == "book":
        return Handoff(route=route) if executor.calendar is not None else None
    return Handoff(route=route)


def alert_text(business: str, assessment: LeadAssessment, name: str | None, phone: str) -> str:
    """The text sent to a person about a lead nobody could take on the call."""
    if assessment.emergency:
        subject = f"emergency ({assessment.emergency.replace('_', ' ')})"
    else:
        subject = f"hot lead (score {assessment.score})"
    caller = f"{name}, {phone}" if name else phone
    details = f": {assessment.summary}" if assessment.summary else ""
    return f"{business}: {subject} from {caller}{details}. Please call back now."


def _local_today(timezone: str, now: datetime | None) -> str:
    moment = now or datetime.now(UTC)
    try:
        return moment.astimezone(ZoneInfo(timezone)).date().isoformat()
    except (ValueError, KeyError):
        return moment.date().isoformat()

"""Industry intake: the tenant's workflow (``call.workflow``) recognised, its questions asked, leads routed.

A request the workflow knows ("I want to refinance", "my basement is flooding") starts an intake:
``capture_lead`` runs at once with the intent and whatever the caller already said, and again
after each answer. The host scores the lead and decides where it goes each time
(``core.conversation.leads``); this module asks the first field the result says is missing, one
question at a time, and follows the route the result names: a transfer already under way, a person
already texted, today's slots to offer, a consultation to book, or a message to take.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core import WorkflowReading
from core.conversation.tools import LeadResult
from plugins.offline_model import booking, messages
from plugins.offline_model.dates import TimePreference
from plugins.offline_model.nlu import Understanding
from plugins.offline_model.speech import local
from plugins.offline_model.state import Offer, PlannedCall, Reply, read_result

if TYPE_CHECKING:
    from plugins.offline_model.dialogue import Dialogue, Handler, Outcomes, ResultHandler

# A workflow request this strong starts an intake even when asked as a question (emergencies).
URGENT_EVIDENCE = 5.0
# Weaker ones need at least this, and asked as a question ("what is a HELOC?") go to the knowledge base.
MIN_EVIDENCE = 2.0
_INFO_QUESTION = re.compile(r"^(what|how|why|which|who|is|are|does|do you know|tell me about)\b")
# Times a field is asked before the caller's "I don't know" is taken for it.
MAX_ASKS = 2


def read(dialogue: Dialogue, text: str) -> WorkflowReading | None:
    """The workflow's reading of the caller's words; what they say about the lead's fields is kept."""
    if dialogue.workflow is None:
        return None
    state = dialogue.state
    expecting = state.lead_field if state.awaiting == "lead_field" else None
    reading = dialogue.workflow.read(text, expecting)
    state.lead_fields.update(reading.fields)
    return reading


def recognise(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    """An intake, when the words ask for one of the workflow's intents more than for anything else."""
    reading = dialogue.reading
    if dialogue.workflow is None or reading is None or reading.intent is None:
        return None
    if reading.evidence < MIN_EVIDENCE or not dialogue.can("capture_lead"):
        return None
    if reading.evidence < URGENT_EVIDENCE:
        task, _ = utterance.task()
        if task != "unknown" and utterance.evidence(task) > reading.evidence:
            return None
        if _INFO_QUESTION.search(utterance.normalised):
            return None
    return start(dialogue, reading.intent)


def start(dialogue: Dialogue, intent: str) -> Reply:
    state = dialogue.state
    state.task, state.resume = "intake", None
    known = dialogue.workflow.intent(intent) if dialogue.workflow is not None else None
    if state.lead_intent != intent:
        state.lead_preface = known.acknowledgement if known is not None else ""
    state.lead_intent = intent
    return capture(dialogue)


def capture(dialogue: Dialogue) -> Reply:
    """``capture_lead`` with everything known; what the result says decides what is said next."""
    state = dialogue.state
    state.awaiting, state.lead_field = None, None
    arguments: dict[str, object] = {"intent": state.lead_intent, "fields": dict(state.lead_fields)}
    if state.name:
        arguments["name"] = state.name
        state.lead_named = True
    if state.callback:
        arguments["phone"] = state.callback
    state.lead_captured = True
    return Reply(calls=[PlannedCall(name="capture_lead", arguments=arguments)])


def name_update(dialogue: Dialogue) -> list[PlannedCall]:
    """The intake's lead again, once the caller's name is known (given for a booking or a message)."""
    state = dialogue.state
    if state.lead_named or not state.name or not dialogue.can("capture_lead"):
        return []
    state.lead_named = True
    arguments: dict[str, object] = {
        "name": state.name,
        "intent": state.lead_intent,
        "fields": dict(state.lead_fields),
    }
    if state.callback:
        arguments["phone"] = state.callback
    return [PlannedCall(name="capture_lead", arguments=arguments)]


def on_lead(dialogue: Dialogue, outcomes: Outcomes) -> Reply | None:
    """Follow the host's verdict on the lead; leads captured by other tasks need nothing said."""
    state = dialogue.state
    if state.task != "intake":
        return None
    result = read_result(outcomes[-1][1], LeadResult)
    if result is None or not result.ok:
        return messages.offer(dialogue, dialogue.say("lead_failed"), None)
    parts = []
    if result.instructions and not state.instructed:
        state.instructed = True
        parts.append(result.instructions)  # safety first
    parts.append(state.lead_preface)
    state.lead_preface = ""
    preface = " ".join(part for part in parts if part)
    who = result.who or dialogue.say("someone")
    if result.route == "transfer":
        state.task = state.awaiting = None
        state.completed.append("transfer")
        return Reply(text=_joined(preface, dialogue.say("lead_transferring", who=who)))
    if result.route == "alert":
        return dialogue.done(_joined(preface, dialogue.say("lead_alerted", who=who)), "lead_alert")
    if result.route == "same_day" and result.slots:
        return _offer_today(dialogue, result, preface)
    if result.route == "book":
        return _book(dialogue, result, preface)
    if result.route == "message":
        return _message(dialogue, result.summary, preface)
    return _ask_next(dialogue, result, preface)


def _ask_next(dialogue: Dialogue, result: LeadResult, preface: str) -> Reply:
    state = dialogue.state
    workflow = dialogue.workflow
    field = workflow.field(result.missing[0]) if workflow is not None and result.missing else None
    if field is None or not field.question:
        # Nothing the caller can be asked, and no route: someone will have to call back.
        return _message(dialogue, result.summary, preface)
    state.lead_field = field.name
    key = f"lead:{field.name}"
    state.asked[key] = state.asked.get(key, 0) + 1
    return dialogue.ask("lead_field", _joined(preface, field.question), field.question)


def answer(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    """The answer to a field's question: taken, or "I don't know" after asking twice."""
    state = dialogue.state
    name = state.lead_field
    if name is None or dialogue.reading is None:
        return None
    if name in dialogue.reading.fields:  # the words in ``heard`` already went into lead_fields
        return capture(dialogue)
    task, sure = utterance.task()
    if task != "unknown" and sure >= dialogue.config.confident and utterance.evidence(task) >= 2.0:
        return None  # another request ("where are you located?"); the question is asked again after
    key = f"lead:{name}"
    if state.asked.get(key, 0) >= MAX_ASKS:
        state.lead_fields[name] = None  # asked twice, not answered: the caller does not know
        return capture(dialogue)
    state.asked[key] = state.asked.get(key, 0) + 1
    return dialogue.misunderstood()


def answers_field(dialogue: Dialogue) -> bool:
    """Whether this turn answered the field just asked (so its words are not read as anything else)."""
    reading = dialogue.reading
    state = dialogue.state
    return (
        state.awaiting == "lead_field"
        and state.lead_field is not None
        and reading is not None
        and state.lead_field in reading.fields
    )


def _offer_today(dialogue: Dialogue, result: LeadResult, preface: str) -> Reply:
    state = dialogue.state
    state.task = "book"
    state.service = result.service or state.service
    state.offers = [Offer(start=slot.start, end=slot.end, spoken=slot.spoken) for slot in result.slots]
    state.refused, state.chosen, state.fallback_tried = [], None, False
    today = local(result.slots[0].start, dialogue.zone).date()
    # "Anything later?" looks later today, not on another day.
    booking.prefer(dialogue, TimePreference(first_day=today, last_day=today))
    return booking.offer_slots(dialogue, "same_day_slots", preface=preface)


def _book(dialogue: Dialogue, result: LeadResult, preface: str) -> Reply:
    state = dialogue.state
    service = result.service
    if service:
        state.service = service
    lead_in = dialogue.say("lead_book_service", service=service) if service else dialogue.say("lead_book")
    if not dialogue.config.offer_booking or not dialogue.can("check_availability", "book_appointment"):
        return _message(dialogue, result.summary, preface)
    state.task = "book"
    state.offers, state.refused, state.chosen, state.fallback_tried = [], [], None, False
    booking.prefer(dialogue, None)
    return booking.query(dialogue, preface=_joined(preface, lead_in))


def _message(dialogue: Dialogue, summary: str, preface: str) -> Reply:
    """Take a message with the lead's details for someone to call back."""
    state = dialogue.state
    if not dialogue.can("take_message"):
        return dialogue.follow_up(_joined(preface, dialogue.say("cannot_take_message")))
    state.task, state.resume, state.recipient = "message", None, None
    state.message = summary or state.lead_intent or None
    reply = messages.proceed(dialogue)
    return Reply(text=_joined(preface, dialogue.say("lead_message"), reply.text), calls=reply.calls)


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


AWAITING: dict[str, Handler] = {"lead_field": answer}

RESULTS: dict[str, ResultHandler] = {"capture_lead": on_lead}

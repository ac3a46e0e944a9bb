"""Questions and hand-offs: hours, address, services, the knowledge base, transfers, texts.

Hours, address, services and contact details come from the tenant's business identity; other
questions go to ``answer_question`` and the best hit is read out when it scores at least
``answer_threshold``, else the caller is offered a message with their question in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from core.conversation.tools import AnswerQuestionResult, DoneResult, TransferResult
from plugins.offline_model import booking, messages
from plugins.offline_model.nlu import Understanding, match_service
from plugins.offline_model.speech import (
    day_hours,
    hours_summary,
    join,
    open_status,
    phone_digits,
    service_words,
)
from plugins.offline_model.state import PlannedCall, Reply, read_result

if TYPE_CHECKING:
    from plugins.offline_model.dialogue import Dialogue, Handler, Outcomes, ResultHandler


def service_names(business: Mapping[str, Any]) -> list[str]:
    """The tenant's services, whether listed as names or as ``{"name": ..., ...}`` objects."""
    listed = business.get("services") or []
    names = []
    for service in [listed] if isinstance(listed, str) else listed:
        name = service.get("name") if isinstance(service, dict) else service
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def hours(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """Opening hours: of one day when a day was named, "open now" aware, else the whole week."""
    if not dialogue.hours:
        return knowledge(dialogue, utterance)
    dialogue.state.topic = "hours"
    today = dialogue.now.date()
    day = utterance.when.day if utterance.when else None
    status = open_status(dialogue.hours, dialogue.now, dialogue.language)
    if day is not None and day != today:
        text = day_hours(dialogue.hours, day, today, dialogue.language)
    elif day == today or dialogue.language.asks_now.search(utterance.normalised):
        text = status
    else:
        schedule = dialogue.say("hours", schedule=hours_summary(dialogue.hours, dialogue.language))
        text = f"{schedule} {status}"
    return dialogue.follow_up(text)


def location(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """The address, with an offer to text it."""
    address = dialogue.business.get("address")
    if not address:
        return knowledge(dialogue, utterance)
    text = dialogue.say("address", address=address)
    state = dialogue.state
    if dialogue.config.offer_sms and dialogue.can("send_sms") and dialogue.caller and state.resume is None:
        question = dialogue.say("offer_sms")
        return dialogue.ask("offer_sms", f"{text} {question}", question)
    return dialogue.follow_up(text)


def services(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """What the business offers, or whether it offers the one thing asked about."""
    state = dialogue.state
    offered = dialogue.services
    booking_possible = dialogue.config.offer_booking and dialogue.can("check_availability")
    if utterance.service:
        text = dialogue.say("service_yes", service=service_words(utterance.service, dialogue.language))
        if booking_possible and state.resume is None:
            return dialogue.ask(
                "offer_booking", f"{text} {dialogue.say('offer_booking')}", dialogue.say("offer_booking")
            )
        return dialogue.follow_up(text)
    specific = dialogue.language.specific_service.search(utterance.normalised)
    if specific and not match_service(specific["thing"], offered, dialogue.language):
        state.question_kind = "services"
        return knowledge(dialogue, utterance)
    if offered:
        listed = join(
            [service_words(name, dialogue.language) for name in offered],
            dialogue.language.conjunction_and,
            dialogue.language,
        )
        text = dialogue.say("services", services=listed)
        if booking_possible and state.resume is None:
            return dialogue.ask(
                "offer_booking", f"{text} {dialogue.say('offer_booking')}", dialogue.say("offer_booking")
            )
        return dialogue.follow_up(text)
    description = dialogue.business.get("description")
    if description:
        return dialogue.follow_up(str(description))
    return knowledge(dialogue, utterance)


def knowledge(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """Any other question: contact details from the business identity, else the knowledge base."""
    state = dialogue.state
    for topic, pattern in dialogue.language.contact_topics.items():
        value = dialogue.business.get(topic)
        if value and pattern.search(utterance.normalised):
            spoken = phone_digits(str(value)) if topic == "phone" else value
            return dialogue.follow_up(dialogue.say(f"contact_{topic}", value=spoken))
    state.question = utterance.text.strip()
    if not dialogue.can("answer_question"):
        return messages.offer(
            dialogue, dialogue.say("dont_know"), dialogue.say("question_note", question=state.question)
        )
    return dialogue.call_tools(PlannedCall(name="answer_question", arguments={"question": state.question}))


def on_answer(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    state = dialogue.state
    result = read_result(outcomes[-1][1], AnswerQuestionResult)
    hits = sorted(result.hits, key=lambda hit: hit.score, reverse=True) if result else []
    kind, state.question_kind = state.question_kind, None
    if hits and hits[0].score >= dialogue.config.answer_threshold:
        return dialogue.follow_up(hits[0].answer.strip())
    note = dialogue.say("question_note", question=state.question or "")
    if kind == "services" and dialogue.services:
        listed = join(
            [service_words(name, dialogue.language) for name in dialogue.services],
            dialogue.language.conjunction_and,
            dialogue.language,
        )
        return messages.offer(dialogue, dialogue.say("service_unknown", services=listed), note)
    return messages.offer(dialogue, dialogue.say("dont_know"), note)


def transfer(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """Hand the call to a person: the department asked for when the tenant has it, else the main line."""
    state = dialogue.state
    if not dialogue.can("transfer_call"):
        return messages.offer(dialogue, dialogue.say("cannot_transfer"), None)
    department = utterance.department
    configured = dialogue.config.departments
    if department is not None and configured and department not in configured:
        department = None
    state.task = "transfer"
    state.resume = None
    arguments = {"reason": dialogue.say("transfer_reason")}
    if department:
        arguments["department"] = department
    return dialogue.call_tools(PlannedCall(name="transfer_call", arguments=arguments))


def on_transfer(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    state = dialogue.state
    arguments, raw = outcomes[-1]
    result = read_result(raw, TransferResult)
    if result is not None and result.ok:
        state.task = None
        state.awaiting = None
        state.completed.append("transfer")
        department = result.department or arguments.get("department")
        if state.carry:
            return Reply(text=dialogue.say("hold"))
        if department:
            return Reply(text=dialogue.say("transferring_to", department=department))
        return Reply(text=dialogue.say("transferring"))
    if result is not None and result.error == "unknown_department" and arguments.get("department"):
        retry = {"reason": arguments.get("reason") or dialogue.say("transfer_reason")}
        return Reply(
            text=dialogue.say("no_such_department", department=arguments["department"]),
            calls=[PlannedCall(name="transfer_call", arguments=retry)],
        )
    return messages.offer(dialogue, dialogue.say("no_one_available"), None)


def _offer_sms(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    task, _ = utterance.task()
    if task == "unknown" and utterance.intent == "affirm":
        text = dialogue.say(
            "sms_address", business=dialogue.business_name, address=dialogue.business.get("address")
        )
        return dialogue.call_tools(PlannedCall(name="send_sms", arguments={"text": text}))
    if task == "unknown" and utterance.intent in ("deny", "thanks"):
        return dialogue.ask("anything_else", dialogue.say("no_problem_else"), dialogue.say("anything_else"))
    return None


def on_sms(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    result = read_result(outcomes[-1][1], DoneResult)
    return dialogue.follow_up(dialogue.say("sms_sent" if result is not None and result.ok else "sms_failed"))


def _offer_booking(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    task, _ = utterance.task()
    if task in ("unknown", "book_appointment") and (
        utterance.intent == "affirm" or utterance.when is not None
    ):
        return booking.start(dialogue, utterance)
    if task == "unknown" and utterance.intent == "deny":
        return dialogue.ask("anything_else", dialogue.say("no_problem_else"), dialogue.say("anything_else"))
    return None


AWAITING: dict[str, Handler] = {"offer_sms": _offer_sms, "offer_booking": _offer_booking}

RESULTS: dict[str, ResultHandler] = {
    "answer_question": on_answer,
    "transfer_call": on_transfer,
    "send_sms": on_sms,
}

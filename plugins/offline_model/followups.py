"""Answers to the receptionist's general questions: "did you mean...?", "your name?",
"anything else?", and the offer of a message or a person after repeated misunderstandings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.offline_model import booking, messages, questions
from plugins.offline_model.nlu import Understanding
from plugins.offline_model.state import Reply

if TYPE_CHECKING:
    from plugins.offline_model.dialogue import Dialogue, Handler


def _clarify(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    options = state.options
    original = dialogue.understand(state.clarified_text) if state.clarified_text else utterance
    if utterance.choice is not None and -len(options) <= utterance.choice < len(options):
        return dialogue.dispatch(options[utterance.choice], original)
    chosen, sure = utterance.best_of(options)
    if chosen != "unknown" and sure >= dialogue.config.min_confidence:
        return dialogue.dispatch(chosen, utterance if utterance.when else original)
    if utterance.intent == "affirm":
        return dialogue.dispatch(options[0], original)
    if utterance.intent == "deny":
        return dialogue.ask(None, dialogue.say("what_then"))
    return None


def _name(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    """The answer to "may I have your name?" (for a booking or a message)."""
    state = dialogue.state
    if utterance.name:
        state.name = utterance.name
        return dialogue.resume_task()
    task, sure = utterance.task()
    if state.task == "book" and state.chosen is not None and utterance.intent == "deny":
        return booking.slot_choice(dialogue, utterance) if state.offers else None
    if state.task == "book" and utterance.when is not None and state.offers:
        return booking.slot_choice(dialogue, utterance)
    if task != "unknown" and sure >= dialogue.config.confident:
        return None
    if state.asked.get("name", 0) >= 2:
        return dialogue.resume_task()
    # "Yes, that works" to "...is available. May I have your name to book it?": a yes, not a
    # failed name; ask for the name plainly rather than as if it was misheard.
    if task == "unknown" and utterance.intent == "affirm":
        key = "name_for_message" if state.task == "message" else "name_for_booking"
        if state.task in ("book", "message"):
            return dialogue.ask("name", dialogue.say(key))
    return dialogue.ask("name", dialogue.say("name_again"))


def _anything_else(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    task, _ = utterance.task()
    if task != "unknown":
        return None
    if utterance.intent in ("deny", "goodbye", "thanks") or utterance.evidence("deny") >= 3.0:
        return dialogue.close()
    if utterance.intent == "affirm":
        return dialogue.ask(None, dialogue.say("what_else"))
    return None


def _offer_help(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    task, _ = utterance.task()
    if task == "leave_message" or (task == "unknown" and utterance.intent == "affirm"):
        return messages.start(dialogue, utterance)
    if task == "talk_to_person":
        return questions.transfer(dialogue, utterance)
    if utterance.intent == "deny":
        return dialogue.ask("anything_else", dialogue.say("no_problem_else"), dialogue.say("anything_else"))
    return None


AWAITING: dict[str, Handler] = {
    "clarify": _clarify,
    "name": _name,
    "anything_else": _anything_else,
    "offer_help": _offer_help,
}

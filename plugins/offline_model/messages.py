"""Taking a message: the caller's name, the message, a callback number, then ``take_message``.

The callback number defaults to the number the caller is calling from, confirmed with them
("ending in 0 0 0 1, is that the best one?"); a withheld number means asking for one. A number
said at any point is the callback number; one said instead of the message ("you can reach me at
...") is not the message. A caller who hangs up on the way ("bye") still has a message that was
said passed on, with the number they called from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.conversation.tools import RecordResult
from plugins.offline_model.nlu import Understanding, message_recipient
from plugins.offline_model.numbers import strip_fillers, words_besides_numbers
from plugins.offline_model.speech import last_digits, phone_digits
from plugins.offline_model.state import PlannedCall, Reply, read_result

if TYPE_CHECKING:
    from plugins.offline_model.dialogue import Dialogue, Handler, Outcomes, ResultHandler


def offer(dialogue: Dialogue, preface: str, prefill: str | None) -> Reply:
    """Offer to take a message (``prefill`` is the message to take if the caller says yes)."""
    state = dialogue.state
    state.task = None
    state.resume = None
    if not dialogue.can("take_message"):
        return dialogue.ask(
            "anything_else", f"{preface} {dialogue.say('anything_else')}", dialogue.say("anything_else")
        )
    state.prefill = prefill
    question = dialogue.say("offer_message")
    return dialogue.ask("offer_message", f"{preface} {question}", question)


def start(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """The caller wants to leave a message."""
    state = dialogue.state
    if not dialogue.can("take_message"):
        return dialogue.follow_up(dialogue.say("cannot_take_message"))
    state.task = "message"
    state.resume = None
    state.message, state.prefill = state.prefill, None
    # "A message for Dr. Patel": who it is for goes with the message, whenever it comes.
    recipient = message_recipient(utterance.text, utterance.normalised, dialogue.language)
    state.recipient = recipient or state.recipient
    # "Can you tell Dr. Lee that I'll be late": the request is the message.
    if state.message is None and dialogue.language.message_content.search(utterance.normalised):
        state.message = utterance.text.strip()
    return proceed(dialogue)


def proceed(dialogue: Dialogue) -> Reply:
    """Ask for what the message still lacks, in order; take it once nothing does."""
    state = dialogue.state
    if state.name is None and state.asked.get("name", 0) < 2:
        return dialogue.ask("name", dialogue.say("message_name"))
    if state.message is None:
        first_name = (state.name or "").split(" ")[0]
        key = "message_body_name" if first_name else "message_body"
        return dialogue.ask("message_body", dialogue.say(key, name=first_name))
    if state.callback is None:
        if dialogue.caller is not None:
            return dialogue.ask(
                "confirm_number", dialogue.say("confirm_number", digits=last_digits(dialogue.caller))
            )
        return dialogue.ask("callback_number", dialogue.say("callback_number"))
    return _submit(dialogue)


def pending(dialogue: Dialogue) -> bool:
    """Whether a message has been said but not yet taken (so it is taken before a goodbye)."""
    state = dialogue.state
    return state.task == "message" and bool(state.message) and dialogue.can("take_message")


def take_before_goodbye(dialogue: Dialogue) -> Reply:
    """The caller is going with a message said: take it (to the number they called from unless
    they gave another), then say goodbye (``on_message``)."""
    state = dialogue.state
    state.leaving = True
    if state.callback is None:
        state.callback = dialogue.caller or ""
    return _submit(dialogue)


def _submit(dialogue: Dialogue) -> Reply:
    state = dialogue.state
    message = state.message or ""
    recipient = state.recipient
    if recipient and recipient.lower() not in message.lower():
        message = dialogue.say("message_for", recipient=recipient, message=message)
    arguments: dict[str, object] = {"message": message}
    if state.name:
        arguments["name"] = state.name
    if state.callback:
        arguments["callback_number"] = state.callback
    calls = [PlannedCall(name="take_message", arguments=arguments)]
    calls += dialogue.lead_calls("leave_message")
    return dialogue.call_tools(*calls)


def on_message(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    state = dialogue.state
    result = read_result(outcomes[-1][1], RecordResult)
    if result is None or not result.ok:
        state.task = None
        if state.leaving:
            return dialogue.close(dialogue.say("message_failed"))
        return dialogue.follow_up(dialogue.say("message_failed"))
    first_name = (state.name or "").split(" ")[0]
    number = state.callback or dialogue.caller
    text = dialogue.say("message_taken_name" if first_name else "message_taken", name=first_name)
    if number:
        text = f"{text} {dialogue.say('will_call_back', number=phone_digits(number))}"
    state.message = state.recipient = None
    if state.leaving:
        state.completed.append("message")
        state.task = None
        return dialogue.close(text)
    return dialogue.done(text, "message")


# --- answers ---------------------------------------------------------------------------------


def _message_body(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    """The answer to "what message would you like me to pass along?": whatever the caller says is
    the message, unless it only refuses ("no", "no message"; "never mind" is read before this) or
    only acknowledges ("yes", "sure"), which means the message is still to come."""
    state = dialogue.state
    body = strip_fillers(utterance.text, dialogue.language)
    words = len(utterance.normalised.split())
    task, _ = utterance.task()
    if task == "unknown" and (utterance.intent == "deny" or utterance.evidence("deny") >= 3.0) and words <= 3:
        state.task = state.recipient = None
        return dialogue.ask("anything_else", dialogue.say("no_message"), dialogue.say("anything_else"))
    if not body or dialogue.language.acknowledgement.match(utterance.normalised):
        if state.asked.get("message_body", 0) >= 3:
            state.task = state.recipient = None
            return dialogue.ask("anything_else", dialogue.say("no_message"), dialogue.say("anything_else"))
        return dialogue.ask("message_body", dialogue.say("message_go_ahead"))
    if utterance.phone:
        state.callback = utterance.phone
        if _only_a_number(utterance, dialogue):
            return dialogue.ask(
                "message_body", f"{dialogue.say('got_number')} {dialogue.say('message_body')}"
            )
    state.message = body
    return proceed(dialogue)


def _only_a_number(utterance: Understanding, dialogue: Dialogue) -> bool:
    """Whether the words give a phone number and nothing else ("you can reach me at 555...")."""
    language = dialogue.language
    words = words_besides_numbers(language.callback_phrase.sub(" ", utterance.normalised), language)
    return len(words) <= 1 or bool(language.acknowledgement.match(" ".join(words)))


def _confirm_number(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    if utterance.phone:
        state.callback = utterance.phone
        return dialogue.resume_task()
    if utterance.intent == "affirm" or (
        utterance.evidence("affirm") >= 2.0 and utterance.evidence("deny") < 3.0
    ):
        state.callback = dialogue.caller
        return dialogue.resume_task()
    if utterance.intent == "deny" or utterance.evidence("deny") >= 3.0:
        return dialogue.ask("callback_number", dialogue.say("callback_other"))
    task, sure = utterance.task()
    if task != "unknown" and sure >= dialogue.config.confident:
        return None
    if state.task == "message" and state.message and len(utterance.normalised.split()) > 3:
        # Not an answer but more to pass on ("and tell her the x-rays are on their way").
        state.message = f"{_sentence(state.message)} {strip_fillers(utterance.text, dialogue.language)}"
        prompt = state.last_prompt
        return dialogue.ask("confirm_number", f"{dialogue.say('added_to_message')} {prompt}", prompt)
    return dialogue.misunderstood()


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _callback_number(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    if utterance.phone:
        state.callback = utterance.phone
        reply = dialogue.resume_task()
        state.carry = " ".join(part for part in (state.carry, dialogue.say("got_number")) if part)
        return reply
    if state.asked.get("callback_number", 0) >= 2:
        state.callback = dialogue.caller or ""
        return dialogue.resume_task()
    task, sure = utterance.task()
    if task != "unknown" and sure >= dialogue.config.confident:
        return None
    return dialogue.ask("callback_number", dialogue.say("callback_again"))


def _offer_message(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    task, _ = utterance.task()
    if task == "leave_message" or (task == "unknown" and utterance.intent == "affirm"):
        return start(dialogue, utterance)
    if utterance.intent == "deny" or (task == "unknown" and utterance.evidence("deny") >= 3.0):
        state.prefill = None
        return dialogue.ask("anything_else", dialogue.say("no_problem_else"), dialogue.say("anything_else"))
    return None


AWAITING: dict[str, Handler] = {
    "message_body": _message_body,
    "confirm_number": _confirm_number,
    "callback_number": _callback_number,
    "offer_message": _offer_message,
}

RESULTS: dict[str, ResultHandler] = {"take_message": on_message}

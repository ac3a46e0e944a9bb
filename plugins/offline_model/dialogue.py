"""The dialogue manager: what to do with each caller turn and each tool result.

A ``Dialogue`` is fed the conversation in order (``heard`` for caller turns, ``results`` for
tool results) and answers each with a ``Reply``: tools to run, or words to say. Tools are
always run before speaking, so a reply never announces what has not happened yet; words
decided alongside tools wait in ``state.carry`` until their results are in.

Each question the receptionist asks sets ``state.awaiting``; the next turn is read in its
light (a handler per awaited answer), and anything a handler cannot place goes to ``route``,
which acts on the caller's request like at the start of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core import CallContext, WorkflowReading
from plugins.offline_model import booking, changes, followups, intake, messages, questions
from plugins.offline_model.config import Config
from plugins.offline_model.lang import Language
from plugins.offline_model.nlu import ACTS, INFO_INTENTS, Understanding, understand
from plugins.offline_model.numbers import phone_number
from plugins.offline_model.speech import say
from plugins.offline_model.state import PlannedCall, Reply, State

Handler = Callable[["Dialogue", Understanding], Reply | None]
# Tool results of one round, grouped by tool: [(arguments, result or None if unreadable), ...].
Outcomes = list[tuple[dict[str, Any], dict[str, Any] | None]]
ResultHandler = Callable[["Dialogue", Outcomes], Reply | None]

_EXPECTS_TIME = frozenset({"slot_choice", "preference", "which_appointment"})
_EXPECTS_NAME = frozenset({"name"})
# Requests answered right away, which may come in the middle of another task.
_SIDE_INTENTS = frozenset({"ask_hours", "ask_location", "ask_services", "ask_price", "ask_question"})
# The action each request leads to, where several share one (a price is a knowledge-base question).
_ACTIONS = {"ask_price": "ask_question"}


class Dialogue:
    def __init__(
        self, call: CallContext, config: Config, language: Language, tools: frozenset[str], now: datetime
    ) -> None:
        self.call = call
        self.config = config
        self.language = language
        self.tools = tools
        try:
            self.zone = ZoneInfo(call.tenant.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = ZoneInfo("UTC")
        self.now = now.astimezone(self.zone)
        self.business = call.tenant.business
        hours = self.business.get("hours")
        self.hours: Mapping[str, Any] | None = hours if isinstance(hours, Mapping) and hours else None
        self.services = questions.service_names(self.business)
        self.business_name = str(self.business.get("name") or call.tenant.name)
        # The caller's number when it is one (withheld numbers are not): callbacks default to it.
        self.caller = phone_number(call.caller, language)
        # The tenant's industry workflow, and what it made of the caller's latest words.
        self.workflow = call.workflow
        self.reading: WorkflowReading | None = None
        self.state = State()
        self._missed = False

    # --- events ------------------------------------------------------------------------

    def heard(self, text: str) -> Reply:
        """The caller said ``text``."""
        state = self.state
        state.turn += 1
        state.carry = ""
        if state.awaiting != "offer_message":
            state.prefill = None  # an offered message is only taken if the offer is accepted right away
        self._missed = False
        utterance = self.understand(text)
        self.reading = intake.read(self, text)
        if state.ended:
            return self.close()
        # "I'm self-employed" answers a question; it does not name the caller.
        if (
            utterance.name
            and state.awaiting not in ("message_body", "name")
            and not intake.answers_field(self)
        ):
            state.name = state.name or utterance.name
        if utterance.service:
            state.service = utterance.service
        reply = self._wrap_up(utterance) or self._interrupt(utterance)
        if reply is None:
            handler = AWAITING.get(state.awaiting or "")
            reply = handler(self, utterance) if handler else None
        if reply is None:
            reply = self.route(utterance)
        if not self._missed:
            state.misunderstood = 0
        return self.finish(reply)

    def results(self, outcomes: list[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> Reply:
        """The tools asked for last round ran; ``outcomes`` are (name, arguments, result)."""
        texts: list[str] = []
        calls: list[PlannedCall] = []
        grouped: dict[str, Outcomes] = {}
        for name, arguments, result in outcomes:
            grouped.setdefault(name, []).append((arguments, result))
        for name, group in grouped.items():
            handler = RESULTS.get(name)
            reply = handler(self, group) if handler else None
            if reply is not None:
                texts.append(reply.text)
                calls.extend(reply.calls)
        return self.finish(Reply(text=" ".join(text for text in texts if text), calls=calls))

    def observe_said(self, text: str) -> None:
        """The assistant said ``text`` (as recorded in the history)."""
        if text.strip():
            self.state.last_said = text.strip()

    def observe_calls(self, names: list[str]) -> None:
        """The assistant asked for these tools (as recorded in the history)."""
        if "capture_lead" in names:
            self.state.lead_captured = True

    # --- building replies --------------------------------------------------------------

    def understand(self, text: str) -> Understanding:
        awaiting = self.state.awaiting or ""
        return understand(
            text,
            self.language,
            self.now,
            hours=self.hours,
            services=self.services,
            departments=self.config.departments,
            expect_time=awaiting in _EXPECTS_TIME,
            expect_name=awaiting in _EXPECTS_NAME,
        )

    def say(self, key: str, **values: Any) -> str:
        return say(self.language, key, **values)

    def can(self, *tools: str) -> bool:
        return all(tool in self.tools for tool in tools)

    def ask(self, awaiting: str | None, text: str, prompt: str | None = None) -> Reply:
        """Say ``text`` and read the next turn as the answer to ``awaiting``."""
        self.state.awaiting = awaiting
        self.state.last_prompt = prompt if prompt is not None else text
        self.state.asked[awaiting or ""] = self.state.asked.get(awaiting or "", 0) + 1
        return Reply(text=text)

    def call_tools(self, *calls: PlannedCall) -> Reply:
        """Run tools; what they answer decides what is asked next."""
        self.state.awaiting = None
        return Reply(calls=list(calls))

    def finish(self, reply: Reply) -> Reply:
        """Hold words back while tools run; say them, with anything held, once none are left."""
        state = self.state
        if reply.calls:
            state.carry = " ".join(part for part in (state.carry, reply.text) if part)
            return Reply(calls=reply.calls)
        text = " ".join(part for part in (state.carry, reply.text) if part)
        state.carry = ""
        if not text:
            text = state.last_prompt or self.say("how_can_i_help")
        return Reply(text=text)

    def follow_up(self, text: str) -> Reply:
        """An answer, then back to the question it interrupted, or "anything else?"."""
        state = self.state
        if state.resume is not None:
            awaiting, prompt = state.resume
            state.resume = None
            return self.ask(awaiting, f"{text} {prompt}", prompt)
        state.task = None
        return self.ask("anything_else", f"{text} {self.say('anything_else')}", self.say("anything_else"))

    def resume_task(self) -> Reply:
        """Carry on with the task under way once a slot it needed (a name, a number) is filled."""
        if self.state.task in ("book", "reschedule", "cancel"):
            return booking.proceed(self)
        if self.state.task == "message":
            return messages.proceed(self)
        if self.state.task == "intake":
            return intake.capture(self)
        return self.ask(None, self.say("how_can_i_help"))

    def lead_calls(self, intent: str) -> list[PlannedCall]:
        """``capture_lead`` once per call, as soon as the caller's name goes with a request."""
        state = self.state
        if state.lead_intent is not None:
            return intake.name_update(self)  # the intake's lead, now with the caller's name
        if state.lead_captured or not state.name or not self.can("capture_lead"):
            return []
        state.lead_captured = True
        lead: dict[str, Any] = {"name": state.name, "intent": intent}
        if state.callback:
            lead["phone"] = state.callback
        fields = {**state.lead_fields, **({"service": state.service} if state.service else {})}
        if fields:
            lead["fields"] = fields
        return [PlannedCall(name="capture_lead", arguments=lead)]

    def done(self, text: str, outcome: str) -> Reply:
        """A task completed: say so and ask whether there is anything else."""
        self.state.completed.append(outcome)
        self.state.task = None
        self.state.resume = None
        return self.follow_up(text)

    def close(self, preface: str = "") -> Reply:
        """Say goodbye and end the call (the words are spoken after ``end_call`` ran); a message the
        caller had said is taken first."""
        state = self.state
        if not state.ended and not state.leaving and messages.pending(self):
            return messages.take_before_goodbye(self)
        if state.ended:
            farewell = self.say("goodbye_again")
        else:
            farewell = self.say("goodbye", business=self.business_name)
            if state.booked_spoken:
                farewell = f"{self.say('see_you', when=state.booked_spoken)} {farewell}"
        state.awaiting = None
        text = " ".join(part for part in (preface, farewell) if part)
        if not self.can("end_call"):
            return Reply(text=text)
        return Reply(
            text=text, calls=[PlannedCall(name="end_call", arguments={"reason": "conversation finished"})]
        )

    def misunderstood(self) -> Reply:
        """The turn made no sense here: ask again, offer help after a few, hang up after many."""
        state = self.state
        self._missed = True
        state.misunderstood += 1
        limit = self.config.max_misunderstandings
        if state.misunderstood >= 2 * limit:
            return self.close(self.say("giving_up"))
        if state.misunderstood >= limit:
            return self.ask("offer_help", self.say("offer_help"))
        if state.awaiting and state.last_prompt:
            return self.ask(
                state.awaiting, f"{self.say('sorry_again')} {state.last_prompt}", state.last_prompt
            )
        key = "not_understood" if state.misunderstood == 1 else "not_understood_again"
        return self.ask(None, self.say(key, business=self.business_name))

    # --- reading a turn ----------------------------------------------------------------

    def _interrupt(self, utterance: Understanding) -> Reply | None:
        """What any turn can do, whatever was asked: repeat, goodbye, a person, thanks."""
        state = self.state
        words = len(utterance.normalised.split())
        if utterance.intent == "repeat" and utterance.confidence >= self.config.confident:
            self._missed = False
            return Reply(text=state.last_said or self.say("how_can_i_help"))
        in_message = state.awaiting == "message_body"
        task, task_sure = utterance.task()
        closing = utterance.evidence("goodbye") >= 3.0 and (task == "unknown" or task_sure < 0.5)
        if closing and (not in_message or words <= 4):
            return self.close()
        if self.language.abandon.search(utterance.normalised) and task_sure < self.config.confident:
            state.task, state.offers, state.resume = None, [], None
            return self.ask("anything_else", self.say("no_problem_else"), self.say("anything_else"))
        if task == "talk_to_person" and task_sure >= self.config.confident and not in_message:
            return questions.transfer(self, utterance)
        # "It's Dana, thanks" to "your name?", "thanks, I'm running late" as the message: an answer
        # with a thank-you in it is still the answer.
        answers = (
            (state.awaiting == "name" and utterance.name is not None)
            or (in_message and words > 3)
            or intake.answers_field(self)
        )
        if utterance.intent == "thanks" and task == "unknown" and not answers:
            if state.awaiting == "anything_else" or (state.awaiting is None and state.completed):
                return self.close()
            prompt = state.last_prompt if state.awaiting else self.say("anything_else")
            return self.ask(state.awaiting or "anything_else", f"{self.say('welcome')} {prompt}", prompt)
        return None

    def _wrap_up(self, utterance: Understanding) -> Reply | None:
        """The bound on turns: offer a message once, then end the call politely."""
        state = self.state
        limit = self.config.max_turns
        if state.turn > limit + 8:
            return self.close(self.say("out_of_time"))
        busy = state.task is not None and state.turn < limit + 4
        if state.turn < limit or busy:
            return None
        if not state.wrap_up_offered:
            state.wrap_up_offered = True
            state.task = None
            return self.ask("final_offer", self.say("wrap_up_offer"))
        if state.awaiting == "final_offer":
            if utterance.evidence("affirm") >= 2.0 or utterance.task()[0] == "leave_message":
                state.awaiting = None
                return messages.start(self, utterance)
            return self.close()
        if state.task is None:
            return self.close(self.say("out_of_time"))
        return None

    def route(self, utterance: Understanding) -> Reply:
        """Act on the caller's request as if nothing else were under way."""
        task, sure = utterance.task()
        # "And on Saturday?" right after the hours: still about the hours, not a booking.
        follows_hours = utterance.when is not None or self.language.asks_now.search(utterance.normalised)
        if self.state.topic == "hours" and follows_hours and utterance.evidence("book_appointment") <= 1.0:
            return questions.hours(self, utterance)
        # A request of the tenant's workflow ("I want to refinance") outranks the general ones.
        wanted = intake.recognise(self, utterance)
        if wanted is not None:
            return wanted
        # Only a day or a time, no other request: the caller is saying when they want to come.
        other_requests = [name for name in utterance.raw if name != "book_appointment" and name not in ACTS]
        only_when = utterance.when is not None and utterance.evidence("book_appointment") <= 1.0
        if only_when and all(utterance.evidence(name) < 1.0 for name in other_requests):
            return self._no_request(utterance)
        if task == "unknown" or sure < self.config.min_confidence:
            return self._no_request(utterance)
        if sure < self.config.confident:
            return self.clarify(utterance, task)
        return self.dispatch(task, utterance)

    def dispatch(self, task: str, utterance: Understanding) -> Reply:
        state = self.state
        state.topic = None
        if task not in _SIDE_INTENTS:
            state.asked = {}  # a new request: its questions may be asked afresh
        if (
            task in _SIDE_INTENTS
            and state.task in ("book", "reschedule", "cancel", "message", "intake")
            and state.awaiting
        ):
            state.resume = (state.awaiting, state.last_prompt)
        else:
            state.resume = None
        if task == "book_appointment":
            return booking.start(self, utterance)
        if task == "reschedule_appointment":
            return changes.start(self, utterance, "reschedule")
        if task == "cancel_appointment":
            return changes.start(self, utterance, "cancel")
        if task == "leave_message":
            return messages.start(self, utterance)
        if task == "talk_to_person":
            return questions.transfer(self, utterance)
        if task == "ask_hours":
            return questions.hours(self, utterance)
        if task == "ask_location":
            return questions.location(self, utterance)
        if task == "ask_services":
            return questions.services(self, utterance)
        return questions.knowledge(self, utterance)

    def _no_request(self, utterance: Understanding) -> Reply:
        """No task in the turn: a greeting, a bare "yes", a name, a time... or nonsense."""
        state = self.state
        act = utterance.intent
        if utterance.when is not None and self.config.offer_booking:
            return booking.start(self, utterance)
        if act == "greet":
            return self.ask(None, self.say("hello"))
        if act in ("affirm", "deny") and state.awaiting in (None, "anything_else"):
            if act == "deny" and state.completed:
                return self.close()
            return self.ask(None, self.say("what_else" if act == "affirm" else "what_then"))
        if utterance.name and utterance.intent == "unknown" and len(utterance.normalised.split()) <= 6:
            return self.ask(None, self.say("hello_name", name=utterance.name.split()[0]))
        # Something asked that no pattern knows ("do you sell gift cards?"): the knowledge base might.
        if utterance.evidence("ask_question") > 0 or utterance.text.rstrip().endswith("?"):
            return questions.knowledge(self, utterance)
        return self.misunderstood()

    def clarify(self, utterance: Understanding, best: str) -> Reply:
        """Ask which of the two likeliest requests the caller meant."""
        state = self.state
        ranked = sorted(
            (name for name in self.language.intent_phrases if utterance.evidence(name) > 0),
            key=utterance.evidence,
            reverse=True,
        )
        # A runner-up worth asking about has real evidence of its own, not just a date said.
        runners = [
            name
            for name in ranked
            if name != best and utterance.evidence(name) >= max(1.0, 0.4 * utterance.evidence(best))
        ]
        options = [best, *runners[:1]]
        # Two requests that lead to the same action, or two questions: nothing to ask, just act.
        # (A single request said too weakly, "appointment", is still worth confirming.)
        actions = {_ACTIONS.get(option, option) for option in options}
        if len(options) > 1 and len(actions) == 1:
            return self.dispatch(actions.pop(), utterance)
        if len(options) > 1 and all(option in INFO_INTENTS for option in options):
            return self.dispatch("ask_question", utterance)
        state.options = options
        state.clarified_text = utterance.text
        phrases = [self.language.intent_phrases.get(option, option) for option in options]
        key = "clarify_two" if len(phrases) == 2 else "clarify_one"
        return self.ask("clarify", self.say(key, first=phrases[0], second=phrases[-1]))


AWAITING: dict[str, Handler] = {
    **followups.AWAITING,
    **booking.AWAITING,
    **changes.AWAITING,
    **messages.AWAITING,
    **questions.AWAITING,
    **intake.AWAITING,
}

RESULTS: dict[str, ResultHandler] = {
    "end_call": lambda dialogue, outcomes: _ended(dialogue),
    **booking.RESULTS,
    **changes.RESULTS,
    **messages.RESULTS,
    **questions.RESULTS,
    **intake.RESULTS,
}


def _ended(dialogue: Dialogue) -> Reply:
    dialogue.state.ended = True
    return Reply()

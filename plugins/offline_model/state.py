"""The dialogue's memory: slots filled so far, what was last asked, what is under way.

Nothing here outlives one call of ``respond``: the state is rebuilt by replaying the history,
so every field must follow from the caller's words and the tool results alone.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from plugins.offline_model.dates import TimePreference


class Offer(msgspec.Struct, kw_only=True, frozen=True):
    """A slot ``check_availability`` returned (start and end are ISO with the tenant's offset)."""

    start: str
    end: str
    spoken: str


class Appointment(msgspec.Struct, kw_only=True, frozen=True):
    """One of the caller's upcoming appointments, as ``find_appointments`` returned it."""

    appointment_id: str
    start: str
    spoken: str
    service: str | None = None


class PlannedCall(msgspec.Struct, kw_only=True, frozen=True):
    """A tool the dialogue wants run before it speaks again."""

    name: str
    arguments: dict[str, Any] = {}


class Reply(msgspec.Struct, kw_only=True):
    """What the dialogue does next: run tools (then speak after their results), or speak."""

    text: str = ""
    calls: list[PlannedCall] = []


ResultT = TypeVar("ResultT", bound=msgspec.Struct)


def read_result(result: dict[str, Any] | None, kind: type[ResultT]) -> ResultT | None:
    """A tool result as its Struct; None when the host sent something else (an error payload)."""
    if result is None:
        return None
    try:
        return msgspec.convert(result, kind)
    except msgspec.ValidationError:
        return None


class State(msgspec.Struct, kw_only=True):
    turn: int = 0  # caller turns so far
    misunderstood: int = 0  # caller turns in a row not understood
    # What the last question was about: its answer is read in that light.
    awaiting: str | None = None
    last_prompt: str = ""
    last_said: str = ""
    # A question of our own to come back to after a side question ("where are you?").
    resume: tuple[str, str] | None = None  # (awaiting, prompt)
    # The task under way: book | reschedule | cancel | message | transfer | question | intake.
    task: str | None = None
    options: list[str] = []  # intents offered in a clarifying question
    clarified_text: str = ""  # the utterance the clarifying question was about
    asked: dict[str, int] = {}  # how often each question was asked, so none loops forever
    # Slots.
    name: str | None = None
    callback: str | None = None
    service: str | None = None
    stated: TimePreference | None = None  # when the caller would like to come, all they said merged
    preference: TimePreference | None = None  # what is searched: the stated one, or next to offers
    mentioned_days: list[str] = []  # ISO dates said when asking to move or cancel
    query: str | None = None  # how the last availability query was asked (see booking.py)
    shift: str | None = None  # "earlier" while looking before the slots offered
    offers: list[Offer] = []
    refused: list[str] = []  # starts the caller turned down or that were taken
    chosen: Offer | None = None
    fallback_tried: bool = False
    appointments: list[Appointment] = []
    target: Appointment | None = None
    lookup_tried: bool = False
    message: str | None = None
    recipient: str | None = None  # who the message is for, when the caller said ("Dr. Patel")
    prefill: str | None = None  # the message to take if the caller accepts the offer of one
    question: str | None = None  # the question the knowledge base was asked
    topic: str | None = None  # what the last answer was about, for "and on Saturday?"
    question_kind: str | None = None  # "services" when it was about a service we may not offer
    # Industry intake (the tenant's workflow): the lead's intent, what the caller told, the field
    # asked, whether the lead has the caller's name, and what is still to be said once.
    lead_intent: str | None = None
    lead_fields: dict[str, Any] = {}
    lead_field: str | None = None
    lead_named: bool = False
    lead_preface: str = ""
    instructed: bool = False
    # Spoken text waiting for the tools of this round to finish.
    carry: str = ""
    # Facts.
    lead_captured: bool = False
    completed: list[str] = []
    booked_spoken: str | None = None
    wrap_up_offered: bool = False
    leaving: bool = False  # the caller is going: a message they had said is taken, then goodbye
    ended: bool = False

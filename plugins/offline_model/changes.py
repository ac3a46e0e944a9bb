"""Moving and cancelling: ``find_appointments``, agree which one, then change it.

Moving ends in booking.py's slot search and ``reschedule_appointment``; cancelling asks
"would you like me to cancel it?" before ``cancel_appointment``. Days the caller named
("move my Tuesday appointment to Friday") pick the appointment and the new day.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from core.conversation.tools import AppointmentResult, FindAppointmentsResult
from plugins.offline_model import booking, messages
from plugins.offline_model.dates import TimePreference, mentioned_days
from plugins.offline_model.nlu import Understanding
from plugins.offline_model.slots import matching
from plugins.offline_model.speech import join, local, slot_label
from plugins.offline_model.state import Appointment, PlannedCall, Reply, read_result

if TYPE_CHECKING:
    from plugins.offline_model.dialogue import Dialogue, Handler, Outcomes, ResultHandler

_TOOLS = {"reschedule": "reschedule_appointment", "cancel": "cancel_appointment"}


def start(dialogue: Dialogue, utterance: Understanding, kind: str) -> Reply:
    """The caller wants to move (``reschedule``) or ``cancel`` an appointment: find theirs."""
    state = dialogue.state
    if not dialogue.config.offer_booking or not dialogue.can("find_appointments", _TOOLS[kind]):
        return messages.offer(dialogue, dialogue.say("cannot_change"), dialogue.say(f"{kind}_note"))
    state.task = kind
    state.offers, state.refused, state.chosen, state.fallback_tried = [], [], None, False
    state.appointments, state.target, state.lookup_tried = [], None, False
    booking.prefer(dialogue, utterance.when if kind == "reschedule" else None)
    days = mentioned_days(utterance.text, dialogue.now, dialogue.language)
    state.mentioned_days = [day.isoformat() for day in days]
    if dialogue.caller is None:
        state.lookup_tried = True
        return dialogue.ask("lookup_phone", dialogue.say("which_number"))
    return dialogue.call_tools(PlannedCall(name="find_appointments", arguments={}))


def _label(dialogue: Dialogue, appointment: Appointment) -> str:
    return slot_label(appointment, dialogue.zone, dialogue.language)


def on_found(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    state = dialogue.state
    result = read_result(outcomes[-1][1], FindAppointmentsResult)
    state.appointments = [
        Appointment(
            appointment_id=item.appointment_id, start=item.start, spoken=item.spoken, service=item.service
        )
        for item in (result.appointments if result else [])
    ]
    if not state.appointments:
        if not state.lookup_tried:
            state.lookup_tried = True
            return dialogue.ask("lookup_phone", dialogue.say("no_appointment_found"))
        return messages.offer(dialogue, dialogue.say("still_not_found"), dialogue.say(f"{state.task}_note"))
    if len(state.appointments) == 1:
        return _target(dialogue, state.appointments[0])
    named = {date.fromisoformat(day) for day in state.mentioned_days}
    on_named = [item for item in state.appointments if local(item.start, dialogue.zone).date() in named]
    if len(on_named) == 1:
        return _target(dialogue, on_named[0])
    return _ask_which(dialogue)


def _listed(dialogue: Dialogue, conjunction: str) -> str:
    """The caller's appointments, said one after another ("Monday at 9 and Tuesday at 11")."""
    labels = [_label(dialogue, item) for item in dialogue.state.appointments]
    return join(labels, conjunction, dialogue.language)


def _ask_which(dialogue: Dialogue) -> Reply:
    state = dialogue.state
    listed = _listed(dialogue, dialogue.language.conjunction_and)
    action = dialogue.say(f"{state.task}_action")
    return dialogue.ask(
        "which_appointment", dialogue.say("which_appointment", appointments=listed, action=action)
    )


def _ask_which_to_move(dialogue: Dialogue, new_time: TimePreference) -> Reply:
    """Asked which appointment to move, the caller said when to instead: keep that for the search
    once the appointment is known, and ask again which one."""
    state = dialogue.state
    booking.prefer(dialogue, new_time)
    if new_time.first_day is not None:
        state.mentioned_days = [*state.mentioned_days, new_time.first_day.isoformat()]
    listed = _listed(dialogue, dialogue.language.conjunction_or)
    return dialogue.ask("which_appointment", dialogue.say("which_to_move", appointments=listed))


def _target(dialogue: Dialogue, appointment: Appointment) -> Reply:
    """The appointment to change is known: confirm a cancellation, or find the new time."""
    state = dialogue.state
    state.target = appointment
    label = _label(dialogue, appointment)
    if state.task == "cancel":
        return dialogue.ask("confirm_cancel", dialogue.say("confirm_cancel", when=label))
    # A day named that is the appointment's own identifies it; the new time is what is left.
    booked_day = local(appointment.start, dialogue.zone).date()
    other_days = [
        date.fromisoformat(day) for day in state.mentioned_days if date.fromisoformat(day) != booked_day
    ]
    preference = state.preference
    if preference is not None and preference.day == booked_day:
        new_day = other_days[-1] if other_days else None
        preference = TimePreference(
            first_day=new_day, last_day=new_day, earliest=preference.earliest, latest=preference.latest,
            exact=preference.exact, part=preference.part,
        )  # fmt: skip
    if preference is not None and preference.first_day is None and preference.has_time:
        preference = TimePreference(
            first_day=booked_day, last_day=booked_day, earliest=preference.earliest, latest=preference.latest,
            exact=preference.exact, part=preference.part,
        )  # fmt: skip
    if preference is not None and (preference.first_day is not None or preference.has_time):
        booking.prefer(dialogue, preference)
        return booking.query(dialogue, preface=dialogue.say("found_appointment", when=label))
    booking.prefer(dialogue, None)
    return dialogue.ask("preference", dialogue.say("move_to_when", when=label))


def _which_appointment(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    appointments = dialogue.state.appointments
    if utterance.choice is not None and -len(appointments) <= utterance.choice < len(appointments):
        return _target(dialogue, appointments[utterance.choice])
    if utterance.when is not None:
        matched = matching(appointments, utterance.when, dialogue.zone)
        if len(matched) == 1:
            return _target(dialogue, matched[0])
        if not matched and dialogue.state.task == "reschedule":
            return _ask_which_to_move(dialogue, utterance.when)
    if utterance.service:
        by_service = [item for item in appointments if item.service == utterance.service]
        if len(by_service) == 1:
            return _target(dialogue, by_service[0])
    task, sure = utterance.task()
    if (
        task not in ("unknown", "reschedule_appointment", "cancel_appointment")
        and sure >= dialogue.config.confident
    ):
        return None
    return dialogue.misunderstood()


def _confirm_cancel(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    task, _ = utterance.task()
    if state.target is not None and (utterance.intent == "affirm" or task == "cancel_appointment"):
        arguments = {"appointment_id": state.target.appointment_id}
        return dialogue.call_tools(PlannedCall(name="cancel_appointment", arguments=arguments))
    if utterance.intent == "deny" and task == "unknown":
        state.task, state.target = None, None
        return dialogue.follow_up(dialogue.say("kept"))
    return None


def _lookup_phone(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    if utterance.phone:
        state.lookup_tried = True
        return dialogue.call_tools(
            PlannedCall(name="find_appointments", arguments={"phone": utterance.phone})
        )
    task, sure = utterance.task()
    if utterance.intent == "deny" and task == "unknown":
        return messages.offer(dialogue, dialogue.say("no_problem"), dialogue.say(f"{state.task}_note"))
    if task != "unknown" and task != f"{state.task}_appointment" and sure >= dialogue.config.confident:
        return None
    if state.asked.get("lookup_phone", 0) >= 2:
        return messages.offer(dialogue, dialogue.say("still_not_found"), dialogue.say(f"{state.task}_note"))
    return dialogue.ask("lookup_phone", dialogue.say("callback_again"))


def on_cancelled(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    state = dialogue.state
    result = read_result(outcomes[-1][1], AppointmentResult)
    target = state.target
    state.target = None
    if result is None or not result.ok:
        return messages.offer(dialogue, dialogue.say("change_failed"), dialogue.say("cancel_note"))
    when = _label(dialogue, target) if target else ""
    return dialogue.done(dialogue.say("cancelled", when=when), "cancelled")


AWAITING: dict[str, Handler] = {
    "which_appointment": _which_appointment,
    "confirm_cancel": _confirm_cancel,
    "lookup_phone": _lookup_phone,
}

RESULTS: dict[str, ResultHandler] = {
    "find_appointments": on_found,
    "cancel_appointment": on_cancelled,
}

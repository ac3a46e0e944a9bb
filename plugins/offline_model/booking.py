"""Appointments: finding a time the caller likes and booking it (or moving one to it).

Preference -> ``check_availability`` -> up to ``slots_to_offer`` slots spoken -> the caller
picks one (or asks for another day, later, earlier...) -> name -> ``book_appointment``
(+ ``capture_lead`` once) -> the booked time confirmed. A taken slot offers the next ones.
Moving an appointment (see changes.py) ends here too, with ``reschedule_appointment``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from core.conversation.tools import AppointmentResult
from plugins.offline_model import hours as business_hours
from plugins.offline_model import messages
from plugins.offline_model.dates import TimePreference
from plugins.offline_model.nlu import Understanding
from plugins.offline_model.slots import in_window, matching, nearest, one_per_day, read_slots, spread
from plugins.offline_model.speech import describe, last_digits, local, offers_text, service_words, slot_label
from plugins.offline_model.state import Offer, PlannedCall, Reply, read_result

if TYPE_CHECKING:
    from plugins.offline_model.dialogue import Dialogue, Handler, Outcomes, ResultHandler

# How far around an exact time to look for the nearest alternatives when it is taken.
_AROUND_EXACT = timedelta(hours=2)


def start(dialogue: Dialogue, utterance: Understanding) -> Reply:
    """The caller wants an appointment: look for slots matching what they said, or the soonest."""
    state = dialogue.state
    if not dialogue.config.offer_booking or not dialogue.can("check_availability", "book_appointment"):
        note = _booking_note(dialogue)
        return messages.offer(dialogue, dialogue.say("cannot_book"), note)
    state.task = "book"
    state.offers, state.refused, state.chosen, state.fallback_tried = [], [], None, False
    prefer(dialogue, utterance.when)
    found = query(dialogue)
    # A caller who said who they are is a lead now, whether or not a time is found.
    return Reply(text=found.text, calls=[*found.calls, *dialogue.lead_calls("book_appointment")])


def _booking_note(dialogue: Dialogue) -> str:
    """The message to take when a booking cannot be made on the call."""
    service = dialogue.state.service
    return dialogue.say(
        "booking_note",
        service=service_words(service, dialogue.language) if service else dialogue.say("an_appointment"),
    )


def prefer(dialogue: Dialogue, preference: TimePreference | None) -> None:
    """What the caller asked for becomes what is searched ("later?" then searches near the offers)."""
    dialogue.state.stated = dialogue.state.preference = preference


def proceed(dialogue: Dialogue) -> Reply:
    """Carry on once a missing slot is filled: book the chosen time, or look for times."""
    state = dialogue.state
    if state.task == "book" and state.chosen is not None:
        return book(dialogue)
    if state.task == "reschedule" and state.target is not None and state.chosen is not None:
        return _move(dialogue)
    return query(dialogue)


# --- availability ----------------------------------------------------------------------------


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M")


def _day_for_time(dialogue: Dialogue, exact: time) -> date:
    """The day an exact time with no day means: today if it is still ahead, else the next open day."""
    now = dialogue.now
    today = now.date()
    if exact > (now + timedelta(minutes=30)).time() and business_hours.is_open_day(dialogue.hours, today):
        return today
    days = business_hours.open_days(dialogue.hours, today + timedelta(days=1), today + timedelta(days=14), 1)
    return days[0] if days else today + timedelta(days=1)


def query(dialogue: Dialogue, preface: str = "", shift: str | None = None) -> Reply:
    """Ask the calendar for slots matching ``state.preference`` (the soonest when there is none)."""
    state = dialogue.state
    state.shift = shift
    preference = state.preference or TimePreference(asap=True)
    count = dialogue.config.slots_to_offer
    base = {"service": state.service} if state.service else {}
    window = {}
    if preference.earliest is not None:
        window["earliest"] = _clock(preference.earliest)
    if preference.latest is not None:
        window["latest"] = _clock(preference.latest)
    day = preference.day
    if day is None and preference.first_day is None and preference.exact is not None:
        day = _day_for_time(dialogue, preference.exact)
        state.preference = preference = TimePreference(
            first_day=day, last_day=day, exact=preference.exact, part=preference.part
        )
    if day is not None and preference.exact is not None:
        # The time itself, and what is around it in case it is taken.
        wanted = datetime.combine(day, preference.exact)
        before, after = wanted - _AROUND_EXACT, wanted + _AROUND_EXACT
        exact = _clock(preference.exact)
        searches = [
            {"date": day.isoformat(), "earliest": exact, "latest": exact, "limit": 1},
            {
                "date": day.isoformat(),
                "earliest": _clock(before.time()) if before.date() == day else "00:00",
                "latest": _clock(after.time()) if after.date() == day else "23:59",
                "limit": 10,
            },
        ]
        state.query = "exact"
    elif day is not None:
        searches = [{"date": day.isoformat(), **window, "limit": 10}]
        state.query = "spread"
    elif preference.first_day is not None and preference.last_day is not None:
        first = max(preference.first_day, dialogue.now.date())
        days = business_hours.open_days(dialogue.hours, first, preference.last_day, 5)
        searches = [{"date": open_day.isoformat(), **window, "limit": 3} for open_day in days]
        state.query = "range"
        if not searches:
            return _nothing_found(dialogue)
    else:
        searches = [{**window, "limit": count + len(state.refused)}]
        state.query = "soonest"
    calls = [PlannedCall(name="check_availability", arguments=base | search) for search in searches]
    return Reply(text=preface, calls=calls)


def on_availability(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    state = dialogue.state
    preference = state.preference or TimePreference(asap=True)
    count = dialogue.config.slots_to_offer
    slots = [
        slot
        for slot in read_slots([result for _, result in outcomes])
        if slot.start not in state.refused
        and (state.query == "fallback" or in_window(slot, preference, dialogue.zone, dialogue.now))
    ]
    if not slots:
        return _nothing_found(dialogue)
    zone = dialogue.zone
    if state.query == "exact" and preference.exact is not None:
        exact = [slot for slot in slots if local(slot.start, zone).time() == preference.exact]
        if exact:
            return _offer_exact(dialogue, exact[0])
        day = preference.day or local(slots[0].start, zone).date()
        state.offers = nearest(slots, datetime.combine(day, preference.exact, zone), min(2, count))
        key, wanted = "not_exact", describe(preference, dialogue.now.date(), dialogue.language)
    elif state.query == "spread":
        state.offers = spread(slots, count, dialogue.zone)
        key, wanted = "have_slots", ""
    elif state.query in ("range", "fallback"):
        state.offers = one_per_day(slots, count, dialogue.zone)
        key, wanted = ("next_openings" if state.query == "fallback" else "have_slots"), ""
    else:
        state.offers = slots[:count]
        key, wanted = ("have_slots" if state.preference else "earliest_slots"), ""
    return offer_slots(dialogue, key, wanted=wanted, open_question=state.preference is None)


def offer_slots(
    dialogue: Dialogue,
    key: str,
    *,
    preface: str = "",
    wanted: str = "",
    open_question: bool = False,
    question: bool = True,
) -> Reply:
    """Say the offers in ``state.offers`` with the sentence ``key``, and ask which one."""
    offers = dialogue.state.offers
    listed = offers_text(offers, dialogue.zone, dialogue.language)
    pick = "pick_one" if len(offers) == 1 else "pick_open" if open_question else "pick_many"
    asked = dialogue.say(pick) if question else ""
    lead = dialogue.say(key, slots=listed, wanted=wanted)
    text = " ".join(part for part in (preface, lead, asked) if part)
    return dialogue.ask(
        "slot_choice", text, f"{dialogue.say('have_slots', slots=listed)} {dialogue.say(pick)}"
    )


def _offer_exact(dialogue: Dialogue, slot: Offer) -> Reply:
    state = dialogue.state
    state.offers = [slot]
    label = slot_label(slot, dialogue.zone, dialogue.language)
    if state.task == "book" and state.name is None:
        state.chosen = slot
        return dialogue.ask("name", dialogue.say("exact_free_name", slot=label))
    text = dialogue.say("exact_free_move" if state.task == "reschedule" else "exact_free", slot=label)
    return dialogue.ask("slot_choice", text)


def _nothing_found(dialogue: Dialogue) -> Reply:
    """No slot matched: try the next few open days once, then offer a message."""
    state = dialogue.state
    preference = state.preference or TimePreference(asap=True)
    today = dialogue.now.date()
    if state.shift == "earlier" and state.offers:
        state.shift = None
        return offer_slots(dialogue, "still_have", preface=dialogue.say("none_earlier"))
    if not state.fallback_tried and (preference.first_day is not None or preference.has_time):
        state.fallback_tried = True
        after = max(preference.last_day or today, today) + timedelta(days=1 if preference.last_day else 0)
        days = business_hours.open_days(dialogue.hours, after, after + timedelta(days=21), 3)
        state.query = "fallback"
        none = dialogue.say("none_for", wanted=describe(preference, today, dialogue.language))
        calls = [
            PlannedCall(name="check_availability", arguments={"date": day.isoformat(), "limit": 3})
            for day in days
        ]
        if calls:
            return Reply(text=none, calls=calls)
    note = _booking_note(dialogue)
    return messages.offer(dialogue, dialogue.say("no_openings"), note)


# --- choosing --------------------------------------------------------------------------------


def slot_choice(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    state = dialogue.state
    offers = state.offers
    if not offers:
        return None
    when = utterance.when
    timed = when is not None and not (when.asap and not when.has_time and when.first_day is None)
    matched = matching(offers, when, dialogue.zone) if when is not None and timed else []
    if len(matched) == 1:
        return choose(dialogue, matched[0])
    if utterance.choice is not None and -len(offers) <= utterance.choice < len(offers):
        return choose(dialogue, offers[utterance.choice])
    if when is not None and timed:
        if len(matched) > 1:
            # "The 8 o'clock" on several days, or "Tuesday" with three times: which one?
            state.offers = matched
            return offer_slots(dialogue, "which_slot", question=False)
        base = state.stated or TimePreference()
        if base.first_day is None and when.first_day is None and when.has_time:
            first = local(offers[0].start, dialogue.zone).date()
            base = TimePreference(first_day=first, last_day=first)
        prefer(dialogue, base.merged(when))
        state.fallback_tried = False
        return query(dialogue)
    if utterance.shift is not None:
        return _shifted(dialogue, utterance.shift)
    task, _ = utterance.task()
    if (
        utterance.intent == "affirm"
        or (when is not None and when.asap)
        or (task == "unknown" and utterance.evidence("affirm") >= 2.0)
    ):
        return choose(dialogue, offers[0])
    if utterance.intent == "deny" or utterance.evidence("deny") >= 3.0:
        state.refused.extend(offer.start for offer in offers)
        return dialogue.ask("preference", dialogue.say("what_instead"))
    return None


def _shifted(dialogue: Dialogue, shift: str) -> Reply:
    """ "Anything later?", "earlier?", "another day?": search next to what was offered."""
    state = dialogue.state
    offers = state.offers
    first, last = local(offers[0].start, dialogue.zone), local(offers[-1].start, dialogue.zone)
    previous = state.stated or TimePreference()
    if shift != "earlier":
        state.refused.extend(offer.start for offer in offers)
    state.fallback_tried = False
    if shift == "later":
        after = (last + timedelta(minutes=1)).time()
        state.preference = TimePreference(first_day=last.date(), last_day=last.date(), earliest=after)
    elif shift == "earlier":
        state.preference = TimePreference(first_day=first.date(), last_day=first.date(), latest=first.time())
        return query(dialogue, shift="earlier")
    else:
        following = business_hours.open_days(
            dialogue.hours, last.date() + timedelta(days=1), last.date() + timedelta(days=21), 1
        )
        day = following[0] if following else last.date() + timedelta(days=1)
        state.preference = TimePreference(
            first_day=day, last_day=day, earliest=previous.earliest, latest=previous.latest,
            exact=previous.exact, part=previous.part,
        )  # fmt: skip
    return query(dialogue)


def choose(dialogue: Dialogue, offer: Offer) -> Reply:
    state = dialogue.state
    state.chosen = offer
    if state.task == "reschedule" and state.target is not None:
        return _move(dialogue)
    if state.name is None:
        return dialogue.ask("name", dialogue.say("ask_name_booking"))
    return book(dialogue)


def _fallback_name(dialogue: Dialogue) -> str:
    known = dialogue.call.caller_profile.name
    if known:
        return known
    return dialogue.say("unnamed_caller", digits=last_digits(dialogue.caller or dialogue.call.caller))


def book(dialogue: Dialogue) -> Reply:
    state = dialogue.state
    if state.chosen is None:
        return query(dialogue)
    if dialogue.caller is None and state.callback is None:
        return dialogue.ask("callback_number", dialogue.say("callback_number"))
    name = state.name or _fallback_name(dialogue)
    arguments: dict[str, object] = {"start": state.chosen.start, "name": name}
    if state.service:
        arguments["service"] = state.service
    if state.callback and state.callback != dialogue.caller:
        arguments["phone"] = state.callback
    calls = [PlannedCall(name="book_appointment", arguments=arguments)]
    calls += dialogue.lead_calls("book_appointment")
    return dialogue.call_tools(*calls)


def _move(dialogue: Dialogue) -> Reply:
    state = dialogue.state
    assert state.target is not None and state.chosen is not None
    arguments = {"appointment_id": state.target.appointment_id, "start": state.chosen.start}
    return dialogue.call_tools(PlannedCall(name="reschedule_appointment", arguments=arguments))


def on_booked(dialogue: Dialogue, outcomes: Outcomes) -> Reply:
    """``book_appointment`` or ``reschedule_appointment`` answered."""
    state = dialogue.state
    result = read_result(outcomes[-1][1], AppointmentResult)
    if result is None or not result.ok:
        return _slot_failed(dialogue, result.error if result else None)
    chosen = state.chosen
    host_words = result.spoken if dialogue.language.host_speech else ""
    spoken = host_words or (slot_label(chosen, dialogue.zone, dialogue.language) if chosen else "")
    state.booked_spoken = spoken
    state.offers, state.chosen = [], None
    if state.task == "reschedule":
        state.target = None
        return dialogue.done(dialogue.say("rescheduled", when=spoken), "rescheduled")
    first_name = (state.name or "").split(" ")[0]
    key = "booked_name" if first_name else "booked"
    service = (
        service_words(state.service, dialogue.language) if state.service else dialogue.say("appointment")
    )
    return dialogue.done(dialogue.say(key, name=first_name, when=spoken, service=service), "booked")


def _slot_failed(dialogue: Dialogue, error: str | None) -> Reply:
    """The slot went (``slot_taken``) or was refused: offer what is left, or search again."""
    state = dialogue.state
    if state.chosen is not None:
        state.refused.append(state.chosen.start)
        state.offers = [offer for offer in state.offers if offer.start != state.chosen.start]
    state.chosen = None
    sorry = dialogue.say("slot_taken" if error == "slot_taken" else "slot_unavailable")
    if state.offers:
        return offer_slots(dialogue, "still_have", preface=sorry)
    state.fallback_tried = False
    return query(dialogue, preface=sorry)


def _preference(dialogue: Dialogue, utterance: Understanding) -> Reply | None:
    """The answer to "what day and time would work?"."""
    state = dialogue.state
    if utterance.when is not None:
        prefer(dialogue, (state.stated or TimePreference()).merged(utterance.when))
        state.fallback_tried = False
        return query(dialogue)
    if utterance.shift is not None and state.offers:
        return _shifted(dialogue, utterance.shift)
    task, _ = utterance.task()
    if task == "unknown" and utterance.intent == "affirm":
        prefer(dialogue, TimePreference(asap=True))
        return query(dialogue)
    if task == "unknown" and utterance.intent == "deny":
        note = _booking_note(dialogue)
        return messages.offer(dialogue, dialogue.say("no_problem"), note)
    return None


AWAITING: dict[str, Handler] = {
    "slot_choice": slot_choice,
    "preference": _preference,
}

RESULTS: dict[str, ResultHandler] = {
    "check_availability": on_availability,
    "book_appointment": on_booked,
    "reschedule_appointment": on_booked,
}

"""What the English receptionist says. ``{names}`` are filled in by the dialogue."""

from __future__ import annotations

REPLIES: dict[str, str] = {
    # Opening, closing, general.
    "how_can_i_help": "How can I help you today?",
    "hello": "Hi there! How can I help you today?",
    "hello_name": "Nice to meet you, {name}. How can I help you today?",
    "anything_else": "Is there anything else I can help you with?",
    "what_else": "Sure, what else can I help you with?",
    "what_then": "No problem. What can I help you with today?",
    "welcome": "You're welcome!",
    "no_problem": "No problem.",
    "no_problem_else": "No problem. Is there anything else I can help you with?",
    "goodbye": "Thank you for calling {business}. Have a great day. Goodbye!",
    "goodbye_again": "Thank you for calling. Goodbye!",
    "see_you": "We'll see you {when}.",
    # Not understanding.
    "not_understood": (
        "Sorry, I didn't quite catch that. I can book or change an appointment, answer questions about "
        "{business}, or take a message. What would you like to do?"
    ),
    "not_understood_again": "Sorry, I still didn't get that. Could you say it another way?",
    "sorry_again": "Sorry, I didn't catch that.",
    "offer_help": (
        "I'm sorry, I'm having trouble understanding. Would you like to leave a message, "
        "or would you like me to connect you with someone?"
    ),
    "giving_up": "I'm sorry I couldn't help today. Please feel free to call back anytime.",
    "clarify_one": "Just to be sure, did you want to {first}?",
    "clarify_two": "Just to be sure, did you want to {first}, or {second}?",
    # The bound on turns.
    "wrap_up_offer": (
        "I want to make sure you're taken care of. Would you like me to take a message so someone from "
        "our team can call you back?"
    ),
    "out_of_time": "I'm going to wrap up our call now. Please call back anytime if you need anything else.",
    # Slots and times.
    "am": "AM",
    "pm": "PM",
    "clock_hour": "{hour} {meridiem}",
    "clock_minutes": "{hour}:{minute:02d} {meridiem}",
    "day_name": "{weekday}, {month} {day}",
    "slot_joiner": " at ",
    "today": "today",
    "tomorrow": "tomorrow",
    "soon": "soon",
    "at_time": "at {time}",
    "after_time": "after {time}",
    "before_time": "before {time}",
    "between_times": "between {first} and {last}",
    "between_days": "between {first} and {last}",
    "time_span": "{first} to {last}",
    "day_span": "{first} to {last}",
    "on_day": "On {day}",
    "earliest_slots": "The earliest I have is {slots}.",
    "have_slots": "I have {slots}.",
    "next_openings": "The next openings I have are {slots}.",
    "not_exact": "I don't have {wanted} available, but I do have {slots}.",
    "none_for": "I'm sorry, I don't have anything {wanted}.",
    "pick_one": "Would that work for you?",
    "pick_many": "Would one of those work for you?",
    "pick_open": "Would one of those work, or is there another day and time you'd prefer?",
    "exact_free": "Good news, {slot} is available. Shall I book it for you?",
    "exact_free_move": "Good news, {slot} is available. Shall I move your appointment to then?",
    "exact_free_name": "Good news, {slot} is available. May I have your name to book it?",
    "still_have": "I still have {slots}.",
    "which_slot": "Sure. Which would you prefer: {slots}?",
    "none_earlier": "I'm sorry, that's the earliest I have that day.",
    "what_instead": "No problem. What day and time would work better for you?",
    "no_openings": "I'm sorry, I'm not finding any openings in the next few weeks.",
    "slot_taken": "I'm sorry, that time was just taken.",
    "slot_unavailable": "I'm sorry, I wasn't able to book that time.",
    # Booking.
    "ask_name_booking": "Great. And may I have your name for the appointment?",
    "name_again": "Sorry, could I get your first and last name?",
    "name_for_booking": "Great. And what name should I put the appointment under?",
    "name_for_message": "Sure. And what name should I put on the message?",
    "unnamed_caller": "Caller ending in {digits}",
    "appointment": "appointment",
    "an_appointment": "an appointment",
    "booked": "You're all set. I've booked your {service} for {when}.",
    "booked_name": "You're all set, {name}. I've booked your {service} for {when}.",
    "cannot_book": (
        "I'm not able to book appointments over the phone, but someone from our team can call you back "
        "to set one up."
    ),
    "booking_note": "Would like to book {service}.",
    # Moving and cancelling.
    "cannot_change": (
        "I'm not able to change appointments over the phone, but someone from our team can call you back "
        "about it."
    ),
    "reschedule_note": "Would like to reschedule an appointment.",
    "cancel_note": "Would like to cancel an appointment.",
    "reschedule_action": "move",
    "cancel_action": "cancel",
    "which_number": "What phone number is the appointment under?",
    "no_appointment_found": (
        "I couldn't find an upcoming appointment for the number you're calling from. "
        "Is it under a different phone number?"
    ),
    "still_not_found": "I'm sorry, I still can't find that appointment.",
    "which_appointment": "I see appointments for {appointments}. Which one would you like to {action}?",
    "which_to_move": "Sure. And which appointment should I move: {appointments}?",
    "found_appointment": "I see your appointment for {when}.",
    "move_to_when": "I see your appointment for {when}. What day and time would you like to move it to?",
    "confirm_cancel": "I see your appointment for {when}. Would you like me to cancel it?",
    "kept": "Okay, I'll leave your appointment as it is.",
    "cancelled": "Done. Your appointment for {when} is cancelled.",
    "rescheduled": "All set. Your appointment is now set for {when}.",
    "change_failed": "I'm sorry, I wasn't able to change that appointment.",
    # Messages.
    "offer_message": "Would you like me to take a message so someone can get back to you?",
    "message_name": "Sure, I can take a message. May I have your name, please?",
    "message_body": "What message would you like me to pass along?",
    "message_body_name": "Thanks, {name}. What message would you like me to pass along?",
    "confirm_number": "Is the number you're calling from, ending in {digits}, the best one to reach you?",
    "callback_number": "What's the best phone number to reach you?",
    "callback_other": "What number should we call you back on?",
    "callback_again": "Sorry, could you say the number again, digit by digit?",
    "got_number": "Got it.",
    "added_to_message": "Got it, I've added that.",
    "message_taken": "Thank you. I've passed your message along.",
    "message_taken_name": "Thank you, {name}. I've passed your message along.",
    "will_call_back": "Someone will call you back at {number}.",
    "message_failed": "I'm sorry, I couldn't save that message just now.",
    "message_go_ahead": "Sure, go ahead. What would you like me to tell them?",
    "message_for": "For {recipient}: {message}",
    "no_message": "Okay, no message then. Is there anything else I can help you with?",
    "cannot_take_message": "I'm sorry, I'm not able to take messages right now.",
    "question_note": "Question: {question}",
    # Questions.
    "hours": "We're open {schedule}.",
    "all_day": "24 hours",
    "open_now": "We're open now until {until}.",
    "open_now_late": "We're open right now.",
    "closed_now": "We're closed right now.",
    "closed_now_until": "We're closed right now, and we open again {when} at {time}.",
    "open_on": "{when} we're open {hours}.",
    "closed_on": "{when} we're closed.",
    "address": "We're located at {address}.",
    "offer_sms": "Would you like me to text you the address?",
    "sms_address": "{business}: {address}",
    "sms_sent": "Done, I've texted it to you.",
    "sms_failed": "I'm sorry, I couldn't send the text just now.",
    "services": "We offer {services}.",
    "service_yes": "Yes, we offer {service}.",
    "service_unknown": "I don't see that among our services. We offer {services}.",
    "offer_booking": "Would you like to book an appointment?",
    "dont_know": "I'm sorry, I don't have an answer to that.",
    "contact_email": "Our email address is {value}.",
    "contact_website": "Our website is {value}.",
    "contact_phone": "Our phone number is {value}.",
    # Industry intake (the tenant's workflow).
    "lead_transferring": "I'm connecting you with {who} now. Please hold.",
    "lead_alerted": (
        "No one can take your call right now, so I've sent your details to {who}, who will call you back "
        "as soon as possible."
    ),
    "lead_book": "Let's find a time that works for you.",
    "lead_book_service": "Let's find a time for your {service}.",
    "same_day_slots": "We keep time for emergencies, and I can see you {slots}.",
    "lead_message": "I'll pass your details along so someone can call you back.",
    "lead_failed": "I'm sorry, I couldn't note your details just now.",
    "someone": "someone from our team",
    # Transfers.
    "transfer_reason": "caller asked for a person",
    "transferring": "Of course. Let me connect you now, please hold.",
    "transferring_to": "Of course. Let me connect you with {department} now, please hold.",
    "hold": "Please hold.",
    "no_such_department": "I can't reach {department} directly, so I'll connect you with our front desk.",
    "no_one_available": "I'm sorry, no one is available to take your call right now.",
    "cannot_transfer": "I'm sorry, I'm not able to transfer calls right now.",
}

# How a clarifying question names each request.
INTENT_PHRASES: dict[str, str] = {
    "book_appointment": "book an appointment",
    "reschedule_appointment": "reschedule an appointment",
    "cancel_appointment": "cancel an appointment",
    "leave_message": "leave a message",
    "talk_to_person": "speak with someone",
    "ask_hours": "know our hours",
    "ask_location": "know where we're located",
    "ask_services": "know about our services",
    "ask_price": "ask about pricing",
    "ask_question": "ask a question",
}

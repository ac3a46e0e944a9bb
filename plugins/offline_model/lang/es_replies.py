"""What the Spanish receptionist says (Latin American Spanish, addressing the caller as "usted").

``{names}`` are filled in by the dialogue; the keys are the English table's, one for one.
"""

from __future__ import annotations

REPLIES: dict[str, str] = {
    # Opening, closing, general.
    "how_can_i_help": "¿En qué le puedo ayudar hoy?",
    "hello": "¡Hola! ¿En qué le puedo ayudar hoy?",
    "hello_name": "Mucho gusto, {name}. ¿En qué le puedo ayudar hoy?",
    "anything_else": "¿Hay algo más en lo que le pueda ayudar?",
    "what_else": "Claro, ¿en qué más le puedo ayudar?",
    "what_then": "No hay problema. ¿En qué le puedo ayudar hoy?",
    "welcome": "¡Con mucho gusto!",
    "no_problem": "No hay problema.",
    "no_problem_else": "No hay problema. ¿Hay algo más en lo que le pueda ayudar?",
    "goodbye": "Gracias por llamar a {business}. Que tenga un excelente día. ¡Hasta luego!",
    "goodbye_again": "Gracias por llamar. ¡Hasta luego!",
    "see_you": "Lo esperamos {when}.",
    # Not understanding.
    "not_understood": (
        "Perdón, no le entendí bien. Puedo agendar o cambiar una cita, responder preguntas sobre "
        "{business} o tomar un mensaje. ¿Qué le gustaría hacer?"
    ),
    "not_understood_again": "Perdón, todavía no le entendí. ¿Me lo podría decir de otra manera?",
    "sorry_again": "Perdón, no le entendí.",
    "offer_help": (
        "Lo siento, me está costando entenderle. ¿Quiere dejar un mensaje, "
        "o prefiere que lo comunique con alguien?"
    ),
    "giving_up": "Lamento no haber podido ayudarle hoy. Puede volver a llamar cuando guste.",
    "clarify_one": "Solo para confirmar, ¿usted quería {first}?",
    "clarify_two": "Solo para confirmar, ¿usted quería {first} o {second}?",
    # The bound on turns.
    "wrap_up_offer": (
        "Quiero asegurarme de que lo atiendan bien. ¿Le gustaría que tome un mensaje para que alguien "
        "de nuestro equipo le devuelva la llamada?"
    ),
    "out_of_time": "Voy a terminar la llamada ahora. Puede volver a llamar cuando necesite algo más.",
    # Slots and times.
    "am": "de la mañana",
    "pm": "de la tarde",
    "clock_hour": "{hour} {meridiem}",
    "clock_minutes": "{hour}:{minute:02d} {meridiem}",
    "day_name": "el {weekday} {day} de {month}",
    "slot_joiner": " a las ",
    "today": "hoy",
    "tomorrow": "mañana",
    "soon": "pronto",
    "at_time": "a las {time}",
    "after_time": "después de las {time}",
    "before_time": "antes de las {time}",
    "between_times": "entre las {first} y las {last}",
    "between_days": "entre {first} y {last}",
    "time_span": "de {first} a {last}",
    "day_span": "de {first} a {last}",
    "on_day": "El {day}",
    "earliest_slots": "Lo más pronto que tengo es {slots}.",
    "have_slots": "Tengo {slots}.",
    "next_openings": "Los próximos espacios que tengo son {slots}.",
    "not_exact": "No tengo disponible {wanted}, pero sí tengo {slots}.",
    "none_for": "Lo siento, no tengo nada disponible {wanted}.",
    "pick_one": "¿Le funciona?",
    "pick_many": "¿Le funciona alguno de esos?",
    "pick_open": "¿Le funciona alguno de esos, o prefiere otro día y hora?",
    "exact_free": "Buenas noticias, {slot} está disponible. ¿Se lo agendo?",
    "exact_free_move": "Buenas noticias, {slot} está disponible. ¿Cambio su cita para ese horario?",
    "exact_free_name": "Buenas noticias, {slot} está disponible. ¿Me da su nombre para agendarlo?",
    "still_have": "Todavía tengo {slots}.",
    "which_slot": "Claro. ¿Cuál prefiere: {slots}?",
    "none_earlier": "Lo siento, eso es lo más temprano que tengo ese día.",
    "what_instead": "No hay problema. ¿Qué día y hora le quedarían mejor?",
    "no_openings": "Lo siento, no encuentro espacios disponibles en las próximas semanas.",
    "slot_taken": "Lo siento, ese horario se acaba de ocupar.",
    "slot_unavailable": "Lo siento, no pude agendar ese horario.",
    # Booking.
    "ask_name_booking": "Perfecto. ¿Me da su nombre para la cita?",
    "name_again": "Perdón, ¿me podría dar su nombre y apellido?",
    "name_for_booking": "Perfecto. ¿A nombre de quién pongo la cita?",
    "name_for_message": "Claro. ¿A nombre de quién dejo el mensaje?",
    "unnamed_caller": "Persona que llamó desde el número terminado en {digits}",
    "appointment": "cita",
    "an_appointment": "una cita",
    "booked": "Listo. Le agendé su {service} para {when}.",
    "booked_name": "Listo, {name}. Le agendé su {service} para {when}.",
    "cannot_book": (
        "No puedo agendar citas por teléfono, pero alguien de nuestro equipo le puede devolver la llamada "
        "para hacerlo."
    ),
    "booking_note": "Quiere agendar {service}.",
    # Moving and cancelling.
    "cannot_change": (
        "No puedo cambiar citas por teléfono, pero alguien de nuestro equipo le puede devolver la llamada "
        "para ayudarle con eso."
    ),
    "reschedule_note": "Quiere cambiar una cita de fecha.",
    "cancel_note": "Quiere cancelar una cita.",
    "reschedule_action": "cambiar",
    "cancel_action": "cancelar",
    "which_number": "¿A qué número de teléfono está registrada la cita?",
    "no_appointment_found": (
        "No encontré ninguna cita próxima para el número desde el que llama. "
        "¿Está registrada con otro número de teléfono?"
    ),
    "still_not_found": "Lo siento, todavía no encuentro esa cita.",
    "which_appointment": "Veo citas para {appointments}. ¿Cuál quiere {action}?",
    "which_to_move": "Claro. ¿Y cuál de sus citas quiere cambiar: {appointments}?",
    "found_appointment": "Veo su cita para {when}.",
    "move_to_when": "Veo su cita para {when}. ¿Para qué día y hora la quiere cambiar?",
    "confirm_cancel": "Veo su cita para {when}. ¿Quiere que la cancele?",
    "kept": "Muy bien, dejo su cita como está.",
    "cancelled": "Listo. Su cita para {when} quedó cancelada.",
    "rescheduled": "Listo. Su cita quedó para {when}.",
    "change_failed": "Lo siento, no pude cambiar esa cita.",
    # Messages.
    "offer_message": "¿Quiere que tome un mensaje para que alguien le devuelva la llamada?",
    "message_name": "Claro, con gusto tomo su mensaje. ¿Me da su nombre, por favor?",
    "message_body": "¿Qué mensaje quiere que le pase al equipo?",
    "message_body_name": "Gracias, {name}. ¿Qué mensaje quiere que le pase al equipo?",
    "confirm_number": (
        "¿El número desde el que llama, terminado en {digits}, es el mejor para comunicarnos con usted?"
    ),
    "callback_number": "¿Cuál es el mejor número para comunicarnos con usted?",
    "callback_other": "¿A qué número le devolvemos la llamada?",
    "callback_again": "Perdón, ¿me podría repetir el número, dígito por dígito?",
    "got_number": "Anotado.",
    "added_to_message": "Anotado, lo agrego al mensaje.",
    "message_taken": "Gracias. Ya pasé su mensaje.",
    "message_taken_name": "Gracias, {name}. Ya pasé su mensaje.",
    "will_call_back": "Alguien le devolverá la llamada al {number}.",
    "message_failed": "Lo siento, no pude guardar ese mensaje en este momento.",
    "message_go_ahead": "Claro, adelante. ¿Qué quiere que les diga?",
    "message_for": "Para {recipient}: {message}",
    "no_message": "Muy bien, sin mensaje entonces. ¿Hay algo más en lo que le pueda ayudar?",
    "cannot_take_message": "Lo siento, en este momento no puedo tomar mensajes.",
    "question_note": "Pregunta: {question}",
    # Questions.
    "hours": "Nuestro horario es {schedule}.",
    "all_day": "las 24 horas",
    "open_now": "Estamos abiertos ahora, hasta las {until}.",
    "open_now_late": "Estamos abiertos en este momento.",
    "closed_now": "En este momento estamos cerrados.",
    "closed_now_until": "En este momento estamos cerrados; volvemos a abrir {when} a las {time}.",
    "open_on": "{when} abrimos {hours}.",
    "closed_on": "{when} estamos cerrados.",
    "address": "Estamos ubicados en {address}.",
    "offer_sms": "¿Quiere que le envíe la dirección por mensaje de texto?",
    "sms_address": "{business}: {address}",
    "sms_sent": "Listo, ya se la envié.",
    "sms_failed": "Lo siento, no pude enviar el mensaje de texto en este momento.",
    "services": "Ofrecemos {services}.",
    "service_yes": "Sí, ofrecemos {service}.",
    "service_unknown": "No veo eso entre nuestros servicios. Ofrecemos {services}.",
    "offer_booking": "¿Le gustaría agendar una cita?",
    "dont_know": "Lo siento, no tengo la respuesta a esa pregunta.",
    "contact_email": "Nuestro correo electrónico es {value}.",
    "contact_website": "Nuestra página web es {value}.",
    "contact_phone": "Nuestro número de teléfono es {value}.",
    # Industry intake (the tenant's workflow).
    "lead_transferring": "Lo estoy comunicando con {who}. Por favor, espere en la línea.",
    "lead_alerted": (
        "En este momento nadie puede atender su llamada, así que le envié sus datos a {who}, "
        "quien le devolverá la llamada lo antes posible."
    ),
    "lead_book": "Busquemos un horario que le funcione.",
    "lead_book_service": "Busquemos un horario para su {service}.",
    "same_day_slots": "Reservamos espacios para emergencias, y lo puedo atender {slots}.",
    "lead_message": "Voy a pasar sus datos para que alguien le devuelva la llamada.",
    "lead_failed": "Lo siento, no pude anotar sus datos en este momento.",
    "someone": "alguien de nuestro equipo",
    # Transfers.
    "transfer_reason": "la persona pidió hablar con alguien",
    "transferring": "Claro. Lo comunico ahora mismo, por favor espere en la línea.",
    "transferring_to": "Claro. Lo comunico con {department} ahora mismo, por favor espere en la línea.",
    "hold": "Por favor, espere en la línea.",
    "no_such_department": (
        "No puedo comunicarlo directamente con {department}, así que lo paso con recepción."
    ),
    "no_one_available": "Lo siento, en este momento no hay nadie disponible para atender su llamada.",
    "cannot_transfer": "Lo siento, en este momento no puedo transferir llamadas.",
}

# How a clarifying question names each request ("¿usted quería agendar una cita?").
INTENT_PHRASES: dict[str, str] = {
    "book_appointment": "agendar una cita",
    "reschedule_appointment": "cambiar una cita de fecha",
    "cancel_appointment": "cancelar una cita",
    "leave_message": "dejar un mensaje",
    "talk_to_person": "hablar con alguien",
    "ask_hours": "saber nuestro horario",
    "ask_location": "saber dónde estamos ubicados",
    "ask_services": "saber qué servicios ofrecemos",
    "ask_price": "preguntar por precios",
    "ask_question": "hacer una pregunta",
}

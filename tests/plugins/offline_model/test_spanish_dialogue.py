"""Whole calls in Spanish with the offline model: the host's loop, every tool in memory."""

from __future__ import annotations

from datetime import date, datetime, time

from offline_calls import CALLER, ZONE, FakeTools, converse, make_call

from core.knowledge.search import KnowledgeDoc
from plugins.offline_model.lang import language_for
from plugins.offline_model.speech import clock, day_name, hours_summary, service_words

SPANISH = language_for("es-US")
ANYTHING_ELSE = "¿Hay algo más en lo que le pueda ayudar?"
GOODBYE = "Gracias por llamar a Bright Smiles Dental. Que tenga un excelente día. ¡Hasta luego!"
SPANISH_KNOWLEDGE = [
    KnowledgeDoc(
        id="k-estacionamiento",
        question="¿Hay estacionamiento?",
        answer="Sí, hay estacionamiento gratis detrás del edificio.",
        tags=["estacionamiento"],
    ),
    KnowledgeDoc(
        id="k-seguro",
        question="¿Qué seguros aceptan?",
        answer="Aceptamos la mayoría de los planes PPO, incluidos Delta Dental y Cigna.",
        tags=["seguro"],
    ),
]


async def spanish(lines: list[str], tools: FakeTools | None = None):
    return await converse(lines, tools, make_call(language="es-US"))


async def test_greeting_and_how_can_i_help() -> None:
    call = await spanish(["Hola, buenos días"])
    assert call.replies == ["¡Hola! ¿En qué le puedo ayudar hoy?"]


async def test_books_an_appointment_said_in_spanish() -> None:
    call = await spanish(
        [
            "Hola, quiero hacer una cita para una limpieza el martes a las tres de la tarde",
            "Me llamo María González",
            "No, eso es todo, gracias",
        ]
    )
    slot = "el martes 3 de marzo a las 3:00 de la tarde"
    assert call.replies == [
        f"Buenas noticias, {slot} está disponible. ¿Me da su nombre para agendarlo?",
        f"Listo, María. Le agendé su limpieza dental para {slot}. {ANYTHING_ELSE}",
        f"Lo esperamos {slot}. {GOODBYE}",
    ]
    [booked] = call.tools.appointments.values()
    assert (booked["start"], booked["name"], booked["service"]) == (
        datetime(2026, 3, 3, 15, 0, tzinfo=ZONE),
        "María González",
        "Teeth cleaning",
    )
    assert call.tools.ended


async def test_offers_slots_and_takes_a_choice() -> None:
    call = await spanish(["Necesito una cita el viernes en la mañana", "la segunda", "Rosa Díaz"])
    assert call.replies[0] == (
        "Tengo el viernes 27 de febrero a las 8:00 de la mañana, 9:00 de la mañana o 10:00 de la mañana. "
        "¿Le funciona alguno de esos?"
    )
    assert call.replies[2] == (
        "Listo, Rosa. Le agendé su cita para el viernes 27 de febrero a las 9:00 de la mañana. "
        + ANYTHING_ELSE
    )


async def test_answers_from_spanish_knowledge_entries() -> None:
    tools = FakeTools(knowledge=list(SPANISH_KNOWLEDGE))
    call = await spanish(["¿Dónde me puedo estacionar?", "¿Aceptan seguro dental?"], tools)
    assert call.replies == [
        f"Sí, hay estacionamiento gratis detrás del edificio. {ANYTHING_ELSE}",
        f"Aceptamos la mayoría de los planes PPO, incluidos Delta Dental y Cigna. {ANYTHING_ELSE}",
    ]


async def test_takes_a_message_with_a_callback() -> None:
    call = await spanish(
        ["Quiero dejar un mensaje", "Me llamo Juan Pérez", "Que voy a llegar tarde a mi cita", "sí"]
    )
    assert call.replies == [
        "Claro, con gusto tomo su mensaje. ¿Me da su nombre, por favor?",
        "Gracias, Juan. ¿Qué mensaje quiere que le pase al equipo?",
        "¿El número desde el que llama, terminado en 0 0 0 1, es el mejor para comunicarnos con usted?",
        "Gracias, Juan. Ya pasé su mensaje. Alguien le devolverá la llamada al 5 5 5, 1 2 3, 0 0 0 1. "
        + ANYTHING_ELSE,
    ]
    assert call.tools.messages == [
        {"message": "Que voy a llegar tarde a mi cita", "name": "Juan Pérez", "callback_number": CALLER}
    ]


async def test_a_callback_number_instead_of_the_message_and_a_goodbye_before_confirming() -> None:
    call = await spanish(
        [
            "Quiero dejar un mensaje",
            "Soy Lucía Gómez",
            "puede llamarme al 555 867 5309",
            "Que ya tengo las radiografías de mi dentista anterior",
        ]
    )
    assert call.replies[2] == "Anotado. ¿Qué mensaje quiere que le pase al equipo?"
    assert call.tools.messages == [
        {
            "message": "Que ya tengo las radiografías de mi dentista anterior",
            "name": "Lucía Gómez",
            "callback_number": "+15558675309",
        }
    ]

    leaving = await spanish(["Quiero dejar un mensaje", "Soy Lucía Gómez", "Que llegaré tarde", "adiós"])
    assert leaving.tools.messages == [
        {"message": "Que llegaré tarde", "name": "Lucía Gómez", "callback_number": CALLER}
    ]
    assert leaving.last.startswith("Gracias, Lucía. Ya pasé su mensaje.")
    assert leaving.tools.ended


async def test_transfers_to_a_person() -> None:
    call = await spanish(["Quiero hablar con una persona"])
    assert call.replies == ["Claro. Lo comunico ahora mismo, por favor espere en la línea."]
    assert call.tools.named("transfer_call")[0].arguments == {"reason": "la persona pidió hablar con alguien"}
    assert call.tools.transfers == [{"department": None, "target": "+15559870009"}]


async def test_cancels_and_moves_appointments() -> None:
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 3, 9, 0, tzinfo=ZONE), "Ana López")
    call = await spanish(["Necesito cancelar mi cita", "sí"], tools)
    assert call.replies == [
        "Veo su cita para el martes 3 de marzo a las 9:00 de la mañana. ¿Quiere que la cancele?",
        f"Listo. Su cita para el martes 3 de marzo a las 9:00 de la mañana quedó cancelada. {ANYTHING_ELSE}",
    ]
    tools = FakeTools()
    tools.add_appointment(datetime(2026, 3, 3, 9, 0, tzinfo=ZONE), "Ana López")
    call = await spanish(["Quiero cambiar mi cita", "el miércoles a las 2 de la tarde", "sí"], tools)
    assert call.replies[1] == (
        "Buenas noticias, el miércoles 4 de marzo a las 2:00 de la tarde está disponible. "
        "¿Cambio su cita para ese horario?"
    )
    assert call.replies[2] == (
        f"Listo. Su cita quedó para el miércoles 4 de marzo a las 2:00 de la tarde. {ANYTHING_ELSE}"
    )


async def test_hours_and_services_in_spanish() -> None:
    call = await spanish(["¿Cuál es su horario?", "¿Qué servicios ofrecen?"])
    assert call.replies[0] == (
        "Nuestro horario es de lunes a jueves de 8 de la mañana a 5 de la tarde y viernes de 8 de la mañana "
        f"a 2 de la tarde. Estamos abiertos ahora, hasta las 5 de la tarde. {ANYTHING_ELSE}"
    )
    assert call.replies[1] == (
        "Ofrecemos limpieza dental, empaste, blanqueamiento y examen de paciente nuevo. "
        "¿Le gustaría agendar una cita?"
    )


async def test_not_understood_twice_then_an_offer_of_help() -> None:
    call = await spanish(["asdf qwer", "zzz", "xxyy"])
    assert call.replies == [
        "Perdón, no le entendí bien. Puedo agendar o cambiar una cita, responder preguntas sobre "
        "Bright Smiles Dental o tomar un mensaje. ¿Qué le gustaría hacer?",
        "Perdón, todavía no le entendí. ¿Me lo podría decir de otra manera?",
        "Lo siento, me está costando entenderle. ¿Quiere dejar un mensaje, "
        "o prefiere que lo comunique con alguien?",
    ]


def test_spanish_times_days_and_services_as_spoken() -> None:
    assert clock(time(15, 30), SPANISH) == "3:30 de la tarde"
    assert clock(time(9), SPANISH) == "9 de la mañana"
    assert day_name(date(2026, 3, 4), SPANISH) == "el miércoles 4 de marzo"
    assert hours_summary({"sat": [["09:00", "13:00"]]}, SPANISH) == "sábado de 9 de la mañana a 1 de la tarde"
    assert service_words("Whitening", SPANISH) == "blanqueamiento"
    assert service_words("Implants", SPANISH) == "implants"  # no word for it: as the tenant named it

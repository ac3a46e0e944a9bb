"""Spanish callers understood: intents, names, phone numbers, services and choices."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from plugins.offline_model.lang import LANGUAGES, language_for
from plugins.offline_model.lang.en_replies import INTENT_PHRASES as ENGLISH_PHRASES
from plugins.offline_model.lang.en_replies import REPLIES as ENGLISH_REPLIES
from plugins.offline_model.nlu import Understanding, understand

SPANISH = language_for("es-MX")
NOW = datetime(2026, 2, 26, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
SERVICES = ["Teeth cleaning", "Whitening", "New patient exam", "Fillings"]


def heard(text: str, **kwargs) -> Understanding:
    return understand(text, SPANISH, NOW, services=SERVICES, departments=["billing"], **kwargs)


def test_spanish_is_a_language_of_the_offline_model() -> None:
    assert "es" in LANGUAGES
    assert language_for("es-US") is language_for("es-MX") is LANGUAGES["es"]
    # Every sentence and request the English receptionist has, the Spanish one has too.
    assert set(SPANISH.replies) == set(ENGLISH_REPLIES)
    assert set(SPANISH.intent_phrases) == set(ENGLISH_PHRASES)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Quiero hacer una cita", "book_appointment"),
        ("Necesito agendar una limpieza", "book_appointment"),
        ("¿Tienen algo disponible para el martes?", "book_appointment"),
        ("Quiero cambiar mi cita para otro día", "reschedule_appointment"),
        ("Necesito reprogramar mi cita", "reschedule_appointment"),
        ("Necesito cancelar mi cita", "cancel_appointment"),
        ("No voy a poder ir a mi cita", "cancel_appointment"),
        ("¿A qué hora abren mañana?", "ask_hours"),
        ("¿Cuál es su horario?", "ask_hours"),
        ("¿Dónde están ubicados?", "ask_location"),
        ("¿Qué servicios ofrecen?", "ask_services"),
        ("¿Cuánto cuesta una limpieza?", "ask_price"),
        ("¿Aceptan seguro?", "ask_question"),
        ("Quiero dejar un mensaje", "leave_message"),
        ("¿Le puede decir a la doctora que me llame?", "leave_message"),
        ("Quiero hablar con una persona", "talk_to_person"),
        ("Comuníqueme con el departamento de facturación", "talk_to_person"),
        ("sí, claro", "affirm"),
        ("Sí, me funciona", "affirm"),
        ("no, ninguna de esas", "deny"),
        ("eso es todo, adiós", "goodbye"),
        ("muchas gracias", "thanks"),
        ("¿Me lo puede repetir?", "repeat"),
        ("hola, buenos días", "greet"),
    ],
)
def test_intents(text: str, intent: str) -> None:
    utterance = heard(text)
    assert utterance.intent == intent
    assert utterance.confidence >= 0.5


def test_accents_are_optional() -> None:
    # Typed texts (SMS) often come without accents.
    assert heard("¿Dónde están ubicados?").intent == heard("donde estan ubicados").intent == "ask_location"
    assert heard("a que hora abren").intent == "ask_hours"


def test_a_negated_request_is_not_one() -> None:
    assert heard("no quiero hablar con una persona").intent != "talk_to_person"
    assert heard("no quiero cancelar").evidence("cancel_appointment") == 0.0


def test_names_keep_their_accents() -> None:
    assert heard("Me llamo José García").name == "José García"
    assert heard("Hola, soy Ana López").name == "Ana López"
    assert heard("María González", expect_name=True).name == "María González"
    assert heard("Quiero hacer una cita").name is None


def test_phone_numbers_said_in_spanish() -> None:
    said = "mi número es cinco cinco cinco, uno dos tres, cuarenta y cinco sesenta y siete"
    assert heard(said).phone == "+15551234567"
    assert heard("es el 555 123 4567").phone == "+15551234567"


def test_services_are_found_by_their_spanish_words() -> None:
    assert heard("Necesito agendar una limpieza").service == "Teeth cleaning"
    assert heard("¿hacen blanqueamientos?").service == "Whitening"
    assert heard("Quiero una cita").service is None


def test_choices_among_offered_slots() -> None:
    assert heard("la primera").choice == 0
    assert heard("la segunda, por favor").choice == 1
    assert heard("el último").choice == -1
    assert heard("más tarde").shift == "later"
    assert heard("algo más temprano").shift == "earlier"
    assert heard("otro día").shift == "other_day"

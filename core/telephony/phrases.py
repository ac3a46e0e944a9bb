"""What the platform itself says mid-call (reprompts, wrap-ups, apologies), in the call's language.

The conversation models speak the caller's language; these few sentences come from the call path,
so they follow ``call.language`` too. A language not listed here is spoken in English.
"""

from __future__ import annotations

from typing import Literal

PhraseKey = Literal[
    "didnt_catch", "cant_hear", "nobody_available", "wrap_up", "line_dropped", "leave_message", "goodbye"
]

PHRASES: dict[str, dict[PhraseKey, str]] = {
    "en": {
        "didnt_catch": "Sorry, I didn't catch that. How can I help you?",
        "cant_hear": (
            "I'm sorry, I can't hear you. Please leave a message after the tone, or call back anytime."
        ),
        "nobody_available": (
            "I'm sorry, nobody could take your call right now. Please leave a message after the tone."
        ),
        "wrap_up": "Thank you for calling. If there's anything else, please call back. Goodbye.",
        "line_dropped": "Sorry, the line dropped for a moment. Please go on.",
        "leave_message": "Please leave a message after the tone.",
        "goodbye": "Thank you for calling. Goodbye.",
    },
    "es": {
        "didnt_catch": "Disculpe, no le entendí. ¿En qué le puedo ayudar?",
        "cant_hear": (
            "Lo siento, no le escucho. Por favor deje un mensaje después del tono, o vuelva a llamar "
            "cuando quiera."
        ),
        "nobody_available": (
            "Lo siento, nadie puede atender su llamada en este momento. Por favor deje un mensaje "
            "después del tono."
        ),
        "wrap_up": "Gracias por llamar. Si necesita algo más, vuelva a llamarnos. Adiós.",
        "line_dropped": "Disculpe, la línea se cortó un momento. Continúe, por favor.",
        "leave_message": "Por favor deje un mensaje después del tono.",
        "goodbye": "Gracias por llamar. Adiós.",
    },
}


def phrase(key: PhraseKey, language: str | None) -> str:
    """The sentence ``key`` in ``language`` (a BCP 47 tag such as ``es-US``), else in English."""
    primary = (language or "en").split("-")[0].lower()
    return PHRASES.get(primary, PHRASES["en"])[key]

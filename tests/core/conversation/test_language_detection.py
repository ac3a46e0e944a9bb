"""Caller language detection: among the tenant's languages only, on turns long enough, and clear."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from core import CallContext, TenantIdentity
from core.conversation.language import detect_turn_language, judge

BILINGUAL = ["en-US", "es-US"]


class FakeSession:
    """What detection touches of a call session: the call's row, its context, and its events."""

    def __init__(self, languages: list[str], language: str = "en-US") -> None:
        tenant = TenantIdentity(id="t-1", slug="acme", name="Acme", languages=languages)
        self.context = CallContext(
            call_sid="CA1", tenant=tenant, caller="+1555", called="+1556", language=language
        )
        self.call = SimpleNamespace(language=language)
        self.events: list[tuple[str, dict[str, Any]]] = []

    async def event(self, event_type: str, data: dict[str, Any] | None = None) -> None:
        self.events.append((event_type, data or {}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola, quiero hacer una cita para el martes", "es-US"),
        ("¿Aceptan seguro dental?", "es-US"),
        ("quiero hablar con una persona", "es-US"),
        ("Can I book a cleaning tomorrow at 10?", "en-US"),
        ("Do you take my Delta insurance?", "en-US"),
    ],
)
def test_a_clear_turn_is_judged_in_the_tenants_tag(text: str, expected: str) -> None:
    assert judge(text, BILINGUAL) == expected


@pytest.mark.parametrize(
    "text",
    ["sí", "okay", "gracias", "Dana Smith", "José García", "(pressed 2)", "", "el martes"],
)
def test_short_turns_and_bare_names_say_nothing(text: str) -> None:
    assert judge(text, BILINGUAL) is None


def test_names_inside_a_sentence_do_not_count() -> None:
    # Lingua alone reads this as Spanish; without the name it is plainly English.
    assert judge("My name is José García", BILINGUAL) is None
    assert judge("Hi, this is María González calling about my appointment", BILINGUAL) == "en-US"


def test_detection_is_restricted_to_the_tenants_languages() -> None:
    french = "Je voudrais prendre rendez-vous demain matin"
    assert judge(french, ["en-US", "fr-CA"]) == "fr-CA"
    # A tenant without French never hears of it: the turn can only be one of its own languages.
    assert judge(french, BILINGUAL) in (None, "en-US", "es-US")
    # Tags lingua does not know are left out; one language left is nothing to choose between.
    assert judge("Hola, quiero hacer una cita para el martes", ["en-US", "xx-YY"]) is None


def test_the_tenants_own_tag_is_returned() -> None:
    assert judge("Quiero hacer una cita para mañana", ["en-US", "es-MX"]) == "es-MX"
    # The first tag the tenant lists for a language wins.
    assert judge("Quiero hacer una cita para mañana", ["es-MX", "es-US", "en-US"]) == "es-MX"


async def test_a_spanish_turn_switches_the_call_and_records_it() -> None:
    session = FakeSession(BILINGUAL)
    switched = await detect_turn_language(session, "Hola, necesito una cita para una limpieza")  # type: ignore[arg-type]
    assert switched == "es-US"
    assert session.call.language == "es-US"
    assert session.context.language == "es-US"
    assert session.events == [("call.language_changed", {"from": "en-US", "to": "es-US"})]


async def test_a_turn_in_the_calls_language_changes_nothing() -> None:
    session = FakeSession(BILINGUAL, language="es-US")
    assert await detect_turn_language(session, "Quiero una cita para el martes en la tarde") is None  # type: ignore[arg-type]
    assert session.events == []
    # Back to English once the caller clearly speaks it.
    assert await detect_turn_language(session, "Sorry, can we speak English please?") == "en-US"  # type: ignore[arg-type]
    assert session.call.language == "en-US"


async def test_a_single_language_tenant_never_switches() -> None:
    session = FakeSession(["en-US"])
    assert await detect_turn_language(session, "Hola, quiero hacer una cita para el martes") is None  # type: ignore[arg-type]
    assert session.call.language == "en-US"
    assert session.events == []

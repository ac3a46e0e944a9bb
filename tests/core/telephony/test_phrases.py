"""The platform's own mid-call sentences follow the call's language."""

from __future__ import annotations

import pytest

from core.telephony.phrases import PHRASES, phrase


def test_every_language_has_every_sentence() -> None:
    assert {language: set(table) for language, table in PHRASES.items()} == {
        language: set(PHRASES["en"]) for language in PHRASES
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-US", "Sorry, I didn't catch that. How can I help you?"),
        ("es-US", "Disculpe, no le entendí. ¿En qué le puedo ayudar?"),
        ("es-MX", "Disculpe, no le entendí. ¿En qué le puedo ayudar?"),
        ("fr-FR", "Sorry, I didn't catch that. How can I help you?"),  # not translated: English
        (None, "Sorry, I didn't catch that. How can I help you?"),
    ],
)
def test_a_sentence_is_chosen_by_the_primary_language(language: str | None, expected: str) -> None:
    assert phrase("didnt_catch", language) == expected

"""Everything language-specific the offline model knows, one module per language.

A language is one ``Language`` value: the intent patterns, the words of dates, times and
numbers, and the sentences the receptionist speaks. The rest of the model works on those
tables only, so adding a language means adding a module here and listing it in ``LANGUAGES``.
"""

from __future__ import annotations

from plugins.offline_model.lang.base import DateWords, Language
from plugins.offline_model.lang.en import ENGLISH
from plugins.offline_model.lang.es import SPANISH

__all__ = ["LANGUAGES", "DateWords", "Language", "language_for"]

LANGUAGES: dict[str, Language] = {"en": ENGLISH, "es": SPANISH}


def language_for(tag: str | None) -> Language:
    """The language for a BCP 47 tag (``en-US``); English when the language is not known yet."""
    primary = (tag or "en").split("-")[0].lower()
    return LANGUAGES.get(primary, ENGLISH)

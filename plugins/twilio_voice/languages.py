"""Which language a Twilio voice speaks, and the voice to use for a language the configured one cannot.

Amazon Polly voices each speak one language (``Polly.Joanna`` English, ``Polly.Lupe`` Spanish);
Google voices carry theirs in their name (``Google.es-US-Neural2-A``). A call that switches to
Spanish must not be read by an English voice, which would mangle every word.
"""

from __future__ import annotations

# A voice per language for when the configured one cannot speak it: by full tag, then by language.
DEFAULT_VOICES: dict[str, str] = {
    "en-US": "Polly.Joanna",
    "en-GB": "Polly.Amy",
    "en-AU": "Polly.Olivia",
    "en": "Polly.Joanna",
    "es-US": "Polly.Lupe",
    "es-MX": "Polly.Mia",
    "es-ES": "Polly.Lucia",
    "es": "Polly.Lupe",
    "fr-CA": "Polly.Gabrielle",
    "fr": "Polly.Lea",
    "pt-BR": "Polly.Camila",
    "pt": "Polly.Ines",
    "de": "Polly.Vicki",
    "it": "Polly.Bianca",
}

# The language of each Polly voice we know (names without the "-Neural"/"-Generative" suffix).
POLLY_LANGUAGES: dict[str, str] = {
    **dict.fromkeys(
        "Joanna Matthew Salli Kimberly Kendra Joey Justin Ivy Ruth Stephen Danielle Gregory Kevin Amy Emma "
        "Brian Arthur Olivia Nicole Russell Aria Ayanda Raveena Geraint Niamh".split(),
        "en",
    ),
    **dict.fromkeys("Lupe Penelope Miguel Pedro Mia Andres Lucia Conchita Enrique Sergio".split(), "es"),
    **dict.fromkeys("Lea Celine Mathieu Remi Chantal Gabrielle Liam".split(), "fr"),
    **dict.fromkeys("Camila Vitoria Ricardo Thiago Ines Cristiano".split(), "pt"),
    **dict.fromkeys("Vicki Marlene Hans Daniel".split(), "de"),
    **dict.fromkeys("Bianca Carla Giorgio Adriano".split(), "it"),
}
# Twilio's own basic voices: "alice" speaks many languages, "man" and "woman" only English.
MULTILINGUAL = frozenset({"alice"})
ENGLISH_ONLY = frozenset({"man", "woman"})


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def voice_language(voice: str) -> str | None:
    """The language ``voice`` speaks ("en"), or None when it speaks many or is not one we know."""
    if voice in MULTILINGUAL:
        return None
    if voice in ENGLISH_ONLY:
        return "en"
    family, _, name = voice.partition(".")
    if family == "Polly":
        return POLLY_LANGUAGES.get(name.split("-")[0])
    if family == "Google" and name:
        return primary(name)
    return None


def voice_for(language: str, configured: str, overrides: dict[str, str]) -> str:
    """The voice to speak ``language`` with: the tenant's choice for it (by tag, then by language),
    the configured voice when it can speak it, else our default for the language."""
    for key in (language, primary(language)):
        if key in overrides:
            return overrides[key]
    speaks = voice_language(configured)
    if speaks is None or speaks == primary(language):
        return configured
    return DEFAULT_VOICES.get(language) or DEFAULT_VOICES.get(primary(language)) or configured

"""Text normalisation shared by intents and dates: words to numerals, spoken phone numbers."""

from __future__ import annotations

import re

from plugins.offline_model.lang import Language

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_MERIDIEM = re.compile(r"\b([ap])\s?\.\s?m\b\.?")
# Keep what numbers, times and dates are made of (":" "/" "+"), drop the rest of punctuation.
_PUNCTUATION = re.compile(r"[^\w\s:/+']|_")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]+")
_PHONE_PUNCTUATION = frozenset({"-", ".", "+", "(", ")", "/"})


def normalise(text: str, language: Language) -> str:
    """Lower-cased, contractions expanded, punctuation dropped, single spaces."""
    text = text.translate(_APOSTROPHES).lower()
    for pattern, replacement in language.contractions:
        text = pattern.sub(replacement, text)
    text = _MERIDIEM.sub(r"\1m", text)
    text = _PUNCTUATION.sub(" ", text).replace("'", "")
    return _SPACES.sub(" ", text).strip()


def numerals(text: str, language: Language) -> str:
    """Normalised ``text`` with number words as digits ("forty five" -> "45", "third" -> "3rd")."""
    words = text.split(" ")
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if (
            word in language.tens
            and following in language.number_words
            and language.number_words[following] < 10
        ):
            out.append(str(language.number_words[word] + language.number_words[following]))
            index += 2
            continue
        if (
            word in language.tens
            and following in language.ordinal_words
            and language.ordinal_words[following] < 10
        ):
            out.append(_ordinal(language.number_words[word] + language.ordinal_words[following]))
            index += 2
            continue
        previous = words[index - 1] if index else ""
        if word in language.pronoun_numbers and (
            previous in language.determiners or previous in language.ordinal_words
        ):
            out.append(word)  # "the first one", "that one": not a number
        elif word in language.number_words:
            out.append(str(language.number_words[word]))
        elif word in language.ordinal_words:
            out.append(_ordinal(language.ordinal_words[word]))
        else:
            out.append(word)
        index += 1
    return " ".join(out)


def _ordinal(number: int) -> str:
    # The suffix itself does not matter downstream, only that one is there.
    return f"{number}th"


def phone_number(text: str, language: Language) -> str | None:
    """The phone number spoken or written in ``text``, as E.164 when it is a North American one.

    Digits may be written ("555-123-4567", "(555) 123 4567") or spoken one by one, in pairs or
    with repeats ("five five five, one two three, forty five sixty seven", "double five").
    """
    plus = "+" in text
    tokens = _TOKEN.findall(numerals(normalise(text, language), language))
    runs: list[str] = []
    current = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        nxt = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in language.phone_repeats and (nxt.isdigit() or nxt in language.phone_digit_words):
            digit = language.phone_digit_words.get(nxt, nxt)
            current += digit * language.phone_repeats[token]
            index += 2
            continue
        if token.isdigit():
            current += token
        elif token == language.hundred and current:
            current += "00"
        elif token in language.phone_digit_words and (current or nxt.isdigit()):
            current += language.phone_digit_words[token]
        elif token in _PHONE_PUNCTUATION or token in language.phone_separators:
            pass
        else:
            if current:
                runs.append(current)
            current = ""
        index += 1
    if current:
        runs.append(current)
    digits = max(runs, key=len, default="")
    if len(digits) == 10:
        return "+1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return "+" + digits
    if plus and 8 <= len(digits) <= 15:
        return "+" + digits
    return None


def words_besides_numbers(text: str, language: Language) -> list[str]:
    """The words of ``text`` that are not part of a spoken or written number ("oh", "double",
    dashes and digits are; "call me at" is not)."""
    return [
        token
        for token in _TOKEN.findall(numerals(normalise(text, language), language))
        if not token.isdigit()
        and token not in language.phone_digit_words
        and token not in language.phone_repeats
        and token not in _PHONE_PUNCTUATION
        and token not in language.phone_separators
        and token != language.hundred
    ]


def strip_fillers(text: str, language: Language) -> str:
    """``text`` without leading hesitations ("um, so, yeah"), original casing kept."""
    previous = None
    while previous != text:
        previous = text
        text = language.fillers.sub("", text, count=1).lstrip(" ,.;:-")
    return text.strip()

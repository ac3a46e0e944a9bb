"""Spanish dates and times: "el martes a las tres de la tarde", "pasado mañana", "a las 10 y media".

The patterns run on normalised text whose number words are digits ("tres y media" -> "3 y media").
Speech recognition writes accents, typed texts often drop them: every pattern is written with its
accents and compiled to accept the word either way (``accented``).
"""

from __future__ import annotations

import re
from datetime import time
from typing import TypeVar

from plugins.offline_model.lang.base import DateWords

ValueT = TypeVar("ValueT")
_FOLDS = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ñ": "n", "ü": "u"}


def accented(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled so that each accented letter also matches its plain one ("mañana", "manana").

    Accented letters must not be written inside a ``[...]`` class of the pattern.
    """
    return re.compile(
        "".join(f"[{plain}{char}]" if (plain := _FOLDS.get(char)) else char for char in pattern)
    )


def with_plain(words: dict[str, ValueT]) -> dict[str, ValueT]:
    """``words`` with each accented key also spelled without its accents (after the accented ones)."""
    table = str.maketrans(_FOLDS)
    plain = {word.translate(table): value for word, value in words.items()}
    return {**words, **{word: value for word, value in plain.items() if word not in words}}


WEEKDAYS = with_plain(
    {"lunes": 0, "martes": 1, "miércoles": 2, "jueves": 3, "viernes": 4, "sábado": 5, "domingo": 6}
)
MONTHS = with_plain(
    {
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
        "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    }
)  # fmt: skip
_DAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_PART = r"(?:de|en|por) la (?:mañana|tarde|noche)"
# A time of day as text: "mediodía", "3 y media", "4 menos cuarto", "3:30", "3 y 30", "10 en punto".
TIME = (
    r"(?:mediodía|\d{1,2} y (?:media|cuarto)|\d{1,2} menos cuarto|"
    r"\d{1,2}(?::[0-5]\d| y [0-5]\d(?!\d)| [0-5]\d(?!\d))?(?: ?(?:am|pm|en punto))?)"
    # Not a count of something, an ordinal or a date: "2 días", "3th", "3/14", "14 de marzo".
    rf"(?!\d|th|/| ?(?:días?|semanas?|minutos?|horas?|personas?|de (?:{_MONTH})\b))"
)

DATES = DateWords(
    weekdays=WEEKDAYS,
    months=MONTHS,
    today=accented(r"\b(hoy|esta (mañana|tarde)|más tarde hoy|hoy mismo)\b"),
    tonight=accented(r"\b(esta noche|hoy en la noche|hoy por la noche)\b"),
    # "Mañana" is tomorrow, "la mañana" the morning ("mañana en la mañana": tomorrow morning).
    tomorrow=accented(r"(?<!la )(?<!esta )\bmañana\b"),
    day_after_tomorrow=accented(r"\bpasado mañana\b"),
    this_week=accented(r"\b(esta|el resto de la) semana\b"),
    later_this_week=accented(r"\b(más adelante|más tarde|después) (esta|en la) semana\b"),
    next_week=accented(
        r"\b((la )?(próxima|siguiente) semana|(la )?semana (que viene|próxima|entrante|siguiente))\b"
    ),
    weekend=accented(r"\b(?:(este|el próximo|el siguiente|el) )?fin de semana\b"),
    in_days=accented(r"\b(?:en|dentro de) (\d+|un|una) (día|días|semana|semanas)\b"),
    weekday=accented(
        rf"\b(?:(este|el próximo|el siguiente|próximo|el|para el|este próximo) )?({_DAY})"
        r"(?: (?:que viene|próximo))?\b"
    ),
    this_modifiers=frozenset({"este"}),
    next_modifiers=frozenset(
        {"el próximo", "el proximo", "el siguiente", "próximo", "proximo", "este próximo", "este proximo"}
    ),
    month_day=accented(rf"\b({_MONTH}) (\d{{1,2}})(?! ?(?::\d|am|pm|\d| y ))(?: (?:de|del) (\d{{4}}))?\b"),
    day_of_month=accented(rf"\b(?:el )?(\d{{1,2}})(?:th)? de ({_MONTH})(?: (?:de|del) (\d{{4}}))?\b"),
    # "para el 14", "el día 3": a day of the month ("el primero" is "el 1th": not taken here).
    ordinal_day=accented(r"\b(?:el día|el|día) (\d{1,2})\b(?! ?(?::\d|am|pm|y |menos|en punto|de la))"),
    # "el miércoles 11", "lunes 9 a las 10": how a date is said, not the weekday at eleven.
    weekday_day=accented(
        rf"\b({_DAY}),? (?:día |el )?(\d{{1,2}})\b(?! ?(?::\d|am|pm|y |menos|en punto|de la|de ({_MONTH})))"
    ),
    numeric_date=re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b"),
    month_first=False,
    asap=accented(
        r"\b(lo antes posible|lo más pronto posible|lo más pronto|cuanto antes|lo primero que tenga|"
        r"lo más temprano posible|la primera cita disponible|el primer espacio|lo primero disponible|"
        r"cuando sea|cuando tenga|a cualquier hora|cualquier día|cualquier hora|soy flexible|no importa|"
        r"me da igual|lo que tenga|lo que sea más pronto|ya mismo)\b"
    ),
    noon=accented(r"^(mediodía|12 del mediodía|12 de mediodía)$"),
    half_past=re.compile(r"^(\d{1,2}) y media$"),
    quarter_past=re.compile(r"^(\d{1,2}) y cuarto$"),
    quarter_to=re.compile(r"^(\d{1,2}) menos cuarto$"),
    clock=re.compile(r"^(\d{1,2})(?:(?::| y | )([0-5]\d))? ?(am|pm|en punto)?$"),
    time_at=accented(
        rf"\b(?:a las|a la|como a las|como a la|tipo|alrededor de las|sobre las|a eso de las|"
        rf"qué tal a las|y a las|para las|las) ({TIME})"
    ),
    time_marker=accented(r":|am|pm|en punto|mediodía|media|cuarto|\d y \d"),
    # "opción 3", "(pressed 2)": a choice, not a time.
    time_any=accented(rf"\b(?<!opción )(?<!número )(?<!pressed )({TIME})"),
    between=accented(rf"\b(?:entre|de)(?: las| la)? ({TIME}) (?:y|a|hasta)(?: las| la)? ({TIME})"),
    after=accented(rf"\b(?:después de|más tarde de|a partir de|desde|no antes de)(?: las| la)? ({TIME})"),
    before=accented(rf"\b(?:antes de|hasta|no más tarde de|para antes de)(?: las| la)? ({TIME})"),
    am=frozenset({"am", "mañana", "manana", "madrugada"}),
    pm=frozenset({"pm", "tarde", "noche"}),
    parts_of_day={
        "madrugada": (None, time(9)),
        "mañana": (None, time(12)),
        "manana": (None, time(12)),
        "mediodía": (time(11, 30), time(13, 30)),
        "mediodia": (time(11, 30), time(13, 30)),
        "tarde": (time(12), time(17)),
        "noche": (time(17), None),
    },
    # Bare "mañana" is tomorrow and bare "tarde" is late ("más tarde"): a part of the day is "de la
    # tarde", "en la mañana", "esta noche"... One group, as dates.py reads it.
    part_pattern=accented(
        r"\b((?:(?<=de la )|(?<=en la )|(?<=por la )|(?<=esta ))(?:mañana|tarde|noche|madrugada)|mediodía)\b"
    ),
    part_suffix=accented(rf" *({_PART}|de la madrugada)\b"),
    week_units=frozenset({"semana", "semanas"}),
)

"""Spanish date and time phrases, read in the tenant's timezone relative to a fixed "now"."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from plugins.offline_model.dates import TimePreference, parse_when
from plugins.offline_model.lang import language_for

SPANISH = language_for("es-US")
ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2026, 2, 26, 10, 0, tzinfo=ZONE)  # jueves 26 de febrero de 2026, 10:00
HOURS = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu")} | {"fri": [["08:00", "14:00"]]}
THU, FRI, SAT = date(2026, 2, 26), date(2026, 2, 27), date(2026, 2, 28)
MON, TUE, WED = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)


def when(text: str, **kwargs) -> TimePreference | None:
    return parse_when(text, NOW, SPANISH, HOURS, **kwargs)


def one_day(day: date, **fields) -> TimePreference:
    return TimePreference(first_day=day, last_day=day, **fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoy", one_day(THU)),
        ("mañana", one_day(FRI)),
        ("manana", one_day(FRI)),  # typed without the accent
        ("pasado mañana", one_day(SAT)),
        ("el martes", one_day(TUE)),
        ("el próximo martes", one_day(TUE)),
        ("este viernes", one_day(FRI)),
        ("el jueves", one_day(date(2026, 3, 5))),  # said on a Thursday: next week's
        ("este jueves", one_day(THU)),
        ("el miércoles", one_day(WED)),
        ("el miercoles", one_day(WED)),
        ("el 14", one_day(date(2026, 3, 14))),
        ("el 3 de marzo", one_day(TUE)),
        ("el tres de marzo", one_day(TUE)),
        ("el primero de marzo", one_day(date(2026, 3, 1))),
        ("14/3", one_day(date(2026, 3, 14))),  # day first
        ("en dos días", one_day(SAT)),
        ("dentro de una semana", one_day(date(2026, 3, 5))),
        ("la próxima semana", TimePreference(first_day=MON, last_day=date(2026, 3, 8))),
        ("la semana que viene", TimePreference(first_day=MON, last_day=date(2026, 3, 8))),
        ("este fin de semana", TimePreference(first_day=SAT, last_day=date(2026, 3, 1))),
    ],
)
def test_days(text: str, expected: TimePreference) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el martes a las tres de la tarde", one_day(TUE, exact=time(15), part="tarde")),
        ("el martes a las 3", one_day(TUE, exact=time(15))),  # business hours decide: 3 PM
        ("mañana a las diez", one_day(FRI, exact=time(10))),
        ("mañana a las 10 y media", one_day(FRI, exact=time(10, 30))),
        ("mañana a las diez y media", one_day(FRI, exact=time(10, 30))),
        ("a las 4 menos cuarto", TimePreference(exact=time(15, 45))),
        ("a las 2 y cuarto", TimePreference(exact=time(14, 15))),
        ("a la una y media", TimePreference(exact=time(13, 30))),
        ("a las 9:30", TimePreference(exact=time(9, 30))),
        ("al mediodía", TimePreference(exact=time(12), part="mediodía")),
        ("a las ocho de la mañana", TimePreference(exact=time(8), part="mañana")),
        ("a las 7 de la noche", TimePreference(exact=time(19), part="noche")),
        ("a las 3 pm", TimePreference(exact=time(15))),
    ],
)
def test_times(text: str, expected: TimePreference) -> None:
    assert when(text) == expected


def test_tomorrow_morning_is_a_day_and_a_part_of_it() -> None:
    assert when("mañana en la mañana") == one_day(FRI, latest=time(12), part="mañana")
    assert when("el viernes por la tarde") == one_day(FRI, earliest=time(12), latest=time(17), part="tarde")


def test_ranges_of_time() -> None:
    assert when("el lunes entre las 2 y las 4") == one_day(MON, earliest=time(14), latest=time(16))
    assert when("después de las 3") == TimePreference(earliest=time(15))
    assert when("antes de las 11") == TimePreference(latest=time(11))


def test_soonest_and_flexible() -> None:
    assert when("lo antes posible") == TimePreference(asap=True)
    assert when("cuando sea, no importa") == TimePreference(asap=True)


def test_a_bare_number_is_a_time_only_when_one_was_asked_for() -> None:
    assert when("quiero una cita") is None
    assert when("las 4 me quedan bien", expect_time=True) == TimePreference(exact=time(16))


def test_words_that_are_not_dates() -> None:
    assert when("llegaré más tarde") is None
    assert when("una limpieza por favor") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A weekday with a number is how a date is said: Wednesday the 11th, not Wednesday at 11.
        ("el miércoles 11", one_day(date(2026, 3, 11))),
        (
            "el miércoles 11 por la tarde",
            one_day(date(2026, 3, 11), earliest=time(12), latest=time(17), part="tarde"),
        ),
        ("el lunes 9 a las 10", one_day(date(2026, 3, 9), exact=time(10))),
        ("lunes, día 16", one_day(date(2026, 3, 16))),
        # The 12th of March is a Thursday; of the months to come, the first whose 12th is one.
        ("el jueves 12", one_day(date(2026, 3, 12))),
        ("el martes 12", one_day(date(2026, 5, 12))),
        # With a time marker after it, the number is the time.
        ("el viernes 3 de la tarde", one_day(FRI, exact=time(15), part="tarde")),
        ("el lunes a las 10", one_day(MON, exact=time(10))),
    ],
)
def test_a_weekday_and_a_day_of_the_month(text: str, expected: TimePreference) -> None:
    assert when(text) == expected

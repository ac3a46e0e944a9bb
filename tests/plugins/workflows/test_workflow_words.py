"""Numbers as callers say them: digits, words, money, percentages, in the normalised text."""

from __future__ import annotations

import pytest

from plugins.workflows.words import normalise, numbers_in


def values(text: str) -> list[float]:
    return [number.value for number in numbers_in(normalise(text))]


def test_normalise_expands_contractions_and_drops_punctuation_and_separators() -> None:
    assert normalise("I'd like $400,000. It's 20%!") == "i would like $400000 it is 20%"
    assert normalise("We can't, it's 1.5 million") == "we can not it is 1.5 million"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("four hundred thousand", [400_000]),
        ("$400k", [400_000]),
        ("400,000", [400_000]),
        ("400 thousand", [400_000]),
        ("about 1.2 million", [1_200_000]),
        ("half a million", [500_000]),
        ("a million and a half", [1_500_000]),
        ("one and a half million", [1_500_000]),
        ("four hundred and fifty thousand", [450_000]),
        ("four fifty thousand", [450_000]),
        ("a hundred grand", [100_000]),
        ("seven twenty", [720]),
        ("twenty five", [25]),
        ("borrow 400k on a house worth $650,000", [400_000, 650_000]),
        ("no numbers here", []),
    ],
)
def test_numbers_are_read_however_they_are_said(said: str, expected: list[float]) -> None:
    assert values(said) == expected


def test_money_percent_and_spelled_are_told_apart() -> None:
    money, bare, percent = numbers_in(normalise("$80k down, that's 20 percent of 400"))
    assert (money.value, money.money, money.percent, money.spelled) == (80_000, True, False, False)
    assert (bare.value, bare.percent) == (20, True)
    assert (percent.value, percent.money) == (400, False)
    (spelled,) = numbers_in(normalise("three hundred thousand dollars"))
    assert (spelled.value, spelled.money, spelled.spelled) == (300_000, True, True)


def test_positions_point_into_the_normalised_text() -> None:
    text = normalise("it's worth 650k")
    (number,) = numbers_in(text)
    assert text[number.start : number.end] == "650k"

"""Phone numbers as people write them, read as E.164."""

from __future__ import annotations

import pytest

from core.phones import normalise_number, require_number
from core.plugins.config import ConfigFieldError


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+15551230001", "+15551230001"),
        ("+1 (555) 123-0001", "+15551230001"),
        ("0044 20 7946 0018", "+442079460018"),
        ("+44.20.7946.0018", "+442079460018"),
        ("555-1234", None),  # no country code: not E.164
        ("anonymous", None),
        ("+0123456789", None),
    ],
)
def test_normalise_number(number, expected):
    assert normalise_number(number) == expected


def test_require_number_blames_the_field() -> None:
    assert require_number("transfer_number", "+1 (555) 123-0001") == "+15551230001"
    with pytest.raises(ConfigFieldError) as raised:
        require_number("departments.billing.number", "front desk")
    assert raised.value.field == "departments.billing.number"

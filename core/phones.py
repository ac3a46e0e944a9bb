"""Phone numbers in E.164, read the way people write them; shared by the host and plugins."""

from __future__ import annotations

import re

from core.plugins.config import ConfigFieldError

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_FORMATTING = re.compile(r"[\s\-.()/]")


def normalise_number(number: str) -> str | None:
    """``number`` as E.164 (``+15551230001``) if it is one once formatting is removed, else None."""
    compact = _FORMATTING.sub("", number)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    return compact if _E164.match(compact) else None


def require_number(field: str, number: str) -> str:
    """``number`` normalised to E.164, or a ``ConfigFieldError`` blaming ``field``."""
    e164 = normalise_number(number)
    if e164 is None:
        raise ConfigFieldError(field, f"{number!r} is not a phone number in E.164 form, e.g. +15551230001")
    return e164

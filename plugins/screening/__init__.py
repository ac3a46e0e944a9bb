"""Screens calls against the tenant's blocklist and allowlist, and optionally withheld numbers."""

from __future__ import annotations

import re

import msgspec

from core import CallContext, ConfigFieldError, ScreeningDecision, hookimpl

NAME = "screening"
DEFAULT_INSTALLED = True

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_FORMATTING = re.compile(r"[\s\-.()/]")

# What Twilio sends as From when the caller withholds their number: words from some carriers,
# and the keypad spellings ANONYMOUS, RESTRICTED, UNKNOWN, UNAVAILABLE from others.
_WITHHELD = frozenset(
    {"", "anonymous", "restricted", "unknown", "private", "unavailable",
     "+266696687", "+7378742833", "+8656696", "+86282452253"}
)  # fmt: skip


def normalise_number(number: str) -> str | None:
    """``number`` as E.164 (``+15551230001``) if it is one once formatting is removed, else None."""
    compact = _FORMATTING.sub("", number)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    return compact if _E164.match(compact) else None


def _normalised_list(field: str, numbers: list[str]) -> list[str]:
    normalised = []
    for index, number in enumerate(numbers):
        e164 = normalise_number(number)
        if e164 is None:
            raise ConfigFieldError(
                f"{field}[{index}]", f"{number!r} is not a phone number in E.164 form, e.g. +15551230001"
            )
        normalised.append(e164)
    return normalised


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    blocklist: list[str] = []
    allowlist: list[str] = []
    block_anonymous: bool = False

    def __post_init__(self) -> None:
        # Stored normalised, so "+1 (555) 123-0001" in the admin form matches Twilio's "+15551230001".
        self.blocklist = _normalised_list("blocklist", self.blocklist)
        self.allowlist = _normalised_list("allowlist", self.allowlist)


def screen(caller: str, config: Config) -> ScreeningDecision | None:
    """The decision for ``caller``; None leaves it to other screening plugins."""
    number = normalise_number(caller)
    # The blocklist beats the allowlist: blocking is the deliberate act of the two.
    if number is not None and number in config.blocklist:
        return ScreeningDecision(action="reject", reasons=["blocklist"])
    if number is not None and number in config.allowlist:
        return ScreeningDecision(action="allow", reasons=["allowlist"])
    if config.block_anonymous and caller.strip().lower() in _WITHHELD:
        return ScreeningDecision(action="reject", reasons=["anonymous"])
    return None


@hookimpl(tryfirst=True)
def screen_call(call: CallContext) -> ScreeningDecision | None:
    # tryfirst: the tenant's own lists are explicit and outrank heuristic screening (spam scores).
    return screen(call.caller, call.plugin_config(NAME, Config))

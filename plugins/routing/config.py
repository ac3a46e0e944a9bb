"""The routing plugin's configuration: where people are reached, and when to reach for them."""

from __future__ import annotations

import re
from typing import Literal

import msgspec

from core import ConfigFieldError
from core.phones import require_number

NAME = "routing"

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")

# Phrases that mean "let me talk to a person", matched as whole words in what the caller said.
DEFAULT_PERSON_PHRASES = (
    "a person", "real person", "a human", "representative", "operator", "receptionist",
    "live agent", "an agent", "talk to someone", "speak to someone", "speak with someone",
    "talk with someone", "staff member",
)  # fmt: skip

Hours = dict[str, list[tuple[str, str]]]


class Department(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    number: str
    # Words that send the caller here as soon as they say one (e.g. "emergency", "invoice").
    keywords: list[str] = []
    # Like the business hours ({"mon": [["09:00", "17:00"]], ...}); None follows the business hours.
    hours: Hours | None = None

    def check(self, field: str) -> None:
        """Normalise and check the department found at ``field`` (e.g. ``departments.billing``)."""
        # Checked from Config rather than __post_init__, so an error names the department:
        # msgspec reports a dict value's path as "departments[...]".
        self.number = require_number(f"{field}.number", self.number)
        for index, keyword in enumerate(self.keywords):
            if not keyword.strip():
                raise ConfigFieldError(f"{field}.keywords[{index}]", "must not be empty")
        if self.hours is not None:
            _check_hours(f"{field}.hours", self.hours)


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # The main person to reach (E.164); None: only departments can be reached.
    transfer_number: str | None = None
    departments: dict[str, Department] = {}
    # How long a transfer rings before the caller is offered voicemail (Twilio allows 5..600).
    dial_timeout_s: int = 20
    # A transfer is wanted but the business (or department) is closed.
    after_hours: Literal["message", "voicemail", "transfer"] = "message"
    # "transfer": a VIP caller asking for a person goes through even when closed.
    vip_action: Literal["transfer", "continue"] = "transfer"
    # Turns in a row the model did not understand before a person is reached for; 0 = off.
    escalate_after_misunderstandings: int = 3
    # A turn at or below this sentiment (-1..1) is negative; this many in a row escalate (0 = off).
    negative_sentiment_threshold: float = -0.5
    negative_turns_to_escalate: int = 2
    person_phrases: tuple[str, ...] = DEFAULT_PERSON_PHRASES

    def __post_init__(self) -> None:
        if self.transfer_number is not None:
            self.transfer_number = require_number("transfer_number", self.transfer_number)
        for name, department in self.departments.items():
            if not name.strip():
                raise ConfigFieldError("departments", "a department needs a name")
            department.check(f"departments.{name}")
        for index, phrase in enumerate(self.person_phrases):
            if not phrase.strip():
                raise ConfigFieldError(f"person_phrases[{index}]", "must not be empty")
        if not 5 <= self.dial_timeout_s <= 600:
            raise ConfigFieldError("dial_timeout_s", "must be between 5 and 600 seconds")
        if self.escalate_after_misunderstandings < 0:
            raise ConfigFieldError("escalate_after_misunderstandings", "must be 0 (off) or more")
        if not -1 <= self.negative_sentiment_threshold <= 1:
            raise ConfigFieldError("negative_sentiment_threshold", "must be between -1 and 1")
        if self.negative_turns_to_escalate < 0:
            raise ConfigFieldError("negative_turns_to_escalate", "must be 0 (off) or more")


def _check_hours(field: str, hours: Hours) -> None:
    if not hours:
        raise ConfigFieldError(field, "list the days it is open, or leave hours out to follow the business")
    for day, intervals in hours.items():
        if day not in _WEEKDAYS:
            raise ConfigFieldError(f"{field}.{day}", f"is not a day; use {', '.join(_WEEKDAYS)}")
        for index, interval in enumerate(intervals):
            if not all(_CLOCK.match(clock) for clock in interval):
                raise ConfigFieldError(
                    f"{field}.{day}[{index}]", 'must be ["HH:MM", "HH:MM"], e.g. ["09:00", "17:00"]'
                )

"""The offline model's name and per-tenant settings."""

from __future__ import annotations

import msgspec

from core import ConfigFieldError

NAME = "offline_model"


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Caller turns before the receptionist wraps up (offers a message, then ends the call).
    max_turns: int = 20
    # Intent confidence (0..1) to act on a request without asking "did you want to...?".
    confident: float = 0.5
    # Below this the request counts as not understood at all.
    min_confidence: float = 0.2
    # Knowledge-base score (0..1) for an answer to be read out; below it a message is offered.
    answer_threshold: float = 0.35
    # Turns in a row not understood before offering a message or a person.
    max_misunderstandings: int = 3
    # Book, move and cancel appointments; off: offer to take a message instead.
    offer_booking: bool = True
    # How many free slots to offer at once.
    slots_to_offer: int = 3
    # Offer to text the address to the caller.
    offer_sms: bool = True
    # Departments the caller may ask to be transferred to by name (as the transfer tool knows them).
    departments: list[str] = []

    def __post_init__(self) -> None:
        for field in ("confident", "min_confidence", "answer_threshold"):
            if not 0.0 <= getattr(self, field) <= 1.0:
                raise ConfigFieldError(field, "must be between 0 and 1")
        if self.min_confidence > self.confident:
            raise ConfigFieldError("min_confidence", "must not be above confident")
        if self.max_turns < 4:
            raise ConfigFieldError("max_turns", "must be 4 or more")
        if self.max_misunderstandings < 1:
            raise ConfigFieldError("max_misunderstandings", "must be 1 or more")
        if not 1 <= self.slots_to_offer <= 5:
            raise ConfigFieldError("slots_to_offer", "must be between 1 and 5")

"""Settings every workflow plugin shares, and their checks."""

from __future__ import annotations

import msgspec

from core import ConfigFieldError
from core.phones import require_number


class WorkflowConfig(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # A lead scoring this or more (0..100) is hot: handed to a person at once.
    hot_score: int = 70

    def __post_init__(self) -> None:
        if not 0 <= self.hot_score <= 100:
            raise ConfigFieldError("hot_score", "must be between 0 and 100")

    def check_number(self, field: str) -> None:
        """Normalise the phone number in ``field`` to E.164, blaming the field when it is not one."""
        value = getattr(self, field)
        if value is not None:
            setattr(self, field, require_number(field, value))

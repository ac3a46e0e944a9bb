"""The Anthropic conversation model's name, per-tenant settings and known prices."""

from __future__ import annotations

from core import ConfigFieldError
from core.conversation.hosted_models import HostedModelConfig

NAME = "anthropic"

# USD per million (input, output) tokens, from Anthropic's price list; a dated snapshot
# ("claude-haiku-4-5-20251001") costs what its family costs. A model not listed has no
# estimate unless the tenant sets its prices.
PRICES: dict[str, tuple[float, float]] = {
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "claude-opus-4-5": (5.00, 25.00),
}


class Config(HostedModelConfig, kw_only=True, forbid_unknown_fields=True):
    """See ``HostedModelConfig`` for the fields; ``base_url`` is an Anthropic-compatible endpoint."""

    # The fastest current Claude, which calls tools well.
    model: str = "claude-haiku-4-5"
    # None: the model's own. Current Claude models choose their sampling themselves, and the
    # SDK no longer lists the setting; when set it is sent anyway, for the models that read it.
    temperature: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.temperature is not None and self.temperature > 1.0:
            raise ConfigFieldError("temperature", "must be between 0 and 1 for Anthropic models")

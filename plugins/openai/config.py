"""The OpenAI conversation model's name, per-tenant settings and known prices."""

from __future__ import annotations

from core.conversation.hosted_models import HostedModelConfig

NAME = "openai"

# USD per million (input, output) tokens of the models a receptionist would use, from OpenAI's
# price list; a dated snapshot ("gpt-4.1-mini-2025-04-14") costs what its family costs. A model
# not listed has no estimate unless the tenant sets its prices.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}


class Config(HostedModelConfig, kw_only=True, forbid_unknown_fields=True):
    """See ``HostedModelConfig`` for the fields; ``base_url`` is an OpenAI-compatible endpoint."""

    # A fast chat model that calls tools well, without the delay of a reasoning model.
    model: str = "gpt-4.1-mini"

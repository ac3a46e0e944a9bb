"""Answers callers with an Anthropic Claude model, streamed and tool-using."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.anthropic.config import NAME, Config
from plugins.anthropic.llm import AnthropicLLM

__all__ = ["DEFAULT_INSTALLED", "NAME", "AnthropicLLM", "Config", "register_llm_providers"]

# A tenant opts in with its API key.
DEFAULT_INSTALLED = False


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("anthropic", AnthropicLLM())

"""Answers callers with an OpenAI model (or an OpenAI-compatible gateway), streamed and tool-using."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.openai.config import NAME, Config
from plugins.openai.llm import OpenAILLM

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "OpenAILLM", "register_llm_providers"]

# A tenant opts in with its API key.
DEFAULT_INSTALLED = False


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("openai", OpenAILLM())

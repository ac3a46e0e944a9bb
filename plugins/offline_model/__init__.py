"""The built-in receptionist: understands callers and books, answers, takes messages, offline.

No API key and no network: intents are scored with weighted patterns per language, dates and
times are read relative to the tenant's clock, and a dialogue manager runs each task with the
conversation tools of ``core.conversation.tools``.
"""

from __future__ import annotations

from core import Register, hookimpl
from plugins.offline_model.config import NAME, Config
from plugins.offline_model.lang import LANGUAGES
from plugins.offline_model.llm import OfflineLLM

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "OfflineLLM", "register_llm_providers"]

DEFAULT_INSTALLED = True


@hookimpl
def register_llm_providers(register: Register) -> None:
    register("offline", OfflineLLM(), languages=sorted(LANGUAGES))

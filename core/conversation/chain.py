"""Which conversation models answer a tenant's turn, in the order they are tried.

Each installed model is tried in the order of its plugin config's ``priority`` (lower first; a
plugin without one counts as ``DEFAULT_PRIORITY``), ties by provider name. The offline engine,
which needs no network and answers in milliseconds, is always last: the caller's safety net.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.providers import LLMProvider

if TYPE_CHECKING:
    from core.telephony.session import CallSession

# The provider name of the built-in rules engine.
OFFLINE = "offline"
# The priority of a model whose plugin config has none (and the hosted models' default).
DEFAULT_PRIORITY = 100


def conversation_providers(session: CallSession) -> list[tuple[str, LLMProvider]]:
    """The tenant's installed conversation models, in the order they are tried (offline last)."""
    configs = session.context.plugin_configs
    chosen = []
    for name, registration in session.services.providers.of_kind("llm_provider").items():
        if registration.plugin not in configs:
            continue
        priority = getattr(configs[registration.plugin], "priority", DEFAULT_PRIORITY)
        if not isinstance(priority, int):
            priority = DEFAULT_PRIORITY
        chosen.append(((name == OFFLINE, priority, name), name, registration.provider))
    chosen.sort(key=lambda item: item[0])
    return [(name, provider) for _, name, provider in chosen]  # type: ignore[misc]

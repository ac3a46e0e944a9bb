"""Which conversation models answer a tenant's turn, in the order they are tried."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.providers import LLMProvider

if TYPE_CHECKING:
    from core.telephony.session import CallSession


def conversation_providers(session: CallSession) -> list[tuple[str, LLMProvider]]:
    """The tenant's installed conversation models; the offline engine, if installed, always last."""
    installed = set(session.context.plugin_configs)
    chosen = [
        (name, registration.provider)
        for name, registration in session.services.providers.of_kind("llm_provider").items()
        if registration.plugin in installed
    ]
    return sorted(chosen, key=lambda item: item[0] == "offline")  # type: ignore[return-value]

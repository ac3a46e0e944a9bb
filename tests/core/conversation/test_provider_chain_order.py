"""The order a tenant's conversation models are tried in: config priority, then name, offline last."""

from __future__ import annotations

from types import SimpleNamespace

import msgspec

from core.conversation.chain import conversation_providers
from core.providers import Registration


class Prioritised(msgspec.Struct):
    priority: int = 100


class Plain(msgspec.Struct):
    pass


def session_with(registrations: dict[str, str], configs: dict[str, msgspec.Struct]) -> SimpleNamespace:
    """A stand-in CallSession: providers registered by plugins, and the tenant's installed configs."""
    llms = {
        name: Registration(kind="llm_provider", name=name, provider=f"<{name}>", plugin=plugin)
        for name, plugin in registrations.items()
    }
    providers = SimpleNamespace(of_kind=lambda kind: llms if kind == "llm_provider" else {})
    return SimpleNamespace(
        services=SimpleNamespace(providers=providers),
        context=SimpleNamespace(plugin_configs=configs),
    )


def test_lower_priority_first_then_name_and_the_offline_engine_always_last():
    session = session_with(
        {
            "offline": "offline_model",
            "openai": "openai",
            "anthropic": "anthropic",
            "scripted": "scripted_llm",
        },
        {
            "offline_model": Plain(),
            "openai": Prioritised(priority=1),
            "anthropic": Prioritised(priority=5),
            "scripted_llm": Plain(),  # no priority: the default, 100
        },
    )

    assert [name for name, _ in conversation_providers(session)] == [
        "openai",
        "anthropic",
        "scripted",
        "offline",
    ]


def test_equal_priorities_go_by_name_and_uninstalled_models_are_left_out():
    session = session_with(
        {"offline": "offline_model", "openai": "openai", "anthropic": "anthropic"},
        {"openai": Prioritised(), "anthropic": Prioritised()},
    )

    assert conversation_providers(session) == [("anthropic", "<anthropic>"), ("openai", "<openai>")]

"""First-party plugins. They register through the same path as third-party ones."""

from __future__ import annotations

# Module paths, in the order of the plugins' names; registered in this order before entry-point plugins.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "plugins.anthropic",
    "plugins.calendar",
    "plugins.conversation_relay",
    "plugins.workflows.dental",
    "plugins.elevenlabs",
    "plugins.greeting",
    "plugins.workflows.home_services",
    "plugins.http_connector",
    "plugins.hubspot",
    "plugins.workflows.legal",
    "plugins.workflows.mortgage",
    "plugins.offline_model",
    "plugins.openai",
    "plugins.routing",
    "plugins.screening",
    "plugins.twilio_voice",
    "plugins.webhook_events",
)

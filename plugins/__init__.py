"""First-party plugins. They register through the same path as third-party ones."""

from __future__ import annotations

# Module paths, registered in this order before entry-point plugins.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "plugins.calendar",
    "plugins.greeting",
    "plugins.http_connector",
    "plugins.hubspot",
    "plugins.offline_model",
    "plugins.routing",
    "plugins.screening",
    "plugins.twilio_voice",
    "plugins.webhook_events",
)

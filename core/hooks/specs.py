"""Every hook Frontdesk calls. The prose for each one lives in ``docs/hooks.md``.

Startup hooks are synchronous and run once per process. Per-call hooks may be ``async def``;
the host calls them only through ``core.plugins.calling.call_first`` / ``call_all``, which await
each implementation, so none of them uses ``firstresult=True`` or wrappers.
"""

from __future__ import annotations

from collections.abc import Awaitable

from core.context import CallContext, CallEvent, Greeting, RouteDecision, ScreeningDecision, Turn
from core.hooks.markers import hookspec
from core.providers import Register

# --- startup -------------------------------------------------------------------------------


@hookspec
def register_llm_providers(register: Register) -> None:
    """Register conversation models via ``register(name, provider, **meta)``. All results are collected."""


@hookspec
def register_voices(register: Register) -> None:
    """Register text-to-speech voices via ``register(name, provider, **meta)``. All results are collected."""


@hookspec
def register_calendars(register: Register) -> None:
    """Register calendars via ``register(name, provider, **meta)``. All results are collected."""


@hookspec
def register_crm_connectors(register: Register) -> None:
    """Register CRM connectors via ``register(name, provider, **meta)``. All results are collected."""


@hookspec
def register_workflows(register: Register) -> None:
    """Register industry workflows via ``register(name, workflow, **meta)``. All results are collected."""


@hookspec
def register_event_types(register: Register) -> None:
    """Register webhook event types via ``register(name, event_type)``. All results are collected."""


# --- per call ------------------------------------------------------------------------------


@hookspec
def screen_call(call: CallContext) -> ScreeningDecision | Awaitable[ScreeningDecision | None] | None:
    """Decide whether an incoming call reaches the receptionist. First non-None result wins."""


@hookspec
def greeting(call: CallContext) -> Greeting | Awaitable[Greeting | None] | None:
    """Supply the words, voice and language the call is answered with. First non-None result wins."""


@hookspec
def route_call(call: CallContext, turn: Turn) -> RouteDecision | Awaitable[RouteDecision | None] | None:
    """Decide where the call goes after a caller's turn. First non-None result wins."""


@hookspec
def log_call_event(call: CallContext, event: CallEvent) -> object | Awaitable[object]:
    """Observe one event of a call (CRM sync, analytics, audit). All results are collected."""

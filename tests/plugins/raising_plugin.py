"""Test plugin: every per-call hook raises, and asks to run first so others must survive it."""

from __future__ import annotations

from core import CallContext, CallEvent, Greeting, RouteDecision, ScreeningDecision, Turn, hookimpl

NAME = "raising"


@hookimpl(tryfirst=True)
def screen_call(call: CallContext) -> ScreeningDecision:
    raise RuntimeError("raising plugin fails in screen_call")


@hookimpl(tryfirst=True)
async def greeting(call: CallContext) -> Greeting:
    raise RuntimeError("raising plugin fails in greeting")


@hookimpl(tryfirst=True)
async def route_call(call: CallContext, turn: Turn) -> RouteDecision:
    raise RuntimeError("raising plugin fails in route_call")


@hookimpl(tryfirst=True)
def log_call_event(call: CallContext, event: CallEvent) -> None:
    raise RuntimeError("raising plugin fails in log_call_event")

"""Test plugin: every per-call hook waits for an hour, and asks to run first."""

from __future__ import annotations

import asyncio

from core import CallContext, CallEvent, Greeting, RouteDecision, ScreeningDecision, Turn, hookimpl

NAME = "hanging"
AN_HOUR = 3600


@hookimpl(tryfirst=True)
async def screen_call(call: CallContext) -> ScreeningDecision:
    await asyncio.sleep(AN_HOUR)
    return ScreeningDecision(action="reject", reasons=["hanging plugin finally answered"])


@hookimpl(tryfirst=True)
async def greeting(call: CallContext) -> Greeting:
    await asyncio.sleep(AN_HOUR)
    return Greeting(text="hanging plugin finally answered")


@hookimpl(tryfirst=True)
async def route_call(call: CallContext, turn: Turn) -> RouteDecision:
    await asyncio.sleep(AN_HOUR)
    return RouteDecision(action="hangup", reason="hanging plugin finally answered")


@hookimpl(tryfirst=True)
async def log_call_event(call: CallContext, event: CallEvent) -> str:
    await asyncio.sleep(AN_HOUR)
    return "hanging plugin finally answered"

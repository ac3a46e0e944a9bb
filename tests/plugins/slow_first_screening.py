"""Test plugin: the first call it screens waits (until the hook deadline); later ones pass at once.

It holds a call's first webhook inside the pipeline, so a second request for the same call can
be answered and committed first, as when Twilio retries a webhook that has not been answered yet.
"""

import asyncio

from core import CallContext, ScreeningDecision, hookimpl

NAME = "slow_first_screening"
AN_HOUR = 3600
screened: list[str] = []


@hookimpl(tryfirst=True)
async def screen_call(call: CallContext) -> ScreeningDecision | None:
    screened.append(call.call_sid)
    if len(screened) == 1:
        await asyncio.sleep(AN_HOUR)
    return None

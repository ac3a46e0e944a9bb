"""The full signed Twilio call path (incoming, caller turns, status) against a bare TwiML endpoint.

Each simulated call posts what Twilio posts, signed as Twilio signs: the incoming webhook, two
caller turns answered by the offline model (a knowledge question and an hours question), and the
final status callback. Every webhook's latency counts; the baseline is a bare Litestar POST
returning fixed TwiML, measured in the same run the same way, and the floor the same bare app
checking the Twilio signature and building TwiML with the twilio library, as every webhook must.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable
from typing import TypeVar

import httpx

from core.telephony.simulator import SimulatedCall, TwilioSide
from tests.benchmarks.harness import TWILIO_TOKEN, Figures, Servers, measure, summarise

NUMBER = "+15551230001"  # the dental demo tenant's main line
T = TypeVar("T")
LINES = ("Do you take Delta Dental insurance?", "What are your hours on Friday?")


async def run(
    http: httpx.AsyncClient, servers: Servers, calls: int, concurrency: int
) -> list[tuple[str, Figures]]:
    webhooks = calls * (len(LINES) + 2)
    baseline = await measure(
        lambda i: http.post(f"{servers.baseline}/twiml", data={"CallSid": "CA1"}), webhooks, concurrency
    )
    signed = TwilioSide(http, servers.baseline, TWILIO_TOKEN)
    form = SimulatedCall(signed, "+15552000000", NUMBER).params(SpeechResult=LINES[0], Confidence="0.92")
    floor = await measure(lambda i: signed.post("/signed-twiml", form), webhooks, concurrency)
    twilio = TwilioSide(http, servers.app, TWILIO_TOKEN)
    callers = (f"+1555{n:07d}" for n in itertools.count(2000000))
    latencies: list[float] = []
    pending = iter(range(calls))

    async def timed(step: Awaitable[T]) -> T:
        started = time.perf_counter()
        result = await step
        latencies.append(time.perf_counter() - started)
        return result

    fallbacks = 0

    async def one_call() -> None:
        nonlocal fallbacks
        call = SimulatedCall(twilio, next(callers), NUMBER)
        step = await timed(call.start())
        for line in LINES:
            if step.ends_call or step.gather_action is None:
                # A webhook overran its budget and got the fallback (a message or a goodbye):
                # the call went on as Twilio would play it, and the overrun is reported.
                fallbacks += 1
                break
            step = await timed(call.say(line))
        await timed(call.hang_up(duration_s=30))

    async def worker() -> None:
        for _ in pending:
            await one_call()

    for _ in range(3):  # warm-up calls
        await one_call()
    latencies.clear()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    full_path = summarise(latencies, time.perf_counter() - started, len(latencies))
    label = "full signed call path, per webhook (offline model)"
    if fallbacks:
        label += f"; {fallbacks} of {calls} calls got a fallback answer (a webhook overran its budget)"
    return [
        ("baseline: bare Litestar POST returning fixed TwiML", baseline),
        ("floor: the same app, checking the Twilio signature and building TwiML (no database)", floor),
        (label, full_path),
    ]

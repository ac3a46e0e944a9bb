"""The full signed Twilio call path (incoming, caller turns, status) against a bare TwiML endpoint.

Each simulated call posts what Twilio posts, signed as Twilio signs: the incoming webhook, two
caller turns answered by the offline model (a knowledge question and an hours question), and the
final status callback. Every webhook's latency counts; the baseline is a bare Litestar POST
returning fixed TwiML, measured in the same run the same way.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx

from core.telephony.simulator import SimulatedCall, TwilioSide
from tests.benchmarks.harness import TWILIO_TOKEN, Figures, Servers, measure, summarise

NUMBER = "+15551230001"  # the dental demo tenant's main line
LINES = ("Do you take Delta Dental insurance?", "What are your hours on Friday?")


async def run(
    http: httpx.AsyncClient, servers: Servers, calls: int, concurrency: int
) -> list[tuple[str, Figures]]:
    baseline = await measure(
        lambda i: http.post(f"{servers.baseline}/twiml", data={"CallSid": "CA1"}),
        calls * (len(LINES) + 2),
        concurrency,
    )
    twilio = TwilioSide(http, servers.app, TWILIO_TOKEN)
    callers = (f"+1555{n:07d}" for n in itertools.count(2000000))
    latencies: list[float] = []
    pending = iter(range(calls))

    async def timed(step: object) -> None:
        started = time.perf_counter()
        await step  # type: ignore[misc]
        latencies.append(time.perf_counter() - started)

    async def one_call() -> None:
        call = SimulatedCall(twilio, next(callers), NUMBER)
        await timed(call.start())
        for line in LINES:
            await timed(call.say(line))
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
    return [
        ("baseline: bare Litestar POST returning fixed TwiML", baseline),
        ("full signed call path, per webhook (offline model)", full_path),
    ]

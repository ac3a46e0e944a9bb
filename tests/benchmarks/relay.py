"""ConversationRelay: the time Frontdesk adds between a caller's ``prompt`` and the first spoken token.

A real uvicorn server (one worker) runs Frontdesk with a model that waits a fixed
``MODEL_LATENCY_S`` before its first token. Each session is a real call: the signed incoming
webhook answers with ``<ConversationRelay>``, then a ``websockets`` client plays Twilio on the
signed websocket (setup, then prompts at a caller's pace). Overhead = time to the first ``text``
message minus the model's latency. Sessions are ramped up; a level is "stable" while its p99
overhead stays under ``STABLE_P99_MS``. The baseline, measured the same way in the same run, is a
bare Litestar websocket answering after the same latency.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from core.telephony.simulator import SimulatedCall, TwilioSide
from tests.benchmarks.harness import (
    ADMIN_KEY,
    TWILIO_TOKEN,
    free_port,
    migrate,
    server_env,
    start_server,
    wait_ready,
)
from tests.benchmarks.relay_app import MODEL_LATENCY_S

NUMBER = "+15551239001"
STABLE_P99_MS = 250.0
ANSWER_TIMEOUT_S = 30.0
PROMPTS_PER_CALL = 25  # under the 30-turn limit of a call


@dataclass
class Options:
    levels: tuple[int, ...] = (1, 10, 50, 100, 200)
    prompts: int = 4  # per session
    pace_s: float = 2.0  # between one answer and the caller's next prompt
    single_prompts: int = 200  # the one-session run that sets the reference figures


@dataclass
class Level:
    sessions: int
    overheads_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    failures: int = 0


@dataclass
class Running:
    app: str
    baseline_ws: str


@asynccontextmanager
async def relay_servers(database_url: str) -> AsyncIterator[Running]:
    workdir = Path(tempfile.mkdtemp(prefix="frontdesk-relay-bench-"))
    app_port, base_port = free_port(), free_port()
    env = server_env(database_url, app_port)
    await migrate(env, workdir)
    running = [
        start_server("tests.benchmarks.relay_app:create_app", app_port, env, workdir),
        start_server("tests.benchmarks.relay_app:create_baseline", base_port, env, workdir),
    ]
    try:
        # Importing every provider SDK takes a while on a busy machine: wait longer than the harness.
        await wait_ready(f"http://127.0.0.1:{app_port}/health", timeout_s=180)
        await wait_ready(f"http://127.0.0.1:{base_port}/", timeout_s=60)  # any answer: it is up
        yield Running(app=f"http://127.0.0.1:{app_port}", baseline_ws=f"ws://127.0.0.1:{base_port}/relay")
    finally:
        for server in running:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


async def open_tenant(http: httpx.AsyncClient, app: str) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    tenant = {"slug": "relay-bench", "name": "Relay Bench Dental", "timezone": "UTC"}
    steps = [
        ("POST", "/api/v1/tenants", tenant),
        ("POST", "/api/v1/tenants/relay-bench/phone-numbers", {"number": NUMBER}),
        ("PUT", "/api/v1/tenants/relay-bench/plugins/bench_llm", {"config": {}}),
        ("PUT", "/api/v1/tenants/relay-bench/plugins/conversation_relay", {"config": {}}),
    ]
    for method, path, body in steps:
        response = await http.request(method, app + path, json=body, headers=headers)
        response.raise_for_status()


async def first_token_ms(socket, words: str) -> float:  # type: ignore[no-untyped-def]
    """Send a prompt; ms until the first text token, then read the answer to its end."""
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "prompt", "voicePrompt": words, "lang": "en-US", "last": True}))
    first = None
    while True:
        async with asyncio.timeout(ANSWER_TIMEOUT_S):  # a lost answer is a failure, not a hang
            message = json.loads(await socket.recv())
        if message["type"] == "text" and first is None:
            first = time.perf_counter()
        if message["type"] == "end" or (message["type"] == "text" and message["last"]):
            break
    assert first is not None
    return (first - started) * 1000


async def frontdesk_session(
    http: httpx.AsyncClient, running: Running, caller: str, prompts: int, pace_s: float, level: Level
) -> None:
    """One call; a call the server could not take (dropped, refused) counts its prompts as failed."""
    done = [0]  # prompts measured or counted as failed so far
    try:
        await _frontdesk_call(http, running, caller, prompts, pace_s, level, done)
    except (httpx.HTTPError, OSError, WebSocketException):
        level.failures += prompts - done[0]


async def _frontdesk_call(
    http: httpx.AsyncClient,
    running: Running,
    caller: str,
    prompts: int,
    pace_s: float,
    level: Level,
    done: list[int],
) -> None:
    call = SimulatedCall(TwilioSide(http, running.app, TWILIO_TOKEN), caller, NUMBER)
    response = await call.twilio.post("/twilio/voice", call.params(CallStatus="ringing"))
    response.raise_for_status()
    relay = ET.fromstring(response.text).find(".//ConversationRelay")
    if relay is None:  # the incoming webhook overran its budget: the caller got the fallback
        level.failures += prompts
        done[0] = prompts
        return
    url = relay.get("url", "")
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, {})
    async with connect(url, additional_headers={"X-Twilio-Signature": signature}) as socket:
        setup = {"type": "setup", "sessionId": "VX" + call.call_sid[2:], "callSid": call.call_sid}
        await socket.send(json.dumps(setup))
        for n in range(prompts):
            await asyncio.sleep(pace_s)
            try:
                waited = await first_token_ms(socket, f"what time do you close today, question {n}")
                level.overheads_ms.append(waited - MODEL_LATENCY_S * 1000)
            except Exception:
                level.failures += 1
            done[0] += 1


async def baseline_session(url: str, prompts: int, pace_s: float, level: Level) -> None:
    async with connect(url) as socket:
        for n in range(prompts):
            await asyncio.sleep(pace_s)
            waited = await first_token_ms(socket, f"question {n}")
            level.baseline_ms.append(waited - MODEL_LATENCY_S * 1000)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)] if ordered else float("nan")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


async def run_level(http: httpx.AsyncClient, running: Running, sessions: int, options: Options) -> Level:
    level = Level(sessions)
    callers = (f"+1556{n:07d}" for n in itertools.count(sessions * 100000))
    # Sessions start spread over one pace interval, as calls do, not all in the same millisecond.
    spread = options.pace_s / max(sessions, 1)

    async def staggered(index: int, session) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(index * spread)
        await session

    await asyncio.gather(
        *(
            staggered(
                i, frontdesk_session(http, running, next(callers), options.prompts, options.pace_s, level)
            )
            for i in range(sessions)
        ),
        *(
            staggered(i, baseline_session(running.baseline_ws, options.prompts, options.pace_s, level))
            for i in range(sessions)
        ),
    )
    return level


async def run(database_url: str, options: Options) -> list[Level]:
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with relay_servers(database_url) as running, httpx.AsyncClient(limits=limits, timeout=60) as http:
        await open_tenant(http, running.app)
        print(f"relay bench: servers up on {database_url.split(':')[0]}", file=sys.stderr, flush=True)
        single = Level(1)
        # Warm-up, then the reference: one session, many prompts, no pause.
        await frontdesk_session(http, running, "+15550000001", 5, 0.0, Level(1))
        # A call wraps up after 30 turns: the reference is a run of calls, one at a time.
        for index in range(0, options.single_prompts, PROMPTS_PER_CALL):
            prompts = min(PROMPTS_PER_CALL, options.single_prompts - index)
            await frontdesk_session(http, running, f"+1555001{index:04d}", prompts, 0.0, single)
            await baseline_session(running.baseline_ws, prompts, 0.0, single)
        levels = [single]
        for sessions in options.levels:
            print(f"relay bench: {sessions} sessions", file=sys.stderr, flush=True)
            levels.append(await run_level(http, running, sessions, options))
        return levels


def report(name: str, levels: list[Level], options: Options) -> None:
    single, ramp = levels[0], levels[1:]
    print(
        f"\n## {name}: ConversationRelay, prompt to first text token "
        f"(model latency {MODEL_LATENCY_S * 1000:.0f} ms subtracted)\n"
    )
    print(
        f"One session at a time, {options.single_prompts} prompts back to back: Frontdesk overhead p50 "
        f"{median(single.overheads_ms):.1f} ms, "
        f"p99 {percentile(single.overheads_ms, 0.99):.1f} ms; "
        f"bare websocket p50 {median(single.baseline_ms):.1f} ms, "
        f"p99 {percentile(single.baseline_ms, 0.99):.1f} ms.\n"
    )
    print(f"Concurrent sessions, {options.prompts} prompts each, one every {options.pace_s:.0f} s:\n")
    print("| sessions | answered | overhead p50 ms | overhead p99 ms | bare p50 ms | bare p99 ms | failed |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    stable = 0
    for level in ramp:
        p50, p99 = median(level.overheads_ms), percentile(level.overheads_ms, 0.99)
        b50, b99 = median(level.baseline_ms), percentile(level.baseline_ms, 0.99)
        print(
            f"| {level.sessions} | {len(level.overheads_ms)} | {p50:.1f} | {p99:.1f} | {b50:.1f} | {b99:.1f} "
            f"| {level.failures} |"
        )
        if p99 < STABLE_P99_MS and not level.failures and level.sessions > stable:
            stable = level.sessions
    print(
        f"\nHighest level with p99 overhead under {STABLE_P99_MS:.0f} ms and no failure: {stable} sessions."
    )

"""``frontdesk call TENANT``: phone a tenant from the terminal through the real signed webhooks."""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx

from core.telephony.simulator import SimulatedCall, TwilioSide, TwimlStep

DEMO_TOKEN_FILE = Path(".frontdesk/demo-twilio-token")


def auth_token(given: str | None, configured: str | None) -> str | None:
    if given:
        return given
    if configured:
        return configured
    return DEMO_TOKEN_FILE.read_text().strip() if DEMO_TOKEN_FILE.exists() else None


def script_lines(path: str | None, prompt: Callable[[str], str]) -> AsyncIterator[str]:
    """Caller lines from a file (``#`` comments skipped) or typed at the terminal."""
    scripted = None
    if path:
        scripted = [
            line.strip() for line in Path(path).read_text().splitlines() if not line.lstrip().startswith("#")
        ]

    async def lines() -> AsyncIterator[str]:
        if scripted is not None:
            for line in scripted:
                yield line
            return
        while True:
            try:
                yield prompt("You: ").strip()
            except EOFError:
                return

    return lines()


def show(step: TwimlStep, out: Callable[[str], None]) -> None:
    if step.recording_callback:
        out("(the business records this call)")
    for said in step.says:
        out(f"Receptionist: {said}")
    if step.dial:
        out(f"(transferring to {step.dial})")
    if step.record_action:
        out("(recording a voicemail: type the message)")
    if step.reject:
        out("(call rejected)")
    if step.relay_url:
        out("(streaming mode: the call goes on over ConversationRelay, which this simulator does not play)")


async def place_call(
    http: httpx.AsyncClient,
    public_url: str,
    token: str,
    caller: str,
    called: str,
    lines: AsyncIterator[str],
    *,
    out: Callable[[str], None] = print,
    stir_verstat: str | None = None,
    dial_result: str = "completed",
) -> SimulatedCall:
    """Drive one call to its end: greeting, each caller line, transfers, voicemail, final status."""
    call = SimulatedCall(TwilioSide(http, public_url, token), caller, called, stir_verstat=stir_verstat)
    started = time.monotonic()
    show(await call.start(), out)
    async for line in lines:
        if call.ended:
            break
        step = call.step
        assert step is not None
        if line.lower() in ("/hangup", "/bye") or step.relay_url:
            break
        if step.record_action:
            show(await call.leave_voicemail(line), out)
        elif line.startswith("/press "):
            show(await call.press(line.removeprefix("/press ").strip()), out)
        else:
            show(await call.say(line), out)
        if call.step and call.step.dial:
            show(await call.dial_result(dial_result), out)
    await call.hang_up(duration_s=max(1, int(time.monotonic() - started)))
    out("(call ended)")
    return call


def read_line(prompt: str) -> str:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line

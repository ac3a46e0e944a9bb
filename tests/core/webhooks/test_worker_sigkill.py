"""Nothing is lost when a worker dies mid-delivery: SIGKILL it, restart it, every event arrives.

The dispatcher runs as ``frontdesk worker`` in its own process against the test database. The
receiver is a real HTTP server that fails each event's first try, holds its second open (the
worker is killed while waiting for it) and accepts the third. Every event then arrives, verified
with the standardwebhooks library, under one ``webhook-id`` across its tries.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from db_support import fetch_all
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from core.app import create_app
from core.telephony.simulator import SimulatedCall
from core.webhooks.models import DeliveryAttempt, WebhookDelivery
from tests.conftest import ADMIN_KEY, SECRET_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import NUMBER, PUBLIC_URL, open_line, phone_settings

CALLS = 5
REPO = Path(__file__).resolve().parents[3]


class FlakyReceiver:
    """Per webhook-id: 1st try 503, 2nd try hangs until released, 3rd and later 200."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tries: dict[str, int] = defaultdict(int)
        self.accepted: dict[str, tuple[bytes, dict[str, str]]] = {}
        self.hanging = threading.Semaphore(0)
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                webhook_id = self.headers["webhook-id"]
                with receiver.lock:
                    receiver.tries[webhook_id] += 1
                    attempt = receiver.tries[webhook_id]
                if attempt == 1:
                    self.send_response(503)
                elif attempt == 2:
                    receiver.hanging.release()
                    receiver.release.wait(30)
                    return  # the worker that sent this is dead by now; no answer
                else:
                    with receiver.lock:
                        receiver.accepted[webhook_id] = (
                            body,
                            {k.lower(): v for k, v in self.headers.items()},
                        )
                    self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/frontdesk"

    def __enter__(self) -> FlakyReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def start_worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FRONTDESK_DATABASE_URL": database_url,
        "FRONTDESK_SECRET_KEY": SECRET_KEY,
        "FRONTDESK_AUTO_MIGRATE": "0",
        "FRONTDESK_WEBHOOKS_ALLOW_PRIVATE": "1",
        "FRONTDESK_WEBHOOK_RETRY_SCALE": "0.0001",
        "FRONTDESK_WEBHOOK_LEASE_S": "2",
        "FRONTDESK_WEBHOOK_POLL_S": "0.1",
        "FRONTDESK_WEBHOOK_TIMEOUT_S": "20",
        "FRONTDESK_LOG_LEVEL": "INFO",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "core.cli", "worker"], cwd=REPO, env=env, stdout=out, stderr=out
        )


def tail(log: Path) -> str:
    return log.read_text()[-4000:]


async def wait_for(condition, within: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail(log)}")
        await asyncio.sleep(0.1)


async def test_a_worker_killed_mid_delivery_loses_nothing(make_settings, database_url, tmp_path):
    log = tmp_path / "worker.log"
    settings = phone_settings(make_settings, webhooks_allow_private=True)
    app = create_app(settings, extra_plugins=[("scripted_llm", load_test_plugin("scripted_llm"))])
    with FlakyReceiver() as receiver:
        async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
            client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
            twilio = await open_line(client, {"scripted_llm": {}})
            hook = (
                await client.post(
                    "/api/v1/tenants/acme/hooks", json={"target_url": receiver.url, "event": "call.completed"}
                )
            ).json()
            for n in range(CALLS):
                call = SimulatedCall(twilio, f"+1555000{n:04d}", NUMBER)
                await call.start()
                await call.say("hello")
                await call.hang_up()

        first = start_worker(database_url, log)
        try:
            # Wait until the worker is waiting on second tries, then kill it without warning.
            for _ in range(CALLS):
                assert await asyncio.to_thread(receiver.hanging.acquire, True, 60), tail(log)
            first.send_signal(signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
        receiver.release.set()
        pending = await fetch_all(
            database_url, select(WebhookDelivery).where(WebhookDelivery.status == "pending")
        )
        assert len(pending) == CALLS  # the kill left every delivery unfinished

        second = start_worker(database_url, log)
        try:

            async def all_delivered() -> bool:
                rows = await fetch_all(database_url, select(WebhookDelivery))
                return len(rows) == CALLS and all(row.status == "succeeded" for row in rows)

            await wait_for(all_delivered, 60, "every delivery to succeed", log)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(30) == 0, tail(log)

    deliveries = await fetch_all(database_url, select(WebhookDelivery))
    assert sorted(receiver.accepted) == sorted(d.id for d in deliveries)
    assert sorted(receiver.tries) == sorted(receiver.accepted)  # retries reused each webhook-id
    assert all(receiver.tries[d.id] == 3 for d in deliveries)
    call_sids = set()
    for body, headers in receiver.accepted.values():
        event = Webhook(hook["secret"]).verify(body, headers)
        assert event["type"] == "call.completed"
        call_sids.add(event["data"]["call_sid"])
    assert len(call_sids) == CALLS

    attempts = await fetch_all(database_url, select(DeliveryAttempt))
    assert len(attempts) == 3 * CALLS
    killed = [a for a in attempts if a.number == 2]
    assert all(a.finished_at is None and a.status_code is None for a in killed)  # died with its worker
    finishers = {a.worker for a in attempts if a.number == 3}
    assert len(finishers) == 1 and finishers != {killed[0].worker}

"""``frontdesk webhooks listen``: a local receiver that prints each delivery and checks its signature."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def describe(body: bytes, headers: dict[str, str], secret: str | None) -> tuple[int, str]:
    """The status to answer and the line to print for one delivery."""
    webhook_id = headers.get("webhook-id", "?")
    try:
        event = json.loads(body)
    except ValueError:
        return 400, f"{webhook_id}: not JSON ({len(body)} bytes)"
    verdict = "unsigned check skipped (no --secret)"
    if secret:
        try:
            Webhook(secret).verify(body, headers)
            verdict = "signature ok"
        except WebhookVerificationError as exc:
            return 401, f"{webhook_id} {event.get('type')}: signature FAILED ({exc})"
    data = json.dumps(event.get("data", {}), separators=(",", ":"))
    if len(data) > 300:
        data = data[:297] + "..."
    return 204, f"{webhook_id} {event.get('type')} at {event.get('timestamp')}: {verdict}\n  {data}"


def make_handler(secret: str | None, out: TextIO) -> Callable[..., BaseHTTPRequestHandler]:
    printing = threading.Lock()  # deliveries arrive in parallel; keep each one's lines together

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, line = describe(body, headers, secret)
            with printing:
                print(line, file=out, flush=True)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def listen(host: str, port: int, secret: str | None, out: TextIO = sys.stdout) -> None:
    server = ThreadingHTTPServer((host, port), make_handler(secret, out))
    print(f"listening on http://{host}:{server.server_port}/ (Ctrl-C to stop)", file=out, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

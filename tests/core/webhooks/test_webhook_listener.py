"""``frontdesk webhooks listen`` prints each delivery and checks its signature."""

from __future__ import annotations

from datetime import UTC, datetime

from core.webhooks.listener import describe
from core.webhooks.signing import new_secret, signed_headers


def test_a_signed_delivery_is_printed_as_verified():
    secret, body = (
        new_secret(),
        b'{"type":"lead.created","timestamp":"2026-11-24T10:00:00Z","data":{"id":"L1"}}',
    )
    headers = signed_headers("msg_1", datetime.now(UTC), body.decode(), [secret])
    status, line = describe(body, headers, secret)
    assert status == 204
    assert line == 'msg_1 lead.created at 2026-11-24T10:00:00Z: signature ok\n  {"id":"L1"}'


def test_a_bad_signature_is_refused_with_401():
    body = b'{"type":"lead.created","data":{}}'
    headers = signed_headers("msg_2", datetime.now(UTC), body.decode(), [new_secret()])
    status, line = describe(body, headers, new_secret())
    assert status == 401 and "signature FAILED" in line


def test_without_a_secret_it_only_prints():
    status, line = describe(b'{"type":"call.started","data":{}}', {"webhook-id": "msg_3"}, None)
    assert status == 204 and line.startswith("msg_3 call.started")
    assert describe(b"nope", {}, None)[0] == 400

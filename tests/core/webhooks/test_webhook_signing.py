"""Signatures are Standard Webhooks signatures: the standardwebhooks library verifies them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from core.webhooks.signing import new_secret, signed_headers


def test_a_new_secret_is_a_whsec_key_of_32_bytes():
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(Webhook(secret)._whsecret) == 32
    assert new_secret() != secret


def test_headers_verify_with_the_library():
    secret, body = new_secret(), '{"type":"call.completed","data":{}}'
    now = datetime.now(UTC)
    headers = signed_headers("msg_abc", now, body, [secret])
    assert headers["webhook-id"] == "msg_abc"
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"type": "call.completed", "data": {}}
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + " ", headers)


def test_during_a_rotation_both_secrets_verify():
    old, new, body = new_secret(), new_secret(), "{}"
    headers = signed_headers("msg_1", datetime.now(UTC), body, [new, old])
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)
    Webhook(new).verify(body, headers)

"""Standard Webhooks signing: ``whsec_`` secrets and the three headers every delivery carries."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature_header(message_id: str, timestamp: datetime, body: str, signing_secrets: list[str]) -> str:
    """``v1,<sig>`` per secret, space-separated (old and new side by side while a rotation lasts)."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in signing_secrets)


def signed_headers(
    message_id: str, timestamp: datetime, body: str, signing_secrets: list[str]
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(message_id, timestamp, body, signing_secrets),
    }

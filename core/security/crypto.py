"""Encryption of tenant secrets at rest with the deployment key ``FRONTDESK_SECRET_KEY``."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

import structlog
from cryptography.fernet import Fernet, InvalidToken

log = structlog.get_logger(__name__)


class SecretDecryptionError(RuntimeError):
    """A stored secret cannot be decrypted: the deployment key changed or the value is damaged."""


class SecretBox:
    """Fernet (AES-128-CBC + HMAC-SHA256) keyed by a hash of the deployment secret key."""

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("secret key must not be empty")
        # Any string works as a deployment key; derive the 32 bytes Fernet wants from it.
        derived = hashlib.sha256(b"frontdesk/secretbox/v1\x00" + secret_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretDecryptionError(
                "cannot decrypt a stored secret: FRONTDESK_SECRET_KEY differs from the key it was stored with"
            ) from None


def resolve_secret_key(configured: str | None, key_file: str) -> str:
    """The configured key, or one generated once and kept in ``key_file`` (embedded mode)."""
    if configured:
        return configured
    path = Path(key_file)
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    # Create with 0600 so the key is readable only by the service user.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    log.warning("secret_key.generated", path=str(path), hint="set FRONTDESK_SECRET_KEY in production")
    return key

"""API key material: generated with enough entropy that a fast hash is the right way to store it."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_PREFIX = "fd_"


def generate_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    # 256 bits of randomness make brute force moot, so SHA-256 (one indexed lookup) is enough.
    return hashlib.sha256(key.encode()).hexdigest()


def display_prefix(key: str) -> str:
    return key[:10]


def keys_match(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode(), expected.encode())

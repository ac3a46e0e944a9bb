"""Who is making an admin request."""

from __future__ import annotations

import msgspec


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    subject: str  # the casbin subject: "key:<id>", "member:<id>" or "platform:env"
    actor: str  # how the audit log names them
    role: str
    tenant_id: str | None = None
    key_id: str | None = None


def key_subject(key_id: str) -> str:
    return f"key:{key_id}"


def member_subject(member_id: str) -> str:
    return f"member:{member_id}"


ENV_ADMIN_SUBJECT = "platform:env"

# The platform acting on its own behalf (declarative tenant files, start-up tasks).
SYSTEM_PRINCIPAL = Principal(subject="platform:system", actor="system", role="platform_admin")

"""Wire shapes of API keys and members."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from core.api.validation import Email, Name

GrantableRole = Literal["agency_admin", "owner", "admin", "agent", "viewer"]


class ApiKeyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    role: GrantableRole


class ApiKeyCreated(msgspec.Struct, kw_only=True):
    id: str
    key: str  # shown this once; only its hash is stored
    name: str
    role: str
    prefix: str
    created_at: datetime


class ApiKeyRead(msgspec.Struct, kw_only=True):
    id: str
    name: str
    role: str
    prefix: str
    created_by: str | None
    created_at: datetime
    last_used_at: datetime | None


class MemberCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    name: Name
    role: GrantableRole


class MemberRead(msgspec.Struct, kw_only=True):
    id: str
    email: str
    name: str
    role: str
    created_at: datetime

"""Wire shapes of contacts: callers the business knows, and its VIPs."""

from __future__ import annotations

from datetime import datetime

import msgspec
from msgspec import UNSET, UnsetType

from core.api.validation import E164, Name


class ContactCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    phone: E164
    name: Name | None = None
    vip: bool = False
    # A contact added by the business is known: exempt from screening, greeted by name.
    known: bool = True


class ContactUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType | None = UNSET
    vip: bool | UnsetType = UNSET
    known: bool | UnsetType = UNSET


class ContactRead(msgspec.Struct, kw_only=True):
    id: str
    phone: str
    name: str | None
    vip: bool
    known: bool
    calls_count: int
    last_call_at: datetime | None
    created_at: datetime

"""A test-only plugin whose config has a secret field."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated

import msgspec


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    api_key: Annotated[str | None, msgspec.Meta(extra={"secret": True})] = None
    model: str = "default"


PLUGIN = SimpleNamespace(NAME="secretive", Config=Config, __doc__="A plugin with a secret API key.")

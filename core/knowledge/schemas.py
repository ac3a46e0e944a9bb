"""Wire shapes of knowledge entries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Tags = Annotated[list[Annotated[str, msgspec.Meta(min_length=1, max_length=50)]], msgspec.Meta(max_length=20)]


class KnowledgeCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Text
    answer: Text
    tags: Tags = []


class KnowledgeUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Text | UnsetType = UNSET
    answer: Text | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET


class KnowledgeRead(msgspec.Struct, kw_only=True):
    id: str
    question: str
    answer: str
    tags: list[str]
    created_at: datetime
    updated_at: datetime

"""Errors a user can cause, with the status API.md promises and the field they concern."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import IntegrityError


class ConflictError(HTTPException):
    status_code = 409

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail=detail, extra={"field": field} if field else None)


class UnprocessableError(HTTPException):
    """Well-formed input that cannot be accepted (a plugin config that does not validate, …)."""

    status_code = 422

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail=detail, extra={"field": field} if field else None)


def integrity_error_to_conflict(_request: Request, exc: IntegrityError) -> Response:
    # A race past a service's own check lands here: answer as the check would have, never a 500.
    return Response(
        {"status_code": 409, "detail": "conflicts with an existing record"},
        status_code=409,
    )


# Our own validators start their messages with the field they concern ("timezone: unknown …").
_LEADING_FIELD = re.compile(r"^([a-z_][a-z0-9_]*(?:[.\[][a-z0-9_\]]*)*): ")
# msgspec's wording for a key the schema does not have.
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")


def _name_the_field(item: Any) -> Any:
    if not isinstance(item, dict) or not isinstance(item.get("message"), str):
        return item
    match = _LEADING_FIELD.match(item["message"]) or _UNKNOWN_FIELD.search(item["message"])
    if match is None:
        return item
    key = item.get("key")
    inner = match.group(1)
    return {**item, "key": inner if key in (None, "data") else f"{key}.{inner}"}


def validation_error_response(_request: Request, exc: ValidationException) -> Response:
    """400 with each problem keyed by the field it concerns, even for whole-object checks."""
    extra = exc.extra
    if isinstance(extra, list):
        extra = [_name_the_field(item) for item in extra]
    body: dict[str, Any] = {"status_code": 400, "detail": exc.detail}
    if extra:
        body["extra"] = extra
    return Response(body, status_code=400)

"""HubSpot's CRM v3 REST API, the part the connector uses, with HubSpot's errors as ``DeliveryError``."""

from __future__ import annotations

from typing import Any

import httpx

from core import DeliveryError, retry_after_seconds

# HubSpot-defined association types (v4), from the created object to the contact.
CALL_TO_CONTACT = 194
DEAL_TO_CONTACT = 3
NOTE_TO_CONTACT = 202

# Answers no retry can fix: a request HubSpot finds invalid, a refused or under-scoped token, a
# wrong base_url. Everything else (5xx, 408, 409, 423 "object locked", timeouts) is retried.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 405, 410, 413, 415, 422})
# A 429 without Retry-After: HubSpot's burst limits are per second / ten seconds, its daily
# limit resets at midnight in the portal's timezone.
RATE_LIMITED_RETRY = 10.0
DAILY_LIMIT_RETRY = 3600.0


def association(contact_id: str, type_id: int) -> dict[str, Any]:
    """A v4 association of a new object to a contact, as the create body takes it."""
    return {
        "to": {"id": contact_id},
        "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
    }


class HubSpotAPI:
    """One delivery's view of a tenant's HubSpot account."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, access_token: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.headers = {"authorization": f"Bearer {access_token}"}
        # Whether this delivery has sent a create or update (which may have gone through even if
        # its answer never came back).
        self.wrote = False

    async def search(
        self,
        object_type: str,
        filter_groups: list[dict[str, Any]],
        properties: list[str],
        *,
        sorts: list[dict[str, str]] | None = None,
        limit: int = 1,
    ) -> list[dict[str, Any]]:
        """``POST /crm/v3/objects/{type}/search``: the matching objects (filter groups are ORed)."""
        body: dict[str, Any] = {"filterGroups": filter_groups, "properties": properties, "limit": limit}
        if sorts:
            body["sorts"] = sorts
        answer = await self._send(
            "POST", f"/crm/v3/objects/{object_type}/search", body, f"search {object_type}"
        )
        return list(answer.get("results") or [])

    async def create(
        self,
        object_type: str,
        properties: dict[str, str],
        associations: list[dict[str, Any]] | None = None,
        *,
        hint: str = "",
    ) -> str:
        """``POST /crm/v3/objects/{type}``; the new object's id. ``hint`` is added to a 400's reason."""
        self.wrote = True
        body = {"properties": properties, "associations": associations or []}
        answer = await self._send(
            "POST", f"/crm/v3/objects/{object_type}", body, f"create {object_type}", hint
        )
        if not answer.get("id"):
            raise DeliveryError(f"HubSpot created {object_type} but answered without an id: {answer!r:.200}")
        return str(answer["id"])

    async def update(self, object_type: str, object_id: str, properties: dict[str, str]) -> None:
        """``PATCH /crm/v3/objects/{type}/{id}``."""
        self.wrote = True
        path = f"/crm/v3/objects/{object_type}/{object_id}"
        await self._send("PATCH", path, {"properties": properties}, f"update {object_type} {object_id}")

    async def _send(
        self, method: str, path: str, body: dict[str, Any], action: str, hint: str = ""
    ) -> dict[str, Any]:
        try:
            response = await self.http.request(method, self.base_url + path, json=body, headers=self.headers)
        except httpx.TimeoutException as exc:
            raise DeliveryError(f"HubSpot did not answer in time to {action}") from exc
        except httpx.HTTPError as exc:
            raise DeliveryError(f"could not reach HubSpot to {action}: {exc!r}") from exc
        if not response.is_success:
            raise refusal(response, action, hint)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise DeliveryError(f"HubSpot answered {response.status_code} to {action} without a JSON object")
        return answer


def refusal(response: httpx.Response, action: str, hint: str = "") -> DeliveryError:
    """The ``DeliveryError`` for a HubSpot error answer (``{"status": "error", "message", ...}``)."""
    code = response.status_code
    try:
        error = response.json()
    except ValueError:
        error = None
    if not isinstance(error, dict):
        error = {"message": response.text[:200]}
    detail = str(error.get("message") or response.reason_phrase)
    if kind := error.get("category") or error.get("errorType"):
        detail += f" [{kind}]"
    if correlation_id := error.get("correlationId"):
        detail += f" (correlationId {correlation_id})"

    if code == 429:
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        if retry_after is None:
            retry_after = DAILY_LIMIT_RETRY if error.get("policyName") == "DAILY" else RATE_LIMITED_RETRY
        return DeliveryError(
            f"HubSpot rate limit reached trying to {action}: {detail}",
            status_code=code,
            retry_after=retry_after,
        )
    if code == 401:
        reason = (
            f"HubSpot refused the access_token (401) trying to {action}: {detail}; set a valid access_token"
        )
    elif code == 403:
        reason = f"the access_token lacks a scope HubSpot requires to {action} (403): {detail}"
    elif code == 404:
        reason = f"HubSpot has no such endpoint or object (404) trying to {action}: {detail}; check base_url"
    else:
        reason = f"HubSpot answered {code} trying to {action}: {detail}"
    if code == 400 and hint:
        reason += f"; {hint}"
    return DeliveryError(reason, status_code=code, permanent=code in PERMANENT_STATUSES)

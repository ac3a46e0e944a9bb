"""Keeps a tenant's HubSpot in step with its calls: contacts, call logs, leads and appointments.

Every object the connector creates carries ``[ref <delivery id>]`` (in a call's title, a deal's
name, a note's body) and is looked up by it before being created, so a retry after a partial
success finds what the earlier attempt made instead of making it twice. HubSpot's search sees a
new record only after a few seconds, so a retryable failure after anything was written asks for
the next attempt no sooner than ``SEARCH_INDEX_DELAY``.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx

from core import ConnectorEvent, CRMConnector, DeliveryError
from core.phones import normalise_number
from plugins.hubspot.api import CALL_TO_CONTACT, DEAL_TO_CONTACT, NOTE_TO_CONTACT, HubSpotAPI, association

if TYPE_CHECKING:
    from plugins.hubspot import Config

# Seconds before HubSpot's search reliably sees a record just created or updated.
SEARCH_INDEX_DELAY = 15.0
TRANSCRIPT_LINES = 20  # of a call's transcript copied into its log
LINE_CHARACTERS = 500

OUTCOMES = {
    "booked": "appointment booked",
    "message_taken": "message taken",
    "transferred": "transferred",
    "answered": "question answered",
    "voicemail": "voicemail",
    "spam_blocked": "blocked as spam",
    "abandoned": "caller hung up",
    "failed": "call failed",
}
SPEAKERS = {"caller": "Caller", "assistant": "Receptionist"}
# Lead fields read as the deal's amount, first found wins.
AMOUNT_FIELDS = ("amount", "deal_amount", "loan_amount", "purchase_price", "budget", "estimated_value")

Sync = Callable[[HubSpotAPI, ConnectorEvent, "Config"], Awaitable[None]]


class HubSpotConnector(CRMConnector):
    """Contacts by phone number; calls as call engagements; leads as deals or notes."""

    def wants(self, event_type: str, config: Config) -> bool:
        return event_type in SYNCS

    async def deliver(self, event: ConnectorEvent, config: Config, http: httpx.AsyncClient) -> None:
        if not config.access_token:
            raise DeliveryError(
                "access_token is not set: add a HubSpot private app access token to the hubspot plugin",
                permanent=True,
            )
        sync = SYNCS.get(event.type)
        if sync is None:
            raise DeliveryError(f"the hubspot connector does not take {event.type} events", permanent=True)
        api = HubSpotAPI(http, config.base_url, config.access_token)
        try:
            await sync(api, event, config)
        except DeliveryError as exc:
            if api.wrote and not exc.permanent:
                exc.retry_after = max(exc.retry_after or 0.0, SEARCH_INDEX_DELAY)
            raise


# --- one function per event type -------------------------------------------------------------


async def sync_call(api: HubSpotAPI, event: ConnectorEvent, config: Config) -> None:
    """``call.completed``: the caller's contact, and the call logged on it (a text thread as a note)."""
    data = event.data
    lead = data.get("lead") or {}
    contact_id = await upsert_contact(api, event, data.get("from"), lead.get("name"), config.owner_id)
    if data.get("channel") == "sms":
        lines = [f"Text conversation with {data.get('from')}", *_call_lines(data)]
        await create_note_once(api, event, contact_id, lines, data.get("started_at"), config.owner_id)
        return
    caller, outcome = data.get("from"), OUTCOMES.get(data.get("outcome") or "")
    title = f"Call from {caller}: {outcome} {ref(event)}" if outcome else f"Call from {caller} {ref(event)}"
    if await already_created(api, "calls", "hs_call_title", "EQ", title, ref(event)):
        return
    properties = {
        "hs_timestamp": data.get("started_at") or _iso(event.timestamp),
        "hs_call_title": title,
        "hs_call_body": _html(_call_lines(data)),
        "hs_call_direction": "INBOUND",
        "hs_call_from_number": data.get("from"),
        "hs_call_to_number": data.get("to"),
        "hs_call_status": "FAILED" if data.get("outcome") == "failed" else "COMPLETED",
        "hs_call_recording_url": data.get("recording_url"),
        "hubspot_owner_id": config.owner_id,
    }
    if data.get("duration_s") is not None:
        properties["hs_call_duration"] = str(round(float(data["duration_s"]) * 1000))
    await api.create("calls", _present(properties), [association(contact_id, CALL_TO_CONTACT)])


async def sync_lead(api: HubSpotAPI, event: ConnectorEvent, config: Config) -> None:
    """``lead.created``: the lead's contact, and a deal (or a note) with its fields and score."""
    data = event.data
    contact_id = await upsert_contact(api, event, data.get("phone"), data.get("name"), config.owner_id)
    kind = (data.get("workflow") or data.get("intent") or "").replace("_", " ").capitalize()
    headline = f"{kind or 'New'} lead: {data.get('name') or data.get('phone')}"
    details = _lead_details(data)
    if config.leads_as == "notes":
        await create_note_once(
            api, event, contact_id, [headline, *details], data.get("created_at"), config.owner_id
        )
        return
    dealname = f"{headline} {ref(event)}"
    if await already_created(api, "deals", "dealname", "EQ", dealname, ref(event)):
        return
    properties = {
        "dealname": dealname,
        "pipeline": config.deal_pipeline,
        "dealstage": config.deal_stage,
        "amount": _amount(data.get("fields") or {}),
        "description": "\n".join(details),
        "hubspot_owner_id": config.owner_id,
    }
    await api.create(
        "deals",
        _present(properties),
        [association(contact_id, DEAL_TO_CONTACT)],
        hint="check deal_pipeline and deal_stage (internal ids, not labels) and owner_id",
    )


async def sync_appointment(api: HubSpotAPI, event: ConnectorEvent, config: Config) -> None:
    """``appointment.booked``: a note on the contact saying what was booked for when."""
    data = event.data
    contact_id = await upsert_contact(api, event, data.get("phone"), data.get("name"), config.owner_id)
    when = _local(data.get("start"), event.tenant.timezone)
    lines = [f"Appointment booked: {data.get('service') or 'appointment'} on {when}"]
    if data.get("resource") and data["resource"] != "default":
        lines.append(f"With: {data['resource']}")
    if data.get("notes"):
        lines.append(f"Notes: {data['notes']}")
    await create_note_once(api, event, contact_id, lines, data.get("created_at"), config.owner_id)


SYNCS: dict[str, Sync] = {
    "call.completed": sync_call,
    "lead.created": sync_lead,
    "appointment.booked": sync_appointment,
}


# --- building blocks -------------------------------------------------------------------------


def ref(event: ConnectorEvent) -> str:
    """The mark of what this delivery created (the platform's own name stays out: white label)."""
    return f"[ref {event.id}]"


async def upsert_contact(
    api: HubSpotAPI, event: ConnectorEvent, phone: str | None, name: str | None, owner_id: str | None
) -> str:
    """The id of the oldest contact with this phone number, created when there is none.

    A found contact only gets the names it lacks: what the business typed in wins over what a
    caller said on the phone.
    """
    if not phone:
        raise DeliveryError(
            f"{event.type} {event.data.get('id')} has no phone number to find the HubSpot contact by",
            permanent=True,
        )
    number = normalise_number(phone) or phone
    found = await api.search(
        "contacts",
        [
            {"filters": [{"propertyName": "phone", "operator": "EQ", "value": number}]},
            {"filters": [{"propertyName": "mobilephone", "operator": "EQ", "value": number}]},
        ],
        ["phone", "mobilephone", "firstname", "lastname"],
        sorts=[{"propertyName": "createdate", "direction": "ASCENDING"}],
    )
    names = _names(name)
    if found:
        contact = found[0]
        known = contact.get("properties") or {}
        missing = {key: value for key, value in names.items() if not known.get(key)}
        if missing:
            await api.update("contacts", contact["id"], missing)
        return str(contact["id"])
    return await api.create("contacts", _present({"phone": number, **names, "hubspot_owner_id": owner_id}))


async def already_created(
    api: HubSpotAPI, object_type: str, property_name: str, operator: str, value: str, mark: str
) -> bool:
    """Whether an earlier attempt made this object: a search hit whose property carries ``mark``."""
    filters = [{"filters": [{"propertyName": property_name, "operator": operator, "value": value}]}]
    results = await api.search(object_type, filters, [property_name], limit=10)
    return any(mark in ((result.get("properties") or {}).get(property_name) or "") for result in results)


async def create_note_once(
    api: HubSpotAPI,
    event: ConnectorEvent,
    contact_id: str,
    lines: list[str],
    timestamp: str | None,
    owner_id: str | None,
) -> None:
    """A note on the contact, its first line marked with ``ref``, unless an earlier attempt made it."""
    body = _html([f"{lines[0]} {ref(event)}", *lines[1:]])
    # Notes are found by token (a body cannot be matched whole); the mark check weeds out near misses.
    if await already_created(
        api, "notes", "hs_note_body", "CONTAINS_TOKEN", event.id, html.escape(ref(event))
    ):
        return
    properties = {
        "hs_timestamp": timestamp or _iso(event.timestamp),
        "hs_note_body": body,
        "hubspot_owner_id": owner_id,
    }
    await api.create("notes", _present(properties), [association(contact_id, NOTE_TO_CONTACT)])


def _call_lines(data: dict[str, Any]) -> list[str]:
    """Summary, outcome and the start of the transcript, one paragraph each."""
    lines = []
    if data.get("summary"):
        lines.append(str(data["summary"]))
    outcome = OUTCOMES.get(data.get("outcome") or "")
    if outcome:
        if data.get("transferred_to"):
            outcome += f" to {data['transferred_to']}"
        lines.append(f"Outcome: {outcome}")
    transcript = data.get("transcript") or []
    for turn in transcript[:TRANSCRIPT_LINES]:
        speaker = SPEAKERS.get(turn.get("role"), str(turn.get("role")).capitalize())
        lines.append(f"{speaker}: {str(turn.get('text', ''))[:LINE_CHARACTERS]}")
    if len(transcript) > TRANSCRIPT_LINES:
        lines.append(f"({len(transcript) - TRANSCRIPT_LINES} more lines in the full transcript)")
    return lines


def _lead_details(data: dict[str, Any]) -> list[str]:
    details = []
    if data.get("phone"):
        details.append(f"Phone: {data['phone']}")
    if data.get("intent"):
        details.append(f"Intent: {data['intent']}")
    if data.get("score") is not None:
        details.append(f"Score: {_number_text(data['score'])}/100")
    for key, value in (data.get("fields") or {}).items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else _number_text(value)
        details.append(f"{key.replace('_', ' ').capitalize()}: {shown}")
    return details


def _amount(fields: dict[str, Any]) -> str | None:
    for key in AMOUNT_FIELDS:
        value = fields.get(key)
        if isinstance(value, str):
            value = value.replace("$", "").replace(",", "").strip()
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            continue
        try:
            number = float(value)
        except ValueError:
            continue
        if number > 0 and number != float("inf"):
            return _number_text(number)
    return None


def _number_text(value: Any) -> str:
    """``320000.0`` as ``320000``; anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _names(name: str | None) -> dict[str, str]:
    words = (name or "").split()
    if len(words) > 1:
        return {"firstname": " ".join(words[:-1]), "lastname": words[-1]}
    return {"firstname": words[0]} if words else {}


def _html(paragraphs: list[str]) -> str:
    # Engagement bodies are rich text: callers' words are escaped, never markup.
    return "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)


def _local(moment: str | None, timezone: str) -> str:
    try:
        start = datetime.fromisoformat(moment or "")
    except ValueError:
        return str(moment)
    return start.astimezone(ZoneInfo(timezone)).strftime(f"%a %d %b %Y, %H:%M ({timezone})")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _present(properties: dict[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in properties.items() if value is not None}

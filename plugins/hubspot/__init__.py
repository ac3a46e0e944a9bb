"""Logs calls, leads and appointments in the tenant's HubSpot CRM, on the caller's contact.

Each completed call becomes a call engagement on the contact with the caller's number (found,
or created), each lead a deal or a note, each booked appointment a note. The work rides the
webhook outbox: HubSpot being slow or down never delays a caller, and failures are retried.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from core import ConfigFieldError, Register, Secret, hookimpl, url_problem
from plugins.hubspot.crm import HubSpotConnector

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "HubSpotConnector", "register_crm_connectors"]

NAME = "hubspot"
DEFAULT_INSTALLED = False


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # A private app's access token (scopes: crm.objects.contacts.read/write, crm.objects.deals.read/write).
    access_token: Secret = None
    base_url: str = "https://api.hubapi.com"
    leads_as: Literal["deals", "notes"] = "deals"
    # Internal ids (not labels) of the pipeline and stage new deals start in.
    deal_pipeline: str = "default"
    deal_stage: str = "appointmentscheduled"
    # The HubSpot user who owns what the connector creates; None leaves it unassigned.
    owner_id: str | None = None

    def __post_init__(self) -> None:
        if problem := url_problem(self.base_url):
            raise ConfigFieldError("base_url", problem)
        for field in ("deal_pipeline", "deal_stage"):
            if not getattr(self, field).strip():
                raise ConfigFieldError(field, "must not be empty")
        if self.owner_id is not None and not self.owner_id.isdigit():
            raise ConfigFieldError(
                "owner_id", f"{self.owner_id!r} is not a HubSpot owner id, which is a number"
            )


@hookimpl
def register_crm_connectors(register: Register) -> None:
    register("hubspot", HubSpotConnector(), objects=["contacts", "calls", "deals", "notes"])

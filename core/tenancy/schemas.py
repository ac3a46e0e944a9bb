"""Wire shapes of tenants and phone numbers (msgspec at the boundary)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from core.api.validation import (
    E164,
    Domain,
    Email,
    HexColor,
    LanguageTag,
    Name,
    Slug,
    TwilioAccountSid,
    check_hours,
    check_timezone,
)

Languages = Annotated[list[LanguageTag], msgspec.Meta(min_length=1, max_length=20)]
# Monthly spend on conversation models (USD) past which calls use the offline model; null: no cap.
BudgetUsd = Annotated[float, msgspec.Meta(ge=0)]
PluginOverlays = dict[str, dict[str, Any]]


class Business(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """The business identity callers hear about: hours, where, what, how to reach a person."""

    hours: dict[str, list[tuple[str, str]]] = {}
    address: str | None = None
    services: list[str] = []
    phone: E164 | None = None
    email: Email | None = None
    website: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        check_hours(self.hours)


class Branding(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """White-label identity shown on the dashboard; an agency's branding is inherited by its tenants."""

    product_name: str | None = None
    logo_url: str | None = None
    primary_color: HexColor | None = None
    support_email: Email | None = None
    domains: list[Domain] = []


class TenantCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    timezone: str
    languages: Languages = msgspec.field(default_factory=lambda: ["en-US"])
    parent: Slug | None = None
    industry: str | None = None
    business: Business = msgspec.field(default_factory=Business)
    branding: Branding = msgspec.field(default_factory=Branding)
    # Record whole calls; the greeting then tells the caller so (laws differ: the tenant decides).
    record_calls: bool = False
    twilio_account_sid: TwilioAccountSid | None = None
    twilio_auth_token: str | None = None
    ai_monthly_budget_usd: BudgetUsd | None = None

    def __post_init__(self) -> None:
        check_timezone(self.timezone)


class TenantUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    timezone: str | UnsetType = UNSET
    languages: Languages | UnsetType = UNSET
    industry: str | UnsetType | None = UNSET
    business: Business | UnsetType = UNSET
    branding: Branding | UnsetType = UNSET
    record_calls: bool | UnsetType = UNSET
    twilio_account_sid: TwilioAccountSid | UnsetType | None = UNSET
    twilio_auth_token: str | UnsetType | None = UNSET
    ai_monthly_budget_usd: BudgetUsd | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        if isinstance(self.timezone, str):
            check_timezone(self.timezone)


class TenantRead(msgspec.Struct, kw_only=True):
    id: str
    slug: str
    name: str
    parent: str | None
    industry: str | None
    timezone: str
    languages: list[str]
    business: dict[str, Any]
    branding: dict[str, Any]
    # Branding after inheritance from the agency chain: what the dashboard shows.
    effective_branding: dict[str, Any]
    record_calls: bool
    twilio_account_sid: str | None
    twilio_auth_token_set: bool
    ai_monthly_budget_usd: float | None
    config_version: int
    created_at: datetime
    updated_at: datetime


class PhoneNumberCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    number: E164
    twilio_account_sid: TwilioAccountSid | None = None
    label: str | None = None
    plugins: PluginOverlays = {}
    # Overrides the tenant's record_calls for this number; null follows the tenant.
    record_calls: bool | None = None


class PhoneNumberUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    twilio_account_sid: TwilioAccountSid | UnsetType | None = UNSET
    label: str | UnsetType | None = UNSET
    plugins: PluginOverlays | UnsetType = UNSET
    record_calls: bool | UnsetType | None = UNSET


class PhoneNumberRead(msgspec.Struct, kw_only=True):
    id: str
    number: str
    twilio_account_sid: str | None
    label: str | None
    plugins: PluginOverlays
    record_calls: bool | None
    created_at: datetime

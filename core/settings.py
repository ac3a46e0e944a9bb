"""Deployment settings, read once from ``FRONTDESK_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping

import msgspec

ENV_PREFIX = "FRONTDESK_"


class SettingsError(ValueError):
    """A ``FRONTDESK_*`` variable has a value we cannot use; the message names it."""


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    """Everything the process needs to know about its deployment."""

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = "sqlite+aiosqlite:///./frontdesk.db"
    public_url: str = ""
    admin_api_key: str | None = None
    secret_key: str | None = None
    secret_key_file: str = ".frontdesk/secret.key"
    twilio_auth_token: str | None = None
    tenants_dir: str | None = None
    webhooks_allow_private: bool = False
    redis_url: str | None = None
    # Seconds a cached answer to a knowledge question is reused (0 turns the answer cache off).
    answer_cache_ttl_s: float = 86400.0
    # Answers the in-process answer cache keeps (least recently used dropped first); not used with Redis.
    answer_cache_entries: int = 10_000
    log_level: str = "INFO"
    log_json: bool = False
    # Migrate the embedded SQLite database on start (PostgreSQL is migrated by `frontdesk db upgrade`).
    auto_migrate: bool = True
    # Seconds a caller's turn may take end to end before the fallback answers (Twilio waits 15).
    turn_budget_s: float = 4.0
    # Seconds one plugin implementation may take inside a webhook; a few must fit in the budget.
    hook_timeout_s: float = 0.5
    # Webhook delivery: "embedded" runs the dispatcher inside each server process; "worker" leaves
    # it to `frontdesk worker` processes (any number of them on PostgreSQL).
    webhook_dispatch: str = "embedded"
    webhook_timeout_s: float = 15.0
    # How long a claimed delivery stays claimed; a worker killed mid-delivery is retried after it.
    webhook_lease_s: float = 60.0
    webhook_poll_s: float = 1.0
    webhook_concurrency: int = 16
    # Multiplies the retry schedule (1.0: about four days); small values make demos and tests quick.
    webhook_retry_scale: float = 1.0
    # Days finished deliveries (and their events and attempt logs) are kept before a dispatcher purges them.
    webhook_retention_days: int = 30
    # Plugins named here are not loaded even if installed as entry points (comma-separated in env).
    disabled_plugins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.webhook_dispatch not in ("embedded", "worker"):
            raise SettingsError(
                f"{ENV_PREFIX}WEBHOOK_DISPATCH must be embedded or worker; got {self.webhook_dispatch!r}"
            )
        if self.webhook_retention_days < 1:
            raise SettingsError(f"{ENV_PREFIX}WEBHOOK_RETENTION_DAYS must be at least 1")
        if self.webhook_concurrency < 1:
            raise SettingsError(f"{ENV_PREFIX}WEBHOOK_CONCURRENCY must be at least 1")
        if self.answer_cache_entries < 1:
            raise SettingsError(f"{ENV_PREFIX}ANSWER_CACHE_ENTRIES must be at least 1")

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, raw: str, field_type: object) -> object:
    if field_type is bool:
        lowered = raw.strip().lower()
        if lowered in _BOOL_TRUE:
            return True
        if lowered in _BOOL_FALSE:
            return False
        raise SettingsError(f"{ENV_PREFIX}{name.upper()} must be 1/0, true/false; got {raw!r}")
    if field_type is float:
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"{ENV_PREFIX}{name.upper()} must be a number; got {raw!r}") from None
    if field_type is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{ENV_PREFIX}{name.upper()} must be a whole number; got {raw!r}") from None
    if field_type == tuple[str, ...]:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from the environment (``FRONTDESK_<FIELD>``), then apply explicit overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for field in msgspec.structs.fields(Settings):
        raw = environ.get(ENV_PREFIX + field.name.upper())
        if raw is not None:
            values[field.name] = _coerce(field.name, raw, field.type)
    values.update(overrides)
    return Settings(**values)

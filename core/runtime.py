"""Opening and closing what a Frontdesk process runs on; shared by the server lifespan and the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from prometheus_client import CollectorRegistry

from core.authz.policy import PLATFORM_DOMAIN, AccessPolicy
from core.authz.principal import ENV_ADMIN_SUBJECT, SYSTEM_PRINCIPAL
from core.authz.roles import PLATFORM_ADMIN
from core.calls.services import CallConfigCache
from core.conversation.answer_cache import open_answer_cache
from core.db.engine import create_engine, create_session_factory
from core.db.migrate import current_revision, head_revision, upgrade_database
from core.plugins.calling import HookRouter
from core.plugins.catalog import PluginCatalog
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers
from core.security.crypto import SecretBox, resolve_secret_key
from core.settings import Settings
from core.state import AppServices
from core.telephony.sms_sender import SmsSender
from core.webhooks.guard import Resolver, TargetGuard, guarded_client


class DatabaseNotMigratedError(RuntimeError):
    """The database schema is not the one this code expects; the message says what to run."""


async def check_schema(database_url: str) -> None:
    current, head = await current_revision(database_url), head_revision()
    if current != head:
        raise DatabaseNotMigratedError(
            f"the database is at revision {current or 'base (empty)'} but this Frontdesk needs {head}: "
            "run `frontdesk db upgrade`"
        )


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    extra_plugins: Iterable[tuple[str, object]] = (),
    migrate: bool | None = None,
    outbound_http: httpx.AsyncClient | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    webhook_resolver: Resolver | None = None,
    metrics_registry: CollectorRegistry | None = None,
) -> AsyncIterator[AppServices]:
    """Engine, plugin manager, casbin policy and secret box; the embedded SQLite is migrated first.

    ``webhook_transport`` and ``webhook_resolver`` replace the network under outbound webhooks and
    CRM connectors (tests); the SSRF guard still runs over them. Services that count things (the
    answer cache) register their metrics with ``metrics_registry``, the app's ``/metrics``.
    """
    if migrate is None:
        migrate = settings.is_sqlite and settings.auto_migrate
    engine = create_engine(settings.database_url)
    stack = AsyncExitStack()
    try:
        if migrate:
            await upgrade_database(settings.database_url)
        else:
            await check_schema(settings.database_url)
        session_factory = create_session_factory(engine)
        plugin_manager = build_plugin_manager(disabled=settings.disabled_plugins, extra_plugins=extra_plugins)
        static_grants = [(SYSTEM_PRINCIPAL.subject, PLATFORM_ADMIN, PLATFORM_DOMAIN)]
        if settings.admin_api_key:
            static_grants.append((ENV_ADMIN_SUBJECT, PLATFORM_ADMIN, PLATFORM_DOMAIN))
        policy = AccessPolicy(session_factory, static_grants=static_grants)
        await policy.load()
        guard = TargetGuard(allow_private=settings.webhooks_allow_private, resolver=webhook_resolver)
        webhook_http = guarded_client(guard, timeout=settings.webhook_timeout_s, transport=webhook_transport)
        stack.push_async_callback(webhook_http.aclose)
        answer_cache = open_answer_cache(settings, metrics_registry)
        stack.push_async_callback(answer_cache.close)
        yield AppServices(
            settings=settings,
            engine=engine,
            session_factory=session_factory,
            policy=policy,
            secret_box=SecretBox(resolve_secret_key(settings.secret_key, settings.secret_key_file)),
            plugin_manager=plugin_manager,
            catalog=PluginCatalog.from_manager(plugin_manager),
            hooks=HookRouter(plugin_manager),
            providers=collect_providers(plugin_manager),
            sms=SmsSender(outbound_http),
            call_configs=CallConfigCache(),
            webhook_guard=guard,
            webhook_http=webhook_http,
            answer_cache=answer_cache,
        )
    finally:
        await stack.aclose()
        await engine.dispose()

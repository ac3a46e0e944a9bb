"""The application factory: composes each domain's router and owns shared resources in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import httpx
import structlog
from litestar import Litestar, Router
from litestar.exceptions import ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from sqlalchemy.exc import IntegrityError

from core.analytics.controllers import analytics_router
from core.api.deps import API_DEPENDENCIES
from core.api.errors import integrity_error_to_conflict, validation_error_response
from core.audit.controllers import audit_router
from core.authz.controllers import authz_router
from core.calls.controllers import calls_router
from core.contacts.controllers import contacts_router
from core.conversation.controllers import conversation_router
from core.experiments.controllers import experiments_router
from core.knowledge.controllers import knowledge_router
from core.media.controllers import media_clip
from core.ops.health import health
from core.ops.logging import configure_logging, request_id_middleware
from core.ops.metrics import HttpMetrics, metrics_endpoint
from core.plugins.controllers import plugins_router
from core.runtime import open_services
from core.scheduling.controllers import public_calendar_feed, scheduling_router
from core.settings import Settings, load_settings
from core.telephony.controllers import twilio_router
from core.telephony.outbound import drain as drain_outbound_texts
from core.tenancy.controllers import tenancy_router
from core.tenancy.declarative import apply_tenants_dir
from core.version import __version__
from core.webhooks.controllers import webhooks_router
from core.webhooks.guard import Resolver
from core.webhooks.runner import embedded_dispatcher

log = structlog.get_logger(__name__)

# Each domain exposes its own router; adding a domain is one line here.
API_ROUTERS: tuple[Router, ...] = (
    tenancy_router,
    knowledge_router,
    plugins_router,
    authz_router,
    audit_router,
    scheduling_router,
    calls_router,
    analytics_router,
    contacts_router,
    conversation_router,
    experiments_router,
    webhooks_router,
)


def create_app(
    settings: Settings | None = None,
    *,
    extra_plugins: Iterable[tuple[str, object]] = (),
    outbound_http: httpx.AsyncClient | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    webhook_resolver: Resolver | None = None,
) -> Litestar:
    """The app; ``outbound_http`` carries requests to vendors (Twilio's REST API), so tests can fake them."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    extra = tuple(extra_plugins)
    http_metrics = HttpMetrics()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_services(
            settings,
            extra_plugins=extra,
            outbound_http=outbound_http,
            webhook_transport=webhook_transport,
            webhook_resolver=webhook_resolver,
            metrics_registry=http_metrics.registry,
        ) as services:
            app.state.services = services
            if settings.tenants_dir:
                report = await apply_tenants_dir(services, settings.tenants_dir)
                log.info("tenants.applied", directory=settings.tenants_dir, **report.counts())
            async with embedded_dispatcher(services):
                log.info("frontdesk.started", version=__version__, public_url=settings.effective_public_url)
                yield
                await drain_outbound_texts()

    app = Litestar(
        route_handlers=[
            health,
            metrics_endpoint,
            public_calendar_feed,
            media_clip,
            twilio_router,
            *API_ROUTERS,
        ],
        dependencies=API_DEPENDENCIES,
        lifespan=[lifespan],
        middleware=[request_id_middleware, http_metrics.middleware],
        exception_handlers={
            IntegrityError: integrity_error_to_conflict,
            ValidationException: validation_error_response,
        },
        openapi_config=OpenAPIConfig(
            title="Frontdesk",
            version=__version__,
            description="Admin API of the Frontdesk AI receptionist platform.",
            path="/schema",
            use_handler_docstrings=True,
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
        debug=False,
    )
    app.state.http_metrics = http_metrics
    check_route_permissions(app)
    return app


def check_route_permissions(app: Litestar) -> None:
    """Every admin route must authenticate and say what it needs; one that forgets fails at start."""
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:  # type: ignore[attr-defined]
            if handler.http_methods == {"OPTIONS"}:  # Litestar's automatic CORS preflight answer
                continue
            if "permission" not in handler.opt and "access" not in handler.opt:
                raise RuntimeError(
                    f"admin route {route.path} ({handler.handler_name}) declares no permission"
                )
            parameters = handler.parsed_fn_signature.parameters
            if "permission" in handler.opt and "tenant_scope" not in parameters:
                raise RuntimeError(
                    f"admin route {route.path} ({handler.handler_name}) does not check its tenant"
                )
            if "principal" not in parameters and "tenant_scope" not in parameters:
                raise RuntimeError(f"admin route {route.path} ({handler.handler_name}) does not authenticate")

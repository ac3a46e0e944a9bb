"""Admin API: webhook subscriptions (Zapier REST Hooks), their delivery log and replays."""

from __future__ import annotations

from litestar import Controller, Router, delete, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.db.paging import DEFAULT_LIMIT, Page, tenant_page
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.webhooks import deliveries, subscriptions
from core.webhooks.models import WebhookSubscription
from core.webhooks.schemas import (
    DeliveryDetail,
    DeliveryRead,
    DeliveryStatus,
    EventTypeRead,
    HookCreate,
    HookCreated,
    HookRead,
    ReplayRange,
    ReplayResult,
    SecretRotate,
    SecretRotated,
)

ONE = "/{hook_id:str}"
DELIVERY = ONE + "/deliveries/{delivery_id:str}"


def _wake(services: AppServices) -> None:
    """Replays are due now: let the in-process dispatcher look at once."""
    if services.dispatcher is not None:
        services.dispatcher.wake.set()


class HookController(Controller):
    path = "/tenants/{slug:str}/hooks"
    tags = ["webhooks"]

    @post("/", operation_id="subscribeHook", opt=permission("hooks", "write"))
    async def subscribe(
        self, data: HookCreate, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> HookCreated:
        """Subscribe ``target_url`` to an event (``*``: all); the signing secret is shown once."""
        return await subscriptions.subscribe(db_session, services, tenant_scope, data)

    @get("/", operation_id="listHooks", opt=permission("hooks", "read"))
    async def list_hooks(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        status: str | None = "active",
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[HookRead]:
        """Subscriptions oldest first; ``status=removed`` for those unsubscribed or gone, ``all`` for both."""
        where = [] if status in (None, "all") else [WebhookSubscription.status == status]
        return await tenant_page(
            db_session,
            WebhookSubscription,
            tenant_scope.tenant_id,
            subscriptions.to_read,
            limit=limit,
            cursor=cursor,
            where=where,
        )

    @get("/event-types", operation_id="listHookEventTypes", opt=permission("hooks", "read"))
    async def event_types(self, tenant_scope: TenantScope, services: AppServices) -> list[EventTypeRead]:
        """The events a subscription can ask for (a dropdown in Zapier or Make)."""
        registered = services.providers.of_kind("event_type")
        return [
            EventTypeRead(
                name=name,
                description=getattr(registered[name].provider, "description", "")
                if name in registered
                else "",
            )
            for name in subscriptions.event_names(services)
        ]

    @get("/samples/{event:str}", operation_id="hookSamples", opt=permission("hooks", "read"))
    async def samples(
        self, event: str, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> list[dict[str, object]]:
        """Zapier ``performList``: the latest real payloads of ``event``, or a sample before there are any."""
        return await deliveries.samples(db_session, services, tenant_scope, event)

    @get(ONE, operation_id="getHook", opt=permission("hooks", "read"))
    async def get_hook(self, hook_id: str, tenant_scope: TenantScope, db_session: AsyncSession) -> HookRead:
        """One subscription, active or removed (with why)."""
        return subscriptions.to_read(
            await subscriptions.subscription_of_tenant(db_session, tenant_scope, hook_id)
        )

    @delete(ONE, operation_id="unsubscribeHook", opt=permission("hooks", "delete"))
    async def unsubscribe(self, hook_id: str, tenant_scope: TenantScope, db_session: AsyncSession) -> None:
        """Unsubscribe: nothing more is sent; the delivery log stays readable."""
        await subscriptions.unsubscribe(db_session, tenant_scope, hook_id)

    @post(
        ONE + "/rotate-secret",
        operation_id="rotateHookSecret",
        status_code=HTTP_200_OK,
        opt=permission("hooks", "write"),
    )
    async def rotate_secret(
        self,
        hook_id: str,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
        data: SecretRotate | None = None,
    ) -> SecretRotated:
        """A new secret; deliveries carry both signatures for ``grace_hours`` (default 24)."""
        return await subscriptions.rotate_secret(
            db_session, services, tenant_scope, hook_id, data or SecretRotate()
        )

    @get(ONE + "/deliveries", operation_id="listHookDeliveries", opt=permission("hooks", "read"))
    async def list_deliveries(
        self,
        hook_id: str,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        status: DeliveryStatus | None = None,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[DeliveryRead]:
        """The subscription's delivery log, oldest first; ``status=failed`` lists those that gave up."""
        return await deliveries.list_deliveries(
            db_session, tenant_scope, hook_id=hook_id, status=status, limit=limit, cursor=cursor
        )

    @get(DELIVERY, operation_id="getHookDelivery", opt=permission("hooks", "read"))
    async def get_delivery(
        self, hook_id: str, delivery_id: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> DeliveryDetail:
        """One delivery with its payload and every attempt."""
        return await deliveries.delivery_detail(db_session, tenant_scope, hook_id, delivery_id)

    @post(
        DELIVERY + "/replay",
        operation_id="replayHookDelivery",
        status_code=HTTP_202_ACCEPTED,
        opt=permission("hooks", "write"),
    )
    async def replay_delivery(
        self,
        hook_id: str,
        delivery_id: str,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> DeliveryRead:
        """Send one delivery again, with the same ``webhook-id``."""
        read = await deliveries.replay_delivery(db_session, tenant_scope, hook_id, delivery_id)
        _wake(services)
        return read

    @post(
        ONE + "/replay",
        operation_id="replayHookRange",
        status_code=HTTP_202_ACCEPTED,
        opt=permission("hooks", "write"),
    )
    async def replay_range(
        self,
        hook_id: str,
        data: ReplayRange,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> ReplayResult:
        """Send again the failed (or all) deliveries of events in a time range."""
        result = await deliveries.replay_range(db_session, tenant_scope, hook_id, data)
        _wake(services)
        return result


class DeliveryController(Controller):
    path = "/tenants/{slug:str}/deliveries"
    tags = ["webhooks"]

    @get("/", operation_id="listDeliveries", opt=permission("hooks", "read"))
    async def list_all(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        status: DeliveryStatus | None = None,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[DeliveryRead]:
        """Every delivery of the tenant, to subscriptions and CRM connectors; ``status=failed`` to triage."""
        return await deliveries.list_deliveries(
            db_session, tenant_scope, hook_id=None, status=status, limit=limit, cursor=cursor
        )


webhooks_router = Router(path="/api/v1", route_handlers=[HookController, DeliveryController])

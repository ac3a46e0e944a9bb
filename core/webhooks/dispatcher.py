"""Delivering the outbox: fan events out to subscriptions and connectors, claim, send, record.

Any number of dispatchers may run against one PostgreSQL database (in the server processes and
as ``frontdesk worker``): fan-out and claims lock rows with ``FOR UPDATE SKIP LOCKED``, and each
attempt is a row unique per (delivery, attempt number), so two workers never make the same
attempt. A claim is a lease: a worker killed mid-delivery leaves the delivery claimed until the
lease runs out, then any worker tries it again, with the same ``webhook-id``. Delivery is
therefore at least once; receivers drop repeats by ``webhook-id``.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import msgspec
import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls.services import tenant_identity
from core.db.base import utcnow
from core.media.store import purge_unused_clips
from core.providers import ConnectorEvent, CRMConnector, DeliveryError, retry_after_seconds
from core.state import AppServices
from core.tenancy.models import Tenant
from core.webhooks.guard import TargetRefused
from core.webhooks.models import (
    CANCELLED,
    FAILED,
    PENDING,
    SUBSCRIPTION_ACTIVE,
    SUCCEEDED,
    DeliveryAttempt,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from core.webhooks.outbox import ALL_EVENTS
from core.webhooks.schedule import next_delay
from core.webhooks.signing import signed_headers
from core.webhooks.subscriptions import remove, signing_secrets

log = structlog.get_logger(__name__)

FAN_OUT_BATCH = 200
PURGE_EVERY_S = 3600.0
RESPONSE_KEPT = 500  # characters of a receiver's answer kept in the delivery log


@dataclass(frozen=True, slots=True)
class Claim:
    """One attempt this worker owns: what to send, where, and which attempt number it is."""

    delivery_id: str
    tenant_id: str
    number: int
    event_type: str
    occurred_at: datetime
    data: dict[str, Any]
    schedule_base: int = 0
    subscription_id: str | None = None
    target_url: str | None = None
    secrets: tuple[str, ...] = ()
    connector: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to."""

    ok: bool
    status_code: int | None = None
    error: str | None = None
    response_body: str | None = None
    retry_after: float | None = None
    gone: bool = False  # 410: the receiver wants no more
    permanent: bool = False  # no retry can fix it


def event_body(event_type: str, occurred_at: datetime, data: dict[str, Any]) -> bytes:
    """The JSON every subscriber receives: ``{"type", "timestamp", "data"}``; the same bytes on every try."""
    return msgspec.json.encode({"type": event_type, "timestamp": occurred_at, "data": data})


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Dispatcher:
    """Works the outbox until stopped; ``run_until_idle`` does what is due now and returns."""

    def __init__(
        self,
        services: AppServices,
        http: httpx.AsyncClient,
        *,
        worker: str | None = None,
        concurrency: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        settings = services.settings
        self.services = services
        self.http = http
        self.worker = worker or worker_name()
        self.concurrency = concurrency or settings.webhook_concurrency
        self.lease = timedelta(seconds=settings.webhook_lease_s)
        self.timeout = settings.webhook_timeout_s
        self.poll = settings.webhook_poll_s
        self.retry_scale = settings.webhook_retry_scale
        self.rng = rng or random.Random()
        self.wake = asyncio.Event()

    # --- the loop ------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; in-flight attempts finish first (their leases cover them)."""
        running: set[asyncio.Task[None]] = set()
        # Claim in batches: going to the database for every slot that frees up costs more than
        # the deliveries themselves.
        batch = max(1, self.concurrency // 2)
        next_purge = 0.0
        loop = asyncio.get_running_loop()
        log.info("webhooks.dispatcher_started", worker=self.worker, concurrency=self.concurrency)
        while not stop.is_set():
            free = self.concurrency - len(running)
            claims: list[Claim] = []
            if free >= batch or not running:
                try:
                    if loop.time() >= next_purge:
                        next_purge = loop.time() + PURGE_EVERY_S
                        await self.purge()
                    await self.fan_out()
                    claims = await self.claim(free)
                except (OperationalError, OSError) as exc:  # the database hiccupped: try again shortly
                    log.warning("webhooks.dispatcher_db_error", error=repr(exc))
            for claim in claims:
                task = asyncio.create_task(self.attempt(claim))
                running.add(task)
                task.add_done_callback(running.discard)
            if claims and len(claims) == free:
                continue  # a full batch: more may be due right now
            await self._pause(stop, running)
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        log.info("webhooks.dispatcher_stopped", worker=self.worker)

    async def _pause(self, stop: asyncio.Event, running: set[asyncio.Task[None]]) -> None:
        self.wake.clear()
        waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(self.wake.wait())]
        try:
            await asyncio.wait([*waiters, *running], timeout=self.poll, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def run_until_idle(self, max_rounds: int = 1000) -> int:
        """Fan out and attempt everything due now, round after round; returns the attempts made."""
        made = 0
        for _ in range(max_rounds):
            await self.fan_out()
            claims = await self.claim(self.concurrency)
            if not claims:
                break
            await asyncio.gather(*(self.attempt(claim) for claim in claims))
            made += len(claims)
        return made

    # --- retention -----------------------------------------------------------------------------

    async def purge(self) -> int:
        """Forget events older than the retention whose deliveries have all finished (and their logs)."""
        cutoff = utcnow() - timedelta(days=self.services.settings.webhook_retention_days)
        unfinished = select(WebhookDelivery.event_id).where(WebhookDelivery.status == PENDING)
        async with self.services.session_factory() as db:
            result = await db.execute(
                delete(OutboxEvent).where(
                    OutboxEvent.dispatched_at.is_not(None),
                    OutboxEvent.dispatched_at < cutoff,
                    OutboxEvent.id.not_in(unfinished),
                )
            )
            await db.commit()
            # Synthesised speech no call has used lately goes on the same hourly round.
            await purge_unused_clips(db, utcnow())
        purged = int(result.rowcount or 0)
        if purged:
            log.info("webhooks.purged", events=purged, older_than=cutoff.isoformat())
        return purged

    # --- fan-out -------------------------------------------------------------------------------

    async def fan_out(self) -> int:
        """Turn undispatched events into deliveries, one per subscription and connector that wants them."""
        async with self.services.session_factory() as db:
            events = list(
                await db.scalars(
                    select(OutboxEvent)
                    .where(OutboxEvent.dispatched_at.is_(None))
                    .order_by(OutboxEvent.occurred_at)
                    .limit(FAN_OUT_BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            if not events:
                return 0
            tenant_ids = {event.tenant_id for event in events}
            subscriptions: dict[str, list[WebhookSubscription]] = {}
            for subscription in await db.scalars(
                select(WebhookSubscription).where(
                    WebhookSubscription.tenant_id.in_(tenant_ids),
                    WebhookSubscription.status == SUBSCRIPTION_ACTIVE,
                )
            ):
                subscriptions.setdefault(subscription.tenant_id, []).append(subscription)
            connectors = {tenant_id: await self._connectors_of(db, tenant_id) for tenant_id in tenant_ids}
            now = utcnow()
            for event in events:
                for subscription in subscriptions.get(event.tenant_id, []):
                    if subscription.event in (event.type, ALL_EVENTS) and subscription.created_at <= (
                        event.occurred_at
                    ):
                        db.add(_delivery(event, subscription_id=subscription.id, now=now))
                for name, (connector, config) in connectors[event.tenant_id].items():
                    if _wants(connector, event.type, config, name):
                        db.add(_delivery(event, connector=name, now=now))
                event.dispatched_at = now
            await db.commit()
            return len(events)

    async def _connectors_of(self, db: AsyncSession, tenant_id: str) -> dict[str, tuple[CRMConnector, Any]]:
        """The CRM connectors whose plugin this tenant has installed, with its config."""
        registrations = self.services.providers.of_kind("crm_connector")
        if not registrations:
            return {}
        tenant = await db.get(Tenant, tenant_id)
        if tenant is None:
            return {}
        installed, configs = await self.services.call_configs.get(db, self.services, tenant, None)
        return {
            name: (registration.provider, configs.get(registration.plugin))  # type: ignore[misc]
            for name, registration in registrations.items()
            if registration.plugin in installed and registration.plugin in configs
        }

    # --- claims --------------------------------------------------------------------------------

    async def claim(self, limit: int) -> list[Claim]:
        """Take up to ``limit`` due deliveries: each gets its next attempt number and a lease."""
        async with self.services.session_factory() as db:
            now = utcnow()
            deliveries = list(
                await db.scalars(
                    select(WebhookDelivery)
                    .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
                    .order_by(WebhookDelivery.next_attempt_at)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            if not deliveries:
                return []
            events = {
                event.id: event
                for event in await db.scalars(
                    select(OutboxEvent).where(OutboxEvent.id.in_({d.event_id for d in deliveries}))
                )
            }
            subscription_ids = {d.subscription_id for d in deliveries if d.subscription_id}
            subscriptions = {
                subscription.id: subscription
                for subscription in await db.scalars(
                    select(WebhookSubscription).where(WebhookSubscription.id.in_(subscription_ids))
                )
            }
            claims = []
            for delivery in deliveries:
                delivery.attempts += 1
                delivery.next_attempt_at = now + self.lease
                delivery.last_attempt_at = now
                db.add(
                    DeliveryAttempt(
                        delivery_id=delivery.id,
                        tenant_id=delivery.tenant_id,
                        number=delivery.attempts,
                        worker=self.worker,
                        started_at=now,
                    )
                )
                event = events[delivery.event_id]
                subscription = subscriptions.get(delivery.subscription_id or "")
                claims.append(
                    Claim(
                        delivery_id=delivery.id,
                        tenant_id=delivery.tenant_id,
                        number=delivery.attempts,
                        event_type=event.type,
                        occurred_at=event.occurred_at,
                        data=dict(event.data),
                        schedule_base=delivery.schedule_base,
                        subscription_id=delivery.subscription_id,
                        target_url=subscription.target_url if subscription else None,
                        secrets=tuple(signing_secrets(self.services.secret_box, subscription, now))
                        if subscription
                        else (),
                        connector=delivery.connector,
                    )
                )
            try:
                await db.commit()
            except IntegrityError:
                # Another worker took the same attempt first (SQLite has no SKIP LOCKED): leave it.
                await db.rollback()
                return []
            return claims

    # --- attempts ------------------------------------------------------------------------------

    async def attempt(self, claim: Claim) -> None:
        """Make one attempt and record what came of it; never raises."""
        try:
            async with asyncio.timeout(self.timeout + 5):
                if claim.connector is not None:
                    outcome = await self._to_connector(claim)
                else:
                    outcome = await self._to_subscriber(claim)
        except TimeoutError:
            outcome = Outcome(ok=False, error=f"no answer within {self.timeout:g} s")
        except Exception as exc:
            log.exception("webhooks.attempt_crashed", delivery=claim.delivery_id)
            outcome = Outcome(ok=False, error=f"delivery failed: {exc!r}"[:500])
        try:
            await self.record(claim, outcome)
        except Exception:  # the lease runs out and the attempt is made again: nothing is lost
            log.exception("webhooks.record_failed", delivery=claim.delivery_id, attempt=claim.number)

    async def _to_subscriber(self, claim: Claim) -> Outcome:
        if claim.target_url is None:
            return Outcome(ok=False, error="the subscription is gone", permanent=True)
        body = event_body(claim.event_type, claim.occurred_at, claim.data)
        headers = {
            "content-type": "application/json",
            **signed_headers(claim.delivery_id, utcnow(), body.decode(), list(claim.secrets)),
        }
        try:
            response = await self.http.post(claim.target_url, content=body, headers=headers)
        except TargetRefused as exc:
            return Outcome(ok=False, error=f"refused ({exc.rule}): {exc}"[:500])
        except httpx.TimeoutException:
            return Outcome(ok=False, error=f"no answer within {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        return _outcome_of(response)

    async def _to_connector(self, claim: Claim) -> Outcome:
        async with self.services.session_factory() as db:
            tenant = await db.get(Tenant, claim.tenant_id)
            connectors = await self._connectors_of(db, claim.tenant_id) if tenant else {}
        found = connectors.get(claim.connector or "")
        if tenant is None or found is None:
            return Outcome(ok=False, error="the connector is no longer installed", permanent=True)
        connector, config = found
        event = ConnectorEvent(
            id=claim.delivery_id,
            type=claim.event_type,
            timestamp=claim.occurred_at,
            data=claim.data,
            tenant=tenant_identity(tenant),
            attempt=claim.number,
        )
        try:
            await connector.deliver(event, config, self.http)
        except DeliveryError as exc:
            return Outcome(
                ok=False,
                status_code=exc.status_code,
                error=exc.reason[:500],
                retry_after=exc.retry_after,
                permanent=exc.permanent,
            )
        except TargetRefused as exc:
            return Outcome(ok=False, error=f"refused ({exc.rule}): {exc}"[:500])
        except httpx.HTTPError as exc:
            return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        return Outcome(ok=True)

    # --- results -------------------------------------------------------------------------------

    async def record(self, claim: Claim, outcome: Outcome) -> None:
        """Log the attempt and move the delivery on, unless another worker took it over meanwhile."""
        async with self.services.session_factory() as db:
            now = utcnow()
            await db.execute(
                update(DeliveryAttempt)
                .where(
                    DeliveryAttempt.delivery_id == claim.delivery_id, DeliveryAttempt.number == claim.number
                )
                .values(
                    finished_at=now,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    response_body=outcome.response_body,
                )
            )
            values: dict[str, Any] = {"last_status_code": outcome.status_code, "last_error": outcome.error}
            gone = outcome.gone and claim.subscription_id is not None
            if outcome.ok:
                values.update(status=SUCCEEDED, delivered_at=now)
            elif gone:
                values.update(status=CANCELLED)
            elif outcome.permanent:
                values.update(status=FAILED)
            else:
                delay = next_delay(
                    claim.number - claim.schedule_base,
                    retry_after=outcome.retry_after,
                    scale=self.retry_scale,
                    rng=self.rng,
                )
                if delay is None:
                    values.update(status=FAILED)
                    log.warning("webhooks.delivery_failed", delivery=claim.delivery_id, attempts=claim.number)
                else:
                    values.update(next_attempt_at=now + timedelta(seconds=delay))
            # Fenced on the attempt number: if our lease ran out and another worker claimed the
            # delivery again, its attempt decides; ours stays in the log only.
            moved = await db.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == claim.delivery_id,
                    WebhookDelivery.attempts == claim.number,
                    WebhookDelivery.status == PENDING,
                )
                .values(**values)
            )
            if gone and moved.rowcount == 1:
                # 410 Gone: the receiver asked to be unsubscribed (Zapier does so when a Zap is off).
                subscription = await db.get(WebhookSubscription, claim.subscription_id)
                if subscription is not None and subscription.status == SUBSCRIPTION_ACTIVE:
                    await remove(db, subscription, "the receiver answered 410 Gone", now)
                    log.info("webhooks.subscription_removed", subscription=subscription.id, reason="410")
            await db.commit()


def _outcome_of(response: httpx.Response) -> Outcome:
    """Any 2xx is success; 3xx is failure (redirects are not followed); 410 ends the subscription."""
    code = response.status_code
    text = response.text[:RESPONSE_KEPT] if response.content else None
    if 200 <= code < 300:
        return Outcome(ok=True, status_code=code, response_body=text)
    return Outcome(
        ok=False,
        status_code=code,
        error=f"HTTP {code}",
        response_body=text,
        retry_after=retry_after_seconds(response.headers.get("retry-after")),
        gone=code == 410,
    )


def _wants(connector: CRMConnector, event_type: str, config: Any, name: str) -> bool:
    try:
        return bool(connector.wants(event_type, config))
    except Exception as exc:  # a broken plugin must not stop the outbox
        log.warning("webhooks.connector_wants_failed", connector=name, error=repr(exc))
        return False


def _delivery(
    event: OutboxEvent, *, now: datetime, subscription_id: str | None = None, connector: str | None = None
) -> WebhookDelivery:
    return WebhookDelivery(
        tenant_id=event.tenant_id,
        event_id=event.id,
        event_type=event.type,
        occurred_at=event.occurred_at,
        subscription_id=subscription_id,
        connector=connector,
        next_attempt_at=now,
    )

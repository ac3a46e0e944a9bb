"""Finished deliveries are forgotten after the retention period; unfinished ones never are."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update

from core.db.base import utcnow
from core.webhooks.models import DeliveryAttempt, OutboxEvent, WebhookDelivery

API = "/api/v1/tenants/acme"


async def test_old_finished_events_are_purged_with_their_logs(hooked, deliver):
    await hooked.subscribe("/ok", "call.started")
    for _ in range(2):
        call = hooked.call()
        await call.start()
    await deliver()
    hooked.receiver.answer("/ok", httpx.Response(500))
    waiting = hooked.call()
    await waiting.start()
    await deliver()  # fails once: its delivery is pending a retry

    long_ago = utcnow() - timedelta(days=45)
    async with hooked.services.session_factory() as db:
        await db.execute(update(OutboxEvent).values(dispatched_at=long_ago))
        await db.commit()
        delivered = select(WebhookDelivery.event_id).where(WebhookDelivery.status == "succeeded")
        recent = (await db.scalars(select(OutboxEvent).where(OutboxEvent.id.in_(delivered)))).first()
        recent.dispatched_at = utcnow()
        await db.commit()

    assert await hooked.dispatcher().purge() == 1  # old and finished; not the recent one nor the pending one

    async with hooked.services.session_factory() as db:
        deliveries = list(await db.scalars(select(WebhookDelivery)))
        attempts = list(await db.scalars(select(DeliveryAttempt)))
        events = list(await db.scalars(select(OutboxEvent)))
    assert sorted(d.status for d in deliveries) == ["pending", "succeeded"]
    assert len(events) == 2
    assert {a.delivery_id for a in attempts} == {d.id for d in deliveries}

"""Running a dispatcher: inside the server (embedded mode) or as a ``frontdesk worker`` process."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog

from core.state import AppServices
from core.webhooks.dispatcher import Dispatcher

log = structlog.get_logger(__name__)


@asynccontextmanager
async def embedded_dispatcher(services: AppServices) -> AsyncIterator[Dispatcher | None]:
    """A dispatcher in this process for as long as the block runs, unless deployments use workers."""
    if services.settings.webhook_dispatch != "embedded":
        yield None
        return
    dispatcher = Dispatcher(services, services.webhook_http)
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run(stop), name="webhook-dispatcher")
    services.dispatcher = dispatcher
    try:
        yield dispatcher
    finally:
        services.dispatcher = None
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=services.settings.webhook_timeout_s + 5)
        except TimeoutError:  # the leases of whatever was in flight bring it back later
            task.cancel()


async def run_worker(services: AppServices, *, concurrency: int | None = None, once: bool = False) -> int:
    """``frontdesk worker``: deliver until SIGINT or SIGTERM (or, with ``once``, until nothing is due)."""
    dispatcher = Dispatcher(services, services.webhook_http, concurrency=concurrency)
    if once:
        return await dispatcher.run_until_idle()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await dispatcher.run(stop)
    return 0

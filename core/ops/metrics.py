"""Prometheus metrics: one registry per app, so several apps (tests) never collide."""

from __future__ import annotations

import time

from litestar import Request, Response, get
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "frontdesk_http_requests_total",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "frontdesk_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )

    def middleware(self, app: ASGIApp) -> ASGIApp:
        async def measure(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            started = time.perf_counter()
            status = [500]

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status[0] = message["status"]
                await send(message)

            try:
                await app(scope, receive, capture)
            finally:
                # The route template, not the raw path, keeps label cardinality bounded.
                route = scope.get("path_template") or "unmatched"
                method = scope.get("method", "")
                self.requests.labels(method, route, str(status[0])).inc()
                self.latency.labels(method, route).observe(time.perf_counter() - started)

        return measure


@get("/metrics", operation_id="metrics", include_in_schema=False, sync_to_thread=False)
def metrics_endpoint(request: Request) -> Response[bytes]:
    """Prometheus text exposition."""
    registry = request.app.state.http_metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

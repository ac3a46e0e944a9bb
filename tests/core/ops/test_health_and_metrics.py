"""Operations endpoints: health with a real database check, Prometheus metrics, request ids, OpenAPI."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.app import create_app


async def test_health_is_ok_with_a_database(client: AsyncTestClient) -> None:
    response = await client.get("/health", headers={"Authorization": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["version"]


async def test_health_is_503_when_the_database_is_down(make_settings) -> None:
    app = create_app(make_settings())
    async with AsyncTestClient(app=app) as client:
        await app.state.services.engine.dispose()
        # point the engine at a database that cannot be reached
        from core.db.engine import create_engine

        app.state.services.engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json()["database"] == "unavailable"
        await app.state.services.engine.dispose()


async def test_metrics_count_requests_by_route(client: AsyncTestClient) -> None:
    await client.get("/health")
    await client.get("/api/v1/tenants/nobody")
    text = (await client.get("/metrics")).text
    assert 'frontdesk_http_requests_total{method="GET",route="/health",status="200"} 1.0' in text
    assert 'route="/api/v1/tenants/{slug}",status="404"' in text
    assert "frontdesk_http_request_duration_seconds_bucket" in text


async def test_request_id_is_echoed_or_made(client: AsyncTestClient) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "abc123"})
    assert given.headers["x-request-id"] == "abc123"
    made = await client.get("/health")
    assert len(made.headers["x-request-id"]) == 32


async def test_openapi_documents_every_admin_operation(client: AsyncTestClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = [
        op for path, ops in schema["paths"].items() if path.startswith("/api/") for op in ops.values()
    ]
    assert len(operations) >= 25
    assert all(op.get("operationId") and op.get("description") for op in operations)
    assert (await client.get("/schema")).status_code == 200

"""Admin API: a tenant's call analytics for a period."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Router, get
from litestar.exceptions import ValidationException
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.schemas import AnalyticsReport
from core.analytics.services import tenant_analytics
from core.api.deps import permission
from core.tenancy.deps import TenantScope


class AnalyticsController(Controller):
    path = "/tenants/{slug:str}/analytics"
    tags = ["analytics"]

    @get("/", operation_id="getAnalytics", opt=permission("analytics", "read"))
    async def get_analytics(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AnalyticsReport:
        """Calls started from ``since`` up to ``until`` (both optional): totals by outcome, calls by hour
        of day in the tenant's timezone, average duration, spam and booking rates, and the callers'
        average sentiment over the calls that have one."""
        if since is not None and until is not None and until <= since:
            raise ValidationException(
                "until must be after since", extra=[{"key": "until", "source": "query"}]
            )
        return await tenant_analytics(db_session, tenant_scope.tenant, since, until)


analytics_router = Router(path="/api/v1", route_handlers=[AnalyticsController])

"""Admin API: what a tenant's conversation models cost, month by month, against its budget."""

from __future__ import annotations

from litestar import Controller, Router, get
from litestar.exceptions import ValidationException
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.conversation.schemas import UsageReport
from core.conversation.usage import usage_report
from core.db.base import utcnow
from core.tenancy.deps import TenantScope

DEFAULT_MONTHS = 6
# Three years: more than any dashboard chart shows, few enough to answer from one small query.
MAX_MONTHS = 36


class UsageController(Controller):
    path = "/tenants/{slug:str}/usage"
    tags = ["usage"]

    @get("/", operation_id="getAiUsage", opt=permission("tenant", "read"))
    async def get_usage(
        self, tenant_scope: TenantScope, db_session: AsyncSession, months: int = DEFAULT_MONTHS
    ) -> UsageReport:
        """Conversation model requests, tokens and cost for the last ``months`` UTC months (this one last),
        the monthly budget, what is left of it, and whether calls are on the offline model."""
        if not 1 <= months <= MAX_MONTHS:
            raise ValidationException(
                f"months must be between 1 and {MAX_MONTHS}", extra=[{"key": "months", "source": "query"}]
            )
        return await usage_report(db_session, tenant_scope.tenant, utcnow(), months)


conversation_router = Router(path="/api/v1", route_handlers=[UsageController])

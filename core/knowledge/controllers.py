"""Admin API: the tenant's knowledge base."""

from __future__ import annotations

from litestar import Controller, Router, delete, get, patch, post
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.db.paging import DEFAULT_LIMIT, Page
from core.knowledge import services
from core.knowledge.schemas import KnowledgeCreate, KnowledgeRead, KnowledgeUpdate
from core.tenancy.deps import TenantScope


class KnowledgeController(Controller):
    path = "/tenants/{slug:str}/knowledge"
    tags = ["knowledge"]

    @post("/", operation_id="addKnowledge", opt=permission("knowledge", "write"))
    async def add_entry(
        self, data: KnowledgeCreate, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> KnowledgeRead:
        """Teach the receptionist a question and its answer."""
        return services.to_read(await services.add_entry(db_session, tenant_scope, data))

    @get("/", operation_id="listKnowledge", opt=permission("knowledge", "read"))
    async def list_entries(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[KnowledgeRead]:
        """The knowledge base, oldest first."""
        rows, next_cursor = await services.list_entries(db_session, tenant_scope, limit=limit, cursor=cursor)
        return Page(items=[services.to_read(row) for row in rows], next_cursor=next_cursor)

    @get("/{entry_id:str}", operation_id="getKnowledge", opt=permission("knowledge", "read"))
    async def get_entry(
        self, entry_id: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> KnowledgeRead:
        """One knowledge entry."""
        return services.to_read(await services.entry_of_tenant(db_session, tenant_scope, entry_id))

    @patch("/{entry_id:str}", operation_id="updateKnowledge", opt=permission("knowledge", "write"))
    async def update_entry(
        self, entry_id: str, data: KnowledgeUpdate, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> KnowledgeRead:
        """Change a question, its answer or its tags."""
        return services.to_read(await services.update_entry(db_session, tenant_scope, entry_id, data))

    @delete("/{entry_id:str}", operation_id="removeKnowledge", opt=permission("knowledge", "delete"))
    async def remove_entry(self, entry_id: str, tenant_scope: TenantScope, db_session: AsyncSession) -> None:
        """Forget a knowledge entry."""
        await services.remove_entry(db_session, tenant_scope, entry_id)


knowledge_router = Router(path="/api/v1", route_handlers=[KnowledgeController])

"""Admin API: a tenant's API keys and members."""

from __future__ import annotations

from litestar import Controller, Router, delete, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.authz import services as access_services
from core.authz.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, MemberCreate, MemberRead
from core.db.paging import Page
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.tenancy.models import Member


class ApiKeyController(Controller):
    path = "/tenants/{slug:str}/api-keys"
    tags = ["access"]

    @post("/", operation_id="createApiKey", opt=permission("api_keys", "write"))
    async def create_key(
        self, data: ApiKeyCreate, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> ApiKeyCreated:
        """Create an API key with a role no higher than the caller's; the key is shown only now."""
        row, key = await access_services.create_api_key(
            db_session, services, tenant_scope, data.name, data.role
        )
        return ApiKeyCreated(
            id=row.id, key=key, name=row.name, role=row.role, prefix=row.prefix, created_at=row.created_at
        )

    @get("/", operation_id="listApiKeys", opt=permission("api_keys", "read"))
    async def list_keys(self, tenant_scope: TenantScope, db_session: AsyncSession) -> Page[ApiKeyRead]:
        """The tenant's API keys (never the keys themselves)."""
        rows = await access_services.keys_of_tenant(db_session, tenant_scope)
        return Page(
            items=[
                ApiKeyRead(
                    id=r.id,
                    name=r.name,
                    role=r.role,
                    prefix=r.prefix,
                    created_by=r.created_by,
                    created_at=r.created_at,
                    last_used_at=r.last_used_at,
                )
                for r in rows
            ]
        )

    @delete("/{key_id:str}", operation_id="revokeApiKey", opt=permission("api_keys", "delete"))
    async def revoke_key(
        self, key_id: str, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> None:
        """Revoke an API key at once."""
        await access_services.revoke_api_key(db_session, services, tenant_scope, key_id)


class MemberController(Controller):
    path = "/tenants/{slug:str}/members"
    tags = ["access"]

    @post("/", operation_id="addMember", opt=permission("members", "write"))
    async def add_member(
        self, data: MemberCreate, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> MemberRead:
        """Add a person with a role in this tenant (dashboard access)."""
        member = await access_services.add_member(
            db_session, services, tenant_scope, data.email, data.name, data.role
        )
        return _member_read(member)

    @get("/", operation_id="listMembers", opt=permission("members", "read"))
    async def list_members(self, tenant_scope: TenantScope, db_session: AsyncSession) -> Page[MemberRead]:
        """The tenant's members and their roles."""
        return Page(
            items=[_member_read(m) for m in await access_services.members_of_tenant(db_session, tenant_scope)]
        )

    @delete("/{member_id:str}", operation_id="removeMember", opt=permission("members", "delete"))
    async def remove_member(
        self, member_id: str, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> None:
        """Remove a member and their access."""
        await access_services.remove_member(db_session, services, tenant_scope, member_id)


def _member_read(member: Member) -> MemberRead:
    return MemberRead(
        id=member.id, email=member.email, name=member.name, role=member.role, created_at=member.created_at
    )


authz_router = Router(path="/api/v1", route_handlers=[ApiKeyController, MemberController])

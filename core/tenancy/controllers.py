"""Admin API: tenants and their phone numbers."""

from __future__ import annotations

from litestar import Controller, Router, delete, get, patch, post
from litestar.exceptions import ValidationException
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import AUTHENTICATED, permission
from core.authz.principal import Principal
from core.db.paging import DEFAULT_LIMIT, Page, check_limit
from core.state import AppServices
from core.tenancy import numbers
from core.tenancy import services as tenant_services
from core.tenancy.deps import TenantScope
from core.tenancy.schemas import (
    PhoneNumberCreate,
    PhoneNumberRead,
    PhoneNumberUpdate,
    TenantCreate,
    TenantRead,
    TenantUpdate,
)


class TenantController(Controller):
    path = "/tenants"
    tags = ["tenants"]

    @post("/", operation_id="createTenant", opt=AUTHENTICATED)
    async def create_tenant(
        self, data: TenantCreate, db_session: AsyncSession, services: AppServices, principal: Principal
    ) -> TenantRead:
        """Create a tenant (a business, or an agency that owns others). Default plugins come installed."""
        chain = await tenant_services.create_tenant(db_session, services, principal, data)
        return tenant_services.to_read(chain)

    @get("/", operation_id="listTenants", opt=AUTHENTICATED)
    async def list_tenants(
        self,
        db_session: AsyncSession,
        services: AppServices,
        principal: Principal,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[TenantRead]:
        """Tenants the caller may read: all for platform admins, an agency's subtree for its admins."""
        check_limit(limit)
        chains = await tenant_services.visible_tenants(db_session, services, principal)
        start = 0
        if cursor:
            ids = [chain[0].id for chain in chains]
            if cursor not in ids:
                raise ValidationException(
                    "cursor is not one this API issued", extra=[{"key": "cursor", "source": "query"}]
                )
            start = ids.index(cursor) + 1
        page = chains[start : start + limit]
        next_cursor = page[-1][0].id if start + limit < len(chains) and page else None
        return Page(items=[tenant_services.to_read(chain) for chain in page], next_cursor=next_cursor)

    @get("/{slug:str}", operation_id="getTenant", opt=permission("tenant", "read"))
    async def get_tenant(self, tenant_scope: TenantScope) -> TenantRead:
        """One tenant, with its branding as inherited from its agency."""
        return tenant_services.to_read(tenant_scope.chain)

    @patch("/{slug:str}", operation_id="updateTenant", opt=permission("tenant", "write"))
    async def update_tenant(
        self, data: TenantUpdate, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> TenantRead:
        """Change a tenant's identity, languages, hours, branding or Twilio credentials."""
        chain = await tenant_services.update_tenant(
            db_session, services, tenant_scope.principal, tenant_scope.chain, data
        )
        return tenant_services.to_read(chain)

    @delete("/{slug:str}", operation_id="deleteTenant", opt=permission("tenant", "delete"))
    async def delete_tenant(
        self, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> None:
        """Delete a tenant and everything it owns (refused while it has child tenants)."""
        await tenant_services.delete_tenant(db_session, services, tenant_scope.principal, tenant_scope.tenant)


class PhoneNumberController(Controller):
    path = "/tenants/{slug:str}/phone-numbers"
    tags = ["phone numbers"]

    @post("/", operation_id="addPhoneNumber", opt=permission("numbers", "write"))
    async def add_number(
        self,
        data: PhoneNumberCreate,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> PhoneNumberRead:
        """Attach a Twilio number to the tenant; 409 when any tenant already has it."""
        return numbers.to_read(await numbers.add_number(db_session, services, tenant_scope, data))

    @get("/", operation_id="listPhoneNumbers", opt=permission("numbers", "read"))
    async def list_numbers(
        self, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> Page[PhoneNumberRead]:
        """The tenant's numbers with their plugin config overlays."""
        rows = await numbers.numbers_of_tenant(db_session, tenant_scope)
        return Page(items=[numbers.to_read(row) for row in rows])

    @get("/{number:str}", operation_id="getPhoneNumber", opt=permission("numbers", "read"))
    async def get_number(
        self, number: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> PhoneNumberRead:
        """One of the tenant's numbers."""
        return numbers.to_read(await numbers.number_of_tenant(db_session, tenant_scope, number))

    @patch("/{number:str}", operation_id="updatePhoneNumber", opt=permission("numbers", "write"))
    async def update_number(
        self,
        number: str,
        data: PhoneNumberUpdate,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> PhoneNumberRead:
        """Change a number's label, Twilio account or plugin overlays (validated like installs)."""
        return numbers.to_read(await numbers.update_number(db_session, services, tenant_scope, number, data))

    @delete("/{number:str}", operation_id="removePhoneNumber", opt=permission("numbers", "delete"))
    async def remove_number(self, number: str, tenant_scope: TenantScope, db_session: AsyncSession) -> None:
        """Detach a number from the tenant."""
        await numbers.remove_number(db_session, tenant_scope, number)


tenancy_router = Router(path="/api/v1", route_handlers=[TenantController, PhoneNumberController])

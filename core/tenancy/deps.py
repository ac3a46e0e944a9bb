"""The tenant a request is about, and whether the caller may do what the route does to it.

Every tenant-scoped route declares ``opt={"permission": (object, action)}``; this dependency
answers 404 when the caller holds no role reaching the tenant (it does not exist for them) and
403 when it does but the role does not allow the action.
"""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy.ext.asyncio import AsyncSession

from core.authz.policy import candidate_domains
from core.authz.principal import Principal
from core.db.deps import services_of
from core.tenancy.models import Tenant
from core.tenancy.services import tenant_by_slug, tenant_chain

PERMISSION_OPT = "permission"


class TenantScope:
    """The tenant of the request, its agency chain, and who asks (a plain class: passed through as is)."""

    def __init__(
        self, *, tenant: Tenant, chain: list[Tenant], principal: Principal, domains: list[str]
    ) -> None:
        self.tenant = tenant
        self.chain = chain
        self.principal = principal
        self.domains = domains

    @property
    def tenant_id(self) -> str:
        return self.tenant.id


def route_permission(request: Request) -> tuple[str, str]:
    permission = request.route_handler.opt.get(PERMISSION_OPT)
    if permission is None:  # a programming error, caught by the access-matrix test
        raise RuntimeError(f"route {request.route_handler} declares no permission")
    return permission


async def provide_tenant_scope(
    request: Request, slug: str, principal: Principal, db_session: AsyncSession
) -> TenantScope:
    policy = services_of(request).policy
    obj, act = route_permission(request)
    tenant = await tenant_by_slug(db_session, slug)
    if tenant is None:
        raise NotFoundException(f"no tenant {slug!r}")
    chain = await tenant_chain(db_session, tenant)
    domains = candidate_domains(t.slug for t in chain)
    if not policy.reaches(principal.subject, domains):
        raise NotFoundException(f"no tenant {slug!r}")
    if not policy.allows(principal.subject, domains, obj, act):
        raise PermissionDeniedException(f"role {principal.role!r} may not {act} {obj} of tenant {slug!r}")
    return TenantScope(tenant=tenant, chain=chain, principal=principal, domains=domains)

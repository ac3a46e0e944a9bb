"""Tenant lifecycle: create (with default plugins), read, update, delete, and the agency tree."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import ConflictError
from core.audit.services import record_change
from core.authz.policy import PLATFORM_DOMAIN, agency_domain, candidate_domains
from core.authz.principal import Principal
from core.plugins.models import PluginInstall
from core.state import AppServices
from core.tenancy.models import Tenant
from core.tenancy.schemas import TenantCreate, TenantRead, TenantUpdate

# Agencies nest; a bound keeps a corrupted parent link from looping forever.
MAX_DEPTH = 16


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


async def tenant_chain(session: AsyncSession, tenant: Tenant) -> list[Tenant]:
    """The tenant, then its parent, grandparent… up to the platform."""
    chain = [tenant]
    while chain[-1].parent_id and len(chain) < MAX_DEPTH:
        parent = await session.get(Tenant, chain[-1].parent_id)
        if parent is None:
            break
        chain.append(parent)
    return chain


def effective_branding(chain: list[Tenant]) -> dict[str, Any]:
    """Branding inherited down the agency chain; the nearest tenant's values win."""
    merged: dict[str, Any] = {}
    for tenant in reversed(chain):
        merged.update({key: value for key, value in tenant.branding.items() if value not in (None, [], "")})
    return merged


def to_read(chain: list[Tenant]) -> TenantRead:
    tenant = chain[0]
    return TenantRead(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        parent=chain[1].slug if len(chain) > 1 else None,
        industry=tenant.industry,
        timezone=tenant.timezone,
        languages=list(tenant.languages),
        business=dict(tenant.business),
        branding=dict(tenant.branding),
        effective_branding=effective_branding(chain),
        record_calls=tenant.record_calls,
        twilio_account_sid=tenant.twilio_account_sid,
        twilio_auth_token_set=tenant.twilio_auth_token_encrypted is not None,
        ai_monthly_budget_usd=tenant.ai_monthly_budget_usd,
        config_version=tenant.config_version,
        created_at=tenant.created_at,
        updated_at=tenant.updated_at,
    )


def bump_config_version(tenant: Tenant) -> None:
    """Invalidate every cache keyed on the tenant's configuration (hook subsets, effective config)."""
    tenant.config_version = (tenant.config_version or 0) + 1


async def create_tenant(
    session: AsyncSession, services: AppServices, principal: Principal, data: TenantCreate
) -> list[Tenant]:
    parent: Tenant | None = None
    if data.parent is not None:
        parent = await tenant_by_slug(session, data.parent)
        parent_chain = await tenant_chain(session, parent) if parent else []
        domains = candidate_domains(t.slug for t in parent_chain) if parent else []
        if parent is None or not services.policy.reaches(principal.subject, domains):
            raise NotFoundException(f"parent: no tenant {data.parent!r}")
        if not services.policy.allows(principal.subject, domains, "children", "write"):
            raise PermissionDeniedException("only agency and platform admins create tenants under a parent")
    elif not services.policy.allows(principal.subject, [PLATFORM_DOMAIN], "tenants", "write"):
        raise PermissionDeniedException("only platform admins create top-level tenants; set 'parent'")
    if await tenant_by_slug(session, data.slug):
        raise ConflictError(f"slug: tenant {data.slug!r} already exists", field="slug")

    tenant = Tenant(
        slug=data.slug,
        name=data.name,
        parent_id=parent.id if parent else None,
        industry=data.industry,
        timezone=data.timezone,
        languages=list(data.languages),
        business=msgspec.to_builtins(data.business),
        branding=msgspec.to_builtins(data.branding),
        record_calls=data.record_calls,
        twilio_account_sid=data.twilio_account_sid,
        twilio_auth_token_encrypted=(
            services.secret_box.encrypt(data.twilio_auth_token) if data.twilio_auth_token else None
        ),
        ai_monthly_budget_usd=data.ai_monthly_budget_usd,
    )
    session.add(tenant)
    await session.flush()
    # A new tenant answers calls the moment it has a number: the built-in defaults come installed.
    for name in services.catalog.default_installed_names():
        session.add(PluginInstall(tenant_id=tenant.id, name=name, config={}))
    record_change(
        session,
        principal,
        "tenant.create",
        "tenant",
        tenant.slug,
        tenant_id=tenant.id,
        detail={"parent": data.parent},
    )
    await session.commit()
    return [tenant, *(await tenant_chain(session, parent) if parent else [])]


async def update_tenant(
    session: AsyncSession,
    services: AppServices,
    principal: Principal,
    chain: list[Tenant],
    data: TenantUpdate,
) -> list[Tenant]:
    tenant = chain[0]
    changed: list[str] = []
    for field in msgspec.structs.fields(data):
        value = getattr(data, field.name)
        if value is msgspec.UNSET:
            continue
        changed.append(field.name)
        if field.name == "twilio_auth_token":
            tenant.twilio_auth_token_encrypted = services.secret_box.encrypt(value) if value else None
        elif isinstance(value, msgspec.Struct):
            setattr(tenant, field.name, msgspec.to_builtins(value))
        else:
            setattr(tenant, field.name, value)
    if changed:
        bump_config_version(tenant)
        record_change(
            session,
            principal,
            "tenant.update",
            "tenant",
            tenant.slug,
            tenant_id=tenant.id,
            detail={"fields": changed},
        )
        await session.commit()
    return chain


async def delete_tenant(
    session: AsyncSession, services: AppServices, principal: Principal, tenant: Tenant
) -> None:
    children = await session.scalar(
        select(func.count()).select_from(Tenant).where(Tenant.parent_id == tenant.id)
    )
    if children:
        raise ConflictError(
            f"tenant {tenant.slug!r} has {children} child tenant(s); delete or move them first"
        )
    domains = [tenant.slug, agency_domain(tenant.slug)]
    await services.policy.revoke_domains(session, domains)
    record_change(session, principal, "tenant.delete", "tenant", tenant.slug, tenant_id=tenant.id)
    await session.delete(tenant)
    await session.commit()
    services.policy.apply_revoke_domains(domains)


async def visible_tenants(
    session: AsyncSession, services: AppServices, principal: Principal
) -> list[list[Tenant]]:
    """Every tenant the principal may read, each with its ancestor chain, oldest first."""
    tenants = list(await session.scalars(select(Tenant).order_by(Tenant.created_at, Tenant.id)))
    by_id = {tenant.id: tenant for tenant in tenants}
    visible = []
    for tenant in tenants:
        chain = [tenant]
        while chain[-1].parent_id in by_id and len(chain) < MAX_DEPTH:
            chain.append(by_id[chain[-1].parent_id])
        if services.policy.allows(
            principal.subject, candidate_domains(t.slug for t in chain), "tenant", "read"
        ):
            visible.append(chain)
    return visible

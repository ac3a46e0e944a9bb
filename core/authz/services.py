"""Granting access: API keys (shown once, hashed at rest) and members, each a casbin subject."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import ConflictError
from core.audit.services import record_change
from core.authz.keys import display_prefix, generate_api_key, hash_api_key
from core.authz.models import ApiKey
from core.authz.policy import PLATFORM_DOMAIN, AccessPolicy, agency_domain
from core.authz.principal import Principal, key_subject, member_subject
from core.authz.roles import AGENCY_ADMIN, PLATFORM_ADMIN, can_grant
from core.state import AppServices
from core.tenancy.deps import TenantScope
from core.tenancy.models import Member


def role_domain(role: str, slug: str) -> str:
    """Where a role granted on a tenant holds: agency admins hold over the tenant's whole subtree."""
    return agency_domain(slug) if role == AGENCY_ADMIN else slug


def check_can_grant(principal: Principal, role: str) -> None:
    if not can_grant(principal.role, role):
        raise PermissionDeniedException(f"role: the {principal.role} role cannot grant the {role} role")


async def _grant_and_commit(
    session: AsyncSession,
    services: AppServices,
    scope: TenantScope,
    subject: str,
    role: str,
    *,
    audit: tuple[str, str, str, dict[str, str]],
) -> None:
    """Grant the role in the tenant (or its subtree), audit it, commit, then update this process's policy."""
    domain = role_domain(role, scope.tenant.slug)
    await services.policy.grant(session, subject, role, domain)
    action, object_type, object_id, detail = audit
    record_change(
        session, scope.principal, action, object_type, object_id, tenant_id=scope.tenant_id, detail=detail
    )
    await session.commit()
    services.policy.apply_grant(subject, role, domain)


async def create_api_key(
    session: AsyncSession, services: AppServices, scope: TenantScope, name: str, role: str
) -> tuple[ApiKey, str]:
    check_can_grant(scope.principal, role)
    key = generate_api_key()
    row = ApiKey(
        tenant_id=scope.tenant_id,
        name=name,
        role=role,
        prefix=display_prefix(key),
        key_hash=hash_api_key(key),
        created_by=scope.principal.actor,
    )
    session.add(row)
    await session.flush()
    await _grant_and_commit(
        session,
        services,
        scope,
        key_subject(row.id),
        role,
        audit=("api_key.create", "api_key", row.id, {"name": name, "role": role}),
    )
    return row, key


async def create_platform_key(
    session: AsyncSession, policy: AccessPolicy, name: str, actor: str
) -> tuple[ApiKey, str]:
    """A platform-admin key (from the CLI: there is no API above the platform admin)."""
    key = generate_api_key()
    row = ApiKey(
        tenant_id=None,
        name=name,
        role=PLATFORM_ADMIN,
        prefix=display_prefix(key),
        key_hash=hash_api_key(key),
        created_by=actor,
    )
    session.add(row)
    await session.flush()
    await policy.grant(session, key_subject(row.id), PLATFORM_ADMIN, PLATFORM_DOMAIN)
    record_change(
        session,
        actor,
        "api_key.create",
        "api_key",
        row.id,
        tenant_id=None,
        detail={"name": name, "role": PLATFORM_ADMIN},
    )
    await session.commit()
    policy.apply_grant(key_subject(row.id), PLATFORM_ADMIN, PLATFORM_DOMAIN)
    return row, key


async def keys_of_tenant(session: AsyncSession, scope: TenantScope) -> list[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.tenant_id == scope.tenant_id).order_by(ApiKey.created_at, ApiKey.id)
    return list(await session.scalars(stmt))


async def _revoke_and_commit(
    session: AsyncSession,
    services: AppServices,
    scope: TenantScope,
    row: ApiKey | Member,
    subject: str,
    action: str,
    object_type: str,
) -> None:
    """Remove a key or member and every grant of its subject; this process's policy follows the commit."""
    check_can_grant(scope.principal, row.role)
    await services.policy.revoke_subject(session, subject)
    await session.delete(row)
    record_change(session, scope.principal, action, object_type, row.id, tenant_id=scope.tenant_id)
    await session.commit()
    services.policy.apply_revoke_subject(subject)


async def revoke_api_key(
    session: AsyncSession, services: AppServices, scope: TenantScope, key_id: str
) -> None:
    row = await session.scalar(select(ApiKey).where(ApiKey.tenant_id == scope.tenant_id, ApiKey.id == key_id))
    if row is None:
        raise NotFoundException(f"no API key {key_id!r}")
    await _revoke_and_commit(session, services, scope, row, key_subject(row.id), "api_key.revoke", "api_key")


async def add_member(
    session: AsyncSession, services: AppServices, scope: TenantScope, email: str, name: str, role: str
) -> Member:
    check_can_grant(scope.principal, role)
    email = email.lower()
    if await session.scalar(
        select(Member.id).where(Member.tenant_id == scope.tenant_id, Member.email == email)
    ):
        raise ConflictError(f"email: {email} is already a member", field="email")
    member = Member(tenant_id=scope.tenant_id, email=email, name=name, role=role)
    session.add(member)
    await session.flush()
    await _grant_and_commit(
        session,
        services,
        scope,
        member_subject(member.id),
        role,
        audit=("member.add", "member", member.id, {"email": email, "role": role}),
    )
    return member


async def members_of_tenant(session: AsyncSession, scope: TenantScope) -> list[Member]:
    stmt = select(Member).where(Member.tenant_id == scope.tenant_id).order_by(Member.created_at, Member.id)
    return list(await session.scalars(stmt))


async def remove_member(
    session: AsyncSession, services: AppServices, scope: TenantScope, member_id: str
) -> None:
    member = await session.scalar(
        select(Member).where(Member.tenant_id == scope.tenant_id, Member.id == member_id)
    )
    if member is None:
        raise NotFoundException(f"no member {member_id!r}")
    await _revoke_and_commit(
        session, services, scope, member, member_subject(member.id), "member.remove", "member"
    )

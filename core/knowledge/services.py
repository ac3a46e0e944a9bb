"""Adding, changing and removing what a tenant's receptionist knows."""

from __future__ import annotations

import msgspec
from litestar.exceptions import NotFoundException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.services import record_change
from core.db.paging import fetch_page
from core.knowledge.models import KnowledgeEntry
from core.knowledge.schemas import KnowledgeCreate, KnowledgeRead, KnowledgeUpdate
from core.tenancy.deps import TenantScope
from core.tenancy.models import Tenant


def to_read(entry: KnowledgeEntry) -> KnowledgeRead:
    return KnowledgeRead(
        id=entry.id,
        question=entry.question,
        answer=entry.answer,
        tags=list(entry.tags),
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )


async def entry_of_tenant(session: AsyncSession, scope: TenantScope, entry_id: str) -> KnowledgeEntry:
    entry = await session.scalar(
        select(KnowledgeEntry).where(
            KnowledgeEntry.tenant_id == scope.tenant_id, KnowledgeEntry.id == entry_id
        )
    )
    if entry is None:
        raise NotFoundException(f"no knowledge entry {entry_id!r}")
    return entry


async def bump_knowledge_version(session: AsyncSession, tenant_id: str) -> None:
    """Make the tenant's cached answers stale, in the transaction that changes its knowledge.

    The answer cache keys on this version, so old answers simply stop matching. Incremented by
    the database, so two changes committed at once still give two versions.
    """
    await session.execute(
        update(Tenant).where(Tenant.id == tenant_id).values(knowledge_version=Tenant.knowledge_version + 1)
    )


async def add_entry(session: AsyncSession, scope: TenantScope, data: KnowledgeCreate) -> KnowledgeEntry:
    entry = KnowledgeEntry(
        tenant_id=scope.tenant_id, question=data.question, answer=data.answer, tags=data.tags
    )
    session.add(entry)
    await session.flush()
    record_change(session, scope.principal, "knowledge.add", "knowledge", entry.id, tenant_id=scope.tenant_id)
    await bump_knowledge_version(session, scope.tenant_id)
    await session.commit()
    return entry


async def update_entry(
    session: AsyncSession, scope: TenantScope, entry_id: str, data: KnowledgeUpdate
) -> KnowledgeEntry:
    entry = await entry_of_tenant(session, scope, entry_id)
    changed = [f.name for f in msgspec.structs.fields(data) if getattr(data, f.name) is not msgspec.UNSET]
    for name in changed:
        setattr(entry, name, getattr(data, name))
    if changed:
        record_change(
            session,
            scope.principal,
            "knowledge.update",
            "knowledge",
            entry.id,
            tenant_id=scope.tenant_id,
            detail={"fields": changed},
        )
        await bump_knowledge_version(session, scope.tenant_id)
        await session.commit()
    return entry


async def remove_entry(session: AsyncSession, scope: TenantScope, entry_id: str) -> None:
    entry = await entry_of_tenant(session, scope, entry_id)
    await session.delete(entry)
    record_change(
        session, scope.principal, "knowledge.remove", "knowledge", entry_id, tenant_id=scope.tenant_id
    )
    await bump_knowledge_version(session, scope.tenant_id)
    await session.commit()


async def list_entries(
    session: AsyncSession, scope: TenantScope, *, limit: int, cursor: str | None
) -> tuple[list[KnowledgeEntry], str | None]:
    stmt = select(KnowledgeEntry).where(KnowledgeEntry.tenant_id == scope.tenant_id)
    return await fetch_page(session, stmt, KnowledgeEntry, limit=limit, cursor=cursor)

"""Admin API: the tenant's contacts (known callers skip screening; VIPs reach a person first)."""

from __future__ import annotations

import msgspec
from litestar import Controller, Router, delete, get, patch, post
from litestar.exceptions import NotFoundException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.api.errors import ConflictError
from core.audit.services import record_change
from core.contacts.models import Contact
from core.contacts.schemas import ContactCreate, ContactRead, ContactUpdate
from core.db.paging import DEFAULT_LIMIT, Page, tenant_page
from core.tenancy.deps import TenantScope


def to_read(contact: Contact) -> ContactRead:
    return ContactRead(
        id=contact.id,
        phone=contact.phone,
        name=contact.name,
        vip=contact.vip,
        known=contact.known,
        calls_count=contact.calls_count,
        last_call_at=contact.last_call_at,
        created_at=contact.created_at,
    )


async def contact_of_tenant(session: AsyncSession, scope: TenantScope, phone: str) -> Contact:
    contact = await session.scalar(
        select(Contact).where(Contact.tenant_id == scope.tenant_id, Contact.phone == phone)
    )
    if contact is None:
        raise NotFoundException(f"no contact {phone!r}")
    return contact


class ContactController(Controller):
    path = "/tenants/{slug:str}/contacts"
    tags = ["contacts"]

    @post("/", operation_id="addContact", opt=permission("contacts", "write"))
    async def add_contact(
        self, data: ContactCreate, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> ContactRead:
        """Add a caller the business knows (or mark a caller it has seen before as known)."""
        contact = await db_session.scalar(
            select(Contact).where(Contact.tenant_id == tenant_scope.tenant_id, Contact.phone == data.phone)
        )
        if contact is not None and contact.known:
            raise ConflictError(f"phone: {data.phone} is already a contact", field="phone")
        if contact is None:  # callers are counted on a contact row from their first call on
            contact = Contact(tenant_id=tenant_scope.tenant_id, phone=data.phone)
            db_session.add(contact)
        contact.name, contact.vip, contact.known = data.name, data.vip, data.known
        await db_session.flush()
        record_change(
            db_session,
            tenant_scope.principal,
            "contact.add",
            "contact",
            data.phone,
            tenant_id=tenant_scope.tenant_id,
            detail={"vip": data.vip, "known": data.known},
        )
        await db_session.commit()
        return to_read(contact)

    @get("/", operation_id="listContacts", opt=permission("contacts", "read"))
    async def list_contacts(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[ContactRead]:
        """Contacts and callers seen, oldest first, with how often they called."""
        return await tenant_page(
            db_session, Contact, tenant_scope.tenant_id, to_read, limit=limit, cursor=cursor
        )

    @patch("/{phone:str}", operation_id="updateContact", opt=permission("contacts", "write"))
    async def update_contact(
        self, phone: str, data: ContactUpdate, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> ContactRead:
        """Rename a contact, or change whether it is known or a VIP."""
        contact = await contact_of_tenant(db_session, tenant_scope, phone)
        changed = [f.name for f in msgspec.structs.fields(data) if getattr(data, f.name) is not msgspec.UNSET]
        for name in changed:
            setattr(contact, name, getattr(data, name))
        if changed:
            record_change(
                db_session,
                tenant_scope.principal,
                "contact.update",
                "contact",
                phone,
                tenant_id=tenant_scope.tenant_id,
                detail={"fields": changed},
            )
            await db_session.commit()
        return to_read(contact)

    @delete("/{phone:str}", operation_id="removeContact", opt=permission("contacts", "delete"))
    async def remove_contact(self, phone: str, tenant_scope: TenantScope, db_session: AsyncSession) -> None:
        """Forget a contact (the caller is screened like any other again)."""
        contact = await contact_of_tenant(db_session, tenant_scope, phone)
        await db_session.delete(contact)
        record_change(
            db_session,
            tenant_scope.principal,
            "contact.remove",
            "contact",
            phone,
            tenant_id=tenant_scope.tenant_id,
        )
        await db_session.commit()


contacts_router = Router(path="/api/v1", route_handlers=[ContactController])

"""The casbin enforcer, loaded from (and written through to) the ``casbin_rules`` table."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

import casbin
from casbin import persist
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.authz.models import CasbinRule
from core.authz.roles import permission_rules

MODEL_PATH = Path(__file__).with_name("model.conf")
PLATFORM_DOMAIN = "*"


def agency_domain(slug: str) -> str:
    return f"agency:{slug}"


def candidate_domains(tenant_chain: Iterable[str]) -> list[str]:
    """Domains whose grants reach a tenant: itself, its agency subtrees (itself included), the platform.

    ``tenant_chain`` is the tenant's slug followed by its ancestors' slugs.
    """
    chain = list(tenant_chain)
    return [chain[0], *(agency_domain(slug) for slug in chain), PLATFORM_DOMAIN]


class _RowsAdapter(persist.Adapter):
    """Feeds rows already read from the database to casbin; writes go through SQLAlchemy."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    def load_policy(self, model: object) -> None:
        for line in self._lines:
            persist.load_policy_line(line, model)

    def save_policy(self, model: object) -> bool:  # pragma: no cover - we never save whole policies
        raise NotImplementedError("policy is saved row by row through AccessPolicy")


def _line(rule: CasbinRule) -> str:
    values = [rule.v0, rule.v1, rule.v2, rule.v3, rule.v4, rule.v5]
    while values and values[-1] == "":
        values.pop()
    return ", ".join([rule.ptype, *values])


class AccessPolicy:
    """Decides every admin request. The database holds the policy; this process holds a copy."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        static_grants: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        self._session_factory = session_factory
        # Grants that come from configuration (the env admin key), not from the database.
        self._static_grants = list(static_grants)
        self._enforcer = casbin.Enforcer(str(MODEL_PATH), _RowsAdapter([]))
        self._enforcer.enable_auto_save(False)
        self._reload_lock = asyncio.Lock()

    async def load(self) -> None:
        """Sync the role permissions with the code, then (re)load every rule from the database."""
        async with self._session_factory() as session:
            # Role permissions are defined in code: bring the stored ones to exactly that set.
            wanted = {tuple(rule) for rule in permission_rules()}
            stored = list(await session.scalars(select(CasbinRule).where(CasbinRule.ptype == "p")))
            present = set()
            for rule in stored:
                key = (rule.v0, rule.v1, rule.v2)
                if key in wanted and key not in present:
                    present.add(key)
                else:  # no longer granted by the code, or a duplicate
                    await session.delete(rule)
            for sub, obj, act in sorted(wanted - present):
                session.add(CasbinRule(ptype="p", v0=sub, v1=obj, v2=act))
            if session.new or session.deleted:
                await session.commit()
            rows = list(await session.scalars(select(CasbinRule).order_by(CasbinRule.id)))
        enforcer = casbin.Enforcer(str(MODEL_PATH), _RowsAdapter([_line(r) for r in rows]))
        enforcer.enable_auto_save(False)
        for grant in self._static_grants:
            enforcer.add_grouping_policy(*grant)
        self._enforcer = enforcer

    async def reload_if_unknown(self, subject: str) -> None:
        """Another worker may have granted this subject a role since we loaded: look again."""
        if self.grants_of(subject):
            return
        async with self._reload_lock:
            if not self.grants_of(subject):
                await self.load()

    def grants_of(self, subject: str) -> list[tuple[str, str]]:
        """(role, domain) pairs granted to a subject."""
        return [(rule[1], rule[2]) for rule in self._enforcer.get_filtered_grouping_policy(0, subject)]

    def reaches(self, subject: str, domains: Iterable[str]) -> bool:
        """True when the subject holds any role in any of the domains (it may see the tenant)."""
        wanted = set(domains)
        return any(domain in wanted for _role, domain in self.grants_of(subject))

    def allows(self, subject: str, domains: Iterable[str], obj: str, act: str) -> bool:
        return any(self._enforcer.enforce(subject, domain, obj, act) for domain in domains)

    async def grant(self, session: AsyncSession, subject: str, role: str, domain: str) -> None:
        """Add a role grant in the caller's transaction; call ``apply_grant`` after commit."""
        session.add(CasbinRule(ptype="g", v0=subject, v1=role, v2=domain))

    def apply_grant(self, subject: str, role: str, domain: str) -> None:
        self._enforcer.add_grouping_policy(subject, role, domain)

    async def revoke_subject(self, session: AsyncSession, subject: str) -> None:
        await session.execute(delete(CasbinRule).where(CasbinRule.ptype == "g", CasbinRule.v0 == subject))

    def apply_revoke_subject(self, subject: str) -> None:
        self._enforcer.remove_filtered_grouping_policy(0, subject)

    async def revoke_domains(self, session: AsyncSession, domains: Iterable[str]) -> None:
        await session.execute(
            delete(CasbinRule).where(CasbinRule.ptype == "g", CasbinRule.v2.in_(list(domains)))
        )

    def apply_revoke_domains(self, domains: Iterable[str]) -> None:
        for domain in domains:
            self._enforcer.remove_filtered_grouping_policy(2, domain)

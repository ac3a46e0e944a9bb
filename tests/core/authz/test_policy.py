"""The casbin policy of record lives in the database and follows the code's role permissions."""

from __future__ import annotations

from sqlalchemy import select

from core.authz.models import CasbinRule
from core.authz.policy import AccessPolicy
from core.authz.roles import permission_rules
from core.db.engine import create_engine, create_session_factory


async def test_load_brings_stored_permissions_to_the_codes_set(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        factory = create_session_factory(engine)
        async with factory() as session:
            # a permission the code no longer grants, and a duplicate of one it does
            session.add(CasbinRule(ptype="p", v0="viewer", v1="audit", v2="read"))
            session.add(CasbinRule(ptype="p", v0="agent", v1="calls", v2="read"))
            session.add(CasbinRule(ptype="p", v0="agent", v1="calls", v2="read"))
            session.add(CasbinRule(ptype="g", v0="key:1", v1="viewer", v2="acme"))
            await session.commit()
        policy = AccessPolicy(factory)
        await policy.load()
        async with factory() as session:
            stored = [
                (r.v0, r.v1, r.v2)
                for r in await session.scalars(select(CasbinRule).where(CasbinRule.ptype == "p"))
            ]
            grants = [
                (r.v0, r.v1, r.v2)
                for r in await session.scalars(select(CasbinRule).where(CasbinRule.ptype == "g"))
            ]
    finally:
        await engine.dispose()
    assert sorted(stored) == sorted(tuple(rule) for rule in permission_rules())
    assert grants == [("key:1", "viewer", "acme")]  # role grants are data, never touched by the sync
    assert not policy.allows("key:1", ["acme"], "audit", "read")
    assert policy.allows("key:1", ["acme"], "knowledge", "read")
    assert not policy.allows("key:1", ["other"], "knowledge", "read")

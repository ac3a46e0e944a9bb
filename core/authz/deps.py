"""Authentication of admin requests: ``Authorization: Bearer <api key>`` to a Principal."""

from __future__ import annotations

from datetime import timedelta

from litestar import Request
from litestar.exceptions import NotAuthorizedException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.authz.keys import hash_api_key, keys_match
from core.authz.models import ApiKey
from core.authz.principal import ENV_ADMIN_SUBJECT, Principal, key_subject
from core.authz.roles import PLATFORM_ADMIN
from core.db.base import utcnow
from core.db.deps import services_of

# Touch last_used_at at most this often, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=10)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("send an API key as 'Authorization: Bearer <key>'")
    return token.strip()


async def provide_principal(request: Request, db_session: AsyncSession) -> Principal:
    services = services_of(request)
    token = bearer_token(request)
    env_key = services.settings.admin_api_key
    if env_key and keys_match(token, env_key):
        return Principal(subject=ENV_ADMIN_SUBJECT, actor="platform-admin-key", role=PLATFORM_ADMIN)
    api_key = await db_session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_api_key(token)))
    if api_key is None:
        raise NotAuthorizedException("unknown or revoked API key")
    now = utcnow()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        api_key.last_used_at = now
        await db_session.commit()
    subject = key_subject(api_key.id)
    await services.policy.reload_if_unknown(subject)
    return Principal(
        subject=subject,
        actor=f"key:{api_key.name}({api_key.prefix})",
        role=api_key.role,
        tenant_id=api_key.tenant_id,
        key_id=api_key.id,
    )

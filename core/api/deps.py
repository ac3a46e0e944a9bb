"""Dependencies every admin route can ask for by name."""

from __future__ import annotations

from litestar.di import Provide

from core.authz.deps import provide_principal
from core.db.deps import provide_db_session, services_of
from core.tenancy.deps import provide_tenant_scope

# Routes that are not about one tenant declare this instead of a permission.
AUTHENTICATED = {"access": "authenticated"}

API_DEPENDENCIES = {
    "db_session": Provide(provide_db_session),
    "services": Provide(services_of, sync_to_thread=False),
    "principal": Provide(provide_principal),
    "tenant_scope": Provide(provide_tenant_scope),
}


def permission(obj: str, act: str) -> dict[str, tuple[str, str]]:
    return {"permission": (obj, act)}

"""Admin API: the platform's plugins and each tenant's installs."""

from __future__ import annotations

from litestar import Controller, Router, delete, get, put
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import AUTHENTICATED, permission
from core.authz.policy import PLATFORM_DOMAIN
from core.authz.principal import Principal
from core.db.paging import Page
from core.plugins import services as plugin_services
from core.plugins.catalog import PluginInfo
from core.plugins.config import redact
from core.plugins.models import PluginInstall
from core.plugins.schemas import PluginConfigBody, PluginInstallRead, PluginRead
from core.state import AppServices
from core.tenancy.deps import TenantScope


def _plugin_read(info: PluginInfo, defaults: dict) -> PluginRead:
    return PluginRead(
        name=info.name,
        description=info.description,
        default_installed=info.default_installed,
        config_schema=info.config_schema,
        secret_fields=list(info.secret_fields),
        platform_defaults=redact(info, defaults),
    )


def _install_read(services: AppServices, row: PluginInstall) -> PluginInstallRead:
    info = plugin_services.plugin_info(services, row.name)
    return PluginInstallRead(
        name=row.name,
        description=info.description,
        config=redact(info, row.config),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class PlatformPluginController(Controller):
    path = "/plugins"
    tags = ["plugins"]

    @get("/", operation_id="listPlugins", opt=AUTHENTICATED)
    async def list_plugins(
        self, db_session: AsyncSession, services: AppServices, principal: Principal
    ) -> Page[PluginRead]:
        """Plugins this deployment has, with the JSON schema of each one's config."""
        items = [
            _plugin_read(info, await plugin_services.platform_layer(db_session, info.name))
            for info in services.catalog.all()
        ]
        return Page(items=items)

    @put("/{name:str}/defaults", operation_id="setPluginDefaults", opt=AUTHENTICATED)
    async def set_defaults(
        self,
        name: str,
        data: PluginConfigBody,
        db_session: AsyncSession,
        services: AppServices,
        principal: Principal,
    ) -> PluginRead:
        """Set the platform layer of a plugin's config, under every tenant's own (platform admins)."""
        if not services.policy.allows(principal.subject, [PLATFORM_DOMAIN], "plugins", "write"):
            raise PermissionDeniedException("only platform admins set platform plugin defaults")
        row = await plugin_services.set_platform_defaults(db_session, services, principal, name, data.config)
        return _plugin_read(plugin_services.plugin_info(services, name), row.config)


class TenantPluginController(Controller):
    path = "/tenants/{slug:str}/plugins"
    tags = ["plugins"]

    @get("/", operation_id="listTenantPlugins", opt=permission("plugins", "read"))
    async def list_installs(
        self, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> Page[PluginInstallRead]:
        """Plugins installed for this tenant, with its config layer (secrets redacted)."""
        installs = await plugin_services.installs_of_tenant(db_session, tenant_scope.tenant_id)
        return Page(items=[_install_read(services, installs[name]) for name in sorted(installs)])

    @get("/{name:str}", operation_id="getTenantPlugin", opt=permission("plugins", "read"))
    async def get_install(
        self, name: str, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> PluginInstallRead:
        """One installed plugin and its config layer."""
        installs = await plugin_services.installs_of_tenant(db_session, tenant_scope.tenant_id)
        if name not in installs:
            plugin_services.plugin_info(services, name)  # 404 naming the known plugins if it does not exist
            raise NotFoundException(
                f"plugin {name!r} is not installed for tenant {tenant_scope.tenant.slug!r}"
            )
        return _install_read(services, installs[name])

    @put(
        "/{name:str}", operation_id="installTenantPlugin", opt=permission("plugins", "write"), status_code=200
    )
    async def install(
        self,
        name: str,
        data: PluginConfigBody,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> PluginInstallRead:
        """Install or reconfigure a plugin for this tenant; 422 naming the field if the config is invalid."""
        row = await plugin_services.install_plugin(
            db_session, services, tenant_scope.principal, tenant_scope.tenant, name, data.config
        )
        return _install_read(services, row)

    @delete("/{name:str}", operation_id="uninstallTenantPlugin", opt=permission("plugins", "delete"))
    async def uninstall(
        self, name: str, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> None:
        """Uninstall a plugin from this tenant."""
        await plugin_services.uninstall_plugin(
            db_session, services, tenant_scope.principal, tenant_scope.tenant, name
        )


plugins_router = Router(path="/api/v1", route_handlers=[PlatformPluginController, TenantPluginController])

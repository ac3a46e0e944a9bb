"""Installing plugins per tenant, with config validated (422 naming the field) before it is stored."""

from __future__ import annotations

import os
from typing import Any

from litestar.exceptions import NotFoundException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.errors import ConflictError, UnprocessableError
from core.audit.services import record_change
from core.authz.principal import Principal
from core.plugins.catalog import PluginInfo, UnknownPluginError
from core.plugins.config import REDACTED, PluginConfigError, prepare_for_storage, validate_config
from core.plugins.models import PlatformPluginDefault, PluginInstall
from core.state import AppServices
from core.tenancy.models import PhoneNumber, Tenant
from core.tenancy.services import bump_config_version


def plugin_info(services: AppServices, name: str) -> PluginInfo:
    try:
        return services.catalog.get(name)
    except UnknownPluginError as exc:
        raise NotFoundException(str(exc)) from None


async def platform_layer(session: AsyncSession, name: str) -> dict[str, Any]:
    row = await session.get(PlatformPluginDefault, name)
    return dict(row.config) if row else {}


def _validate(
    services: AppServices, info: PluginInfo, layers: list[dict[str, Any]], prefix: str = ""
) -> None:
    try:
        validate_config(info, layers, environ=os.environ, box=services.secret_box)
    except PluginConfigError as exc:
        field = prefix + exc.field.removeprefix("config.")
        raise UnprocessableError(f"{field}: {exc.message}", field=field) from None


def _keep_unchanged_secrets(info: PluginInfo, new: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """A config read back (secrets redacted) and sent again keeps the secrets it had."""
    merged = dict(new)
    for field in info.secret_fields:
        if merged.get(field) == REDACTED and field in stored:
            merged[field] = stored[field]
    return merged


async def installs_of_tenant(session: AsyncSession, tenant_id: str) -> dict[str, PluginInstall]:
    rows = await session.scalars(select(PluginInstall).where(PluginInstall.tenant_id == tenant_id))
    return {row.name: row for row in rows}


async def install_plugin(
    session: AsyncSession,
    services: AppServices,
    principal: Principal,
    tenant: Tenant,
    name: str,
    config: dict[str, Any],
) -> PluginInstall:
    """Install or reconfigure; the tenant layer is replaced whole (PUT semantics)."""
    info = plugin_info(services, name)
    installs = await installs_of_tenant(session, tenant.id)
    existing = installs.get(name)
    config = _keep_unchanged_secrets(info, config, existing.config if existing else {})
    platform = await platform_layer(session, name)
    _validate(services, info, [platform, config], prefix="config.")
    # Number overlays sit on top of this layer: they must still validate with it.
    numbers = await session.scalars(select(PhoneNumber).where(PhoneNumber.tenant_id == tenant.id))
    for number in numbers:
        if name in number.plugin_config:
            _validate(
                services,
                info,
                [platform, config, number.plugin_config[name]],
                prefix=f"numbers[{number.number}].plugins.{name}.",
            )
    stored = prepare_for_storage(info, config, services.secret_box)
    if existing is None:
        existing = PluginInstall(tenant_id=tenant.id, name=name, config=stored)
        session.add(existing)
        action = "plugin.install"
    else:
        existing.config = stored
        action = "plugin.configure"
    bump_config_version(tenant)
    record_change(
        session, principal, action, "plugin", name, tenant_id=tenant.id, detail={"fields": sorted(config)}
    )
    await session.commit()
    return existing


async def uninstall_plugin(
    session: AsyncSession, services: AppServices, principal: Principal, tenant: Tenant, name: str
) -> None:
    installs = await installs_of_tenant(session, tenant.id)
    if name not in installs:
        raise NotFoundException(f"plugin {name!r} is not installed for tenant {tenant.slug!r}")
    numbers = await session.scalars(select(PhoneNumber).where(PhoneNumber.tenant_id == tenant.id))
    overlaid = sorted(number.number for number in numbers if name in number.plugin_config)
    if overlaid:
        raise ConflictError(
            f"numbers {', '.join(overlaid)} overlay plugin {name!r}; remove those overlays first"
        )
    await session.delete(installs[name])
    bump_config_version(tenant)
    record_change(session, principal, "plugin.uninstall", "plugin", name, tenant_id=tenant.id)
    await session.commit()


async def check_number_overlays(
    session: AsyncSession, services: AppServices, tenant_id: str, overlays: dict[str, dict[str, Any]]
) -> None:
    """A number's overlays name installed plugins and validate over the tenant's layers."""
    await check_overlays(session, services, tenant_id, overlays, prefix="plugins.")


async def check_overlays(
    session: AsyncSession,
    services: AppServices,
    tenant_id: str,
    overlays: dict[str, dict[str, Any]],
    *,
    prefix: str,
) -> None:
    """Overlays (a number's, an experiment variant's) name installed plugins and validate over the
    tenant's layers; a 422 names the field under ``prefix`` (``plugins.greeting.template``)."""
    if not overlays:
        return
    installs = await installs_of_tenant(session, tenant_id)
    for name, overlay in overlays.items():
        field = f"{prefix}{name}"
        try:
            info = services.catalog.get(name)
        except UnknownPluginError as exc:
            raise UnprocessableError(f"{field}: {exc}", field=field) from None
        if name not in installs:
            raise UnprocessableError(
                f"{field}: plugin {name!r} is not installed for this tenant", field=field
            )
        platform = await platform_layer(session, name)
        _validate(services, info, [platform, installs[name].config, overlay], prefix=f"{field}.")


async def set_platform_defaults(
    session: AsyncSession, services: AppServices, principal: Principal, name: str, config: dict[str, Any]
) -> PlatformPluginDefault:
    info = plugin_info(services, name)
    row = await session.get(PlatformPluginDefault, name)
    config = _keep_unchanged_secrets(info, config, row.config if row else {})
    _validate(services, info, [config], prefix="config.")
    stored = prepare_for_storage(info, config, services.secret_box)
    if row is None:
        row = PlatformPluginDefault(name=name, config=stored)
        session.add(row)
    else:
        row.config = stored
    # Every tenant's effective config may change: bump them all so caches refresh.
    for tenant in await session.scalars(select(Tenant)):
        bump_config_version(tenant)
    record_change(session, principal, "plugin.platform_defaults", "plugin", name, tenant_id=None)
    await session.commit()
    return row

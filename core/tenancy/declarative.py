"""``frontdesk tenants apply DIR``: tenants from TOML files, created or updated idempotently.

A file holds the fields of ``POST /api/v1/tenants`` plus ``numbers``, ``plugins`` and ``knowledge``.
What a file names is brought to what it says; what it does not name is left alone: a tenant field
the file leaves out keeps its value, and removing a number, plugin or knowledge entry from a file
does not delete it. Every file is parsed and checked before anything is
written, and an error names the file and the field.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.authz.policy import candidate_domains
from core.authz.principal import SYSTEM_PRINCIPAL
from core.knowledge import services as knowledge_services
from core.knowledge.models import KnowledgeEntry
from core.knowledge.schemas import KnowledgeCreate, KnowledgeUpdate
from core.plugins import services as plugin_services
from core.plugins.catalog import UnknownPluginError
from core.plugins.config import PluginConfigError, validate_config
from core.state import AppServices
from core.tenancy import numbers as number_services
from core.tenancy import services as tenant_services
from core.tenancy.apply_lock import applying_lock
from core.tenancy.deps import TenantScope
from core.tenancy.models import PhoneNumber, Tenant
from core.tenancy.schemas import PhoneNumberCreate, PhoneNumberUpdate, TenantCreate, TenantUpdate


class DeclarativeError(ValueError):
    """A tenant file that cannot be applied; the message starts with the file and the field."""


class TenantFile(TenantCreate, kw_only=True, forbid_unknown_fields=True):
    numbers: list[PhoneNumberCreate] = []
    plugins: dict[str, dict[str, Any]] = {}
    knowledge: list[KnowledgeCreate] = []


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged)}


def tenant_files(directory: str | Path) -> list[Path]:
    root = Path(directory)
    if not root.is_dir():
        raise DeclarativeError(f"{root}: not a directory")
    return sorted([*root.glob("*.toml"), *root.glob("*/tenant.toml")])


def parse_tenant_file(path: Path) -> TenantFile:
    try:
        return msgspec.toml.decode(path.read_bytes(), type=TenantFile)
    except msgspec.ValidationError as exc:
        raise DeclarativeError(f"{path}: {_field_message(exc)}") from None
    except msgspec.DecodeError as exc:
        raise DeclarativeError(f"{path}: not valid TOML: {exc}") from None


def _field_message(exc: msgspec.ValidationError) -> str:
    # msgspec says "… - at `$.numbers[0].number`"; lead with the field, as the API does.
    message = str(exc)
    if " - at `$." in message:
        text, _, path = message.rpartition(" - at `$.")
        return f"{path.rstrip('`')}: {text}"
    return message


def _check_file(services: AppServices, path: Path, spec: TenantFile, slugs: set[str]) -> None:
    """Everything that can fail before writing: parent, plugin names and configs."""
    if spec.parent is not None and spec.parent not in slugs:
        raise DeclarativeError(f"{path}: parent: no tenant {spec.parent!r} in the database or the directory")
    for name, config in spec.plugins.items():
        try:
            info = services.catalog.get(name)
            validate_config(info, [config], environ=os.environ, box=services.secret_box)
        except UnknownPluginError as exc:
            raise DeclarativeError(f"{path}: plugins.{name}: {exc}") from None
        except PluginConfigError as exc:
            raise DeclarativeError(
                f"{path}: plugins.{name}.{exc.field.removeprefix('config.')}: {exc.message}"
            ) from None
    seen: set[str] = set()
    for index, number in enumerate(spec.numbers):
        if number.number in seen:
            raise DeclarativeError(f"{path}: numbers[{index}].number: {number.number} is listed twice")
        seen.add(number.number)


def _check_number_owners(files: list[tuple[Path, TenantFile]], owners: dict[str, str]) -> None:
    """A number belongs to one tenant: refuse one another tenant holds, or that two files list."""
    claimed: dict[str, tuple[str, Path]] = {}
    for path, spec in files:
        for index, number in enumerate(spec.numbers):
            field = f"{path}: numbers[{index}].number: {number.number}"
            owner = owners.get(number.number, spec.slug)
            if owner != spec.slug:
                raise DeclarativeError(f"{field} already belongs to tenant {owner!r}")
            other_slug, other_path = claimed.setdefault(number.number, (spec.slug, path))
            if other_slug != spec.slug:
                raise DeclarativeError(f"{field} is also listed in {other_path}")


async def apply_tenants_dir(services: AppServices, directory: str | Path) -> ApplyReport:
    # Workers started together (`serve --workers N`) each apply FRONTDESK_TENANTS_DIR: one at a time,
    # reads included, so a worker that waited finds the tenants the first one created.
    async with applying_lock(services):
        return await _apply_tenants_dir(services, directory)


async def _apply_tenants_dir(services: AppServices, directory: str | Path) -> ApplyReport:
    files = [(path, parse_tenant_file(path)) for path in tenant_files(directory)]
    async with services.session_factory() as session:
        existing = set(await session.scalars(select(Tenant.slug)))
        held = await session.execute(select(PhoneNumber.number, Tenant.slug).join(Tenant))
        owners = dict(held.all())
    declared: dict[str, Path] = {}
    for path, spec in files:
        if spec.slug in declared:
            raise DeclarativeError(f"{path}: slug: {spec.slug!r} is also declared in {declared[spec.slug]}")
        declared[spec.slug] = path
    for path, spec in files:
        _check_file(services, path, spec, existing | set(declared))
    _check_number_owners(files, owners)
    report = ApplyReport()
    # Parents first, so an agency exists before the tenants it owns.
    by_slug = {spec.slug: spec for _path, spec in files}
    for path, spec in sorted(files, key=lambda item: _depth(item[1], by_slug)):
        # Fields a file leaves out keep the values set through the API.
        named = set(tomllib.loads(path.read_text()))
        async with services.session_factory() as session:
            try:
                await _apply_one(session, services, spec, named, report)
            except msgspec.ValidationError as exc:
                raise DeclarativeError(f"{path}: {_field_message(exc)}") from None
            except Exception as exc:
                detail = getattr(exc, "detail", None) or str(exc)
                raise DeclarativeError(f"{path}: {detail}") from exc
    return report


def _depth(spec: TenantFile, by_slug: dict[str, TenantFile]) -> int:
    depth, parent = 0, spec.parent
    while parent in by_slug and depth < tenant_services.MAX_DEPTH:
        depth, parent = depth + 1, by_slug[parent].parent
    return depth


async def _apply_one(
    session: AsyncSession, services: AppServices, spec: TenantFile, named: set[str], report: ApplyReport
) -> None:
    principal = SYSTEM_PRINCIPAL
    tenant = await tenant_services.tenant_by_slug(session, spec.slug)
    changes: list[str] = []
    if tenant is None:
        chain = await tenant_services.create_tenant(session, services, principal, _tenant_create(spec))
        report.created.append(spec.slug)
    else:
        chain = await tenant_services.tenant_chain(session, tenant)
        update = _tenant_update(spec, named, chain, services)
        if update is not None:
            await tenant_services.update_tenant(session, services, principal, chain, update)
            changes.append("tenant")
    scope = TenantScope(
        tenant=chain[0], chain=chain, principal=principal, domains=candidate_domains(t.slug for t in chain)
    )
    changes += await _apply_plugins(session, services, scope, spec)
    changes += await _apply_numbers(session, services, scope, spec)
    changes += await _apply_knowledge(session, scope, spec)
    if spec.slug not in report.created:
        (report.updated if changes else report.unchanged).append(spec.slug)
    report.changes += [f"{spec.slug}: {change}" for change in changes]


def _tenant_create(spec: TenantFile) -> TenantCreate:
    fields = {f.name: getattr(spec, f.name) for f in msgspec.structs.fields(TenantCreate)}
    return TenantCreate(**fields)


def _tenant_update(
    spec: TenantFile, named: set[str], chain: list[Tenant], services: AppServices
) -> TenantUpdate | None:
    """The changes a file asks for, among the fields it names; None when it asks for none."""
    tenant = chain[0]
    current_parent = chain[1].slug if len(chain) > 1 else None
    if "parent" in named and spec.parent != current_parent:
        raise DeclarativeError(
            f"parent: is {current_parent!r}; a tenant's parent is fixed once it is created"
        )
    wanted = {
        "name": spec.name,
        "timezone": spec.timezone,
        "languages": list(spec.languages),
        "industry": spec.industry,
        "business": _as_stored(spec.business),
        "branding": _as_stored(spec.branding),
        "record_calls": spec.record_calls,
        "twilio_account_sid": spec.twilio_account_sid,
        "ai_monthly_budget_usd": spec.ai_monthly_budget_usd,
    }
    changed = {key: value for key, value in wanted.items() if key in named and getattr(tenant, key) != value}
    stored_token = (
        services.secret_box.decrypt(tenant.twilio_auth_token_encrypted)
        if tenant.twilio_auth_token_encrypted
        else None
    )
    if "twilio_auth_token" in named and spec.twilio_auth_token != stored_token:
        changed["twilio_auth_token"] = spec.twilio_auth_token
    if not changed:
        return None
    return msgspec.convert(changed, TenantUpdate)


def _as_stored(value: msgspec.Struct) -> Any:
    """A struct as its JSON column reads back (hours' tuples become lists), to compare with a row."""
    return msgspec.json.decode(msgspec.json.encode(value))


def _plain(config: dict[str, Any], services: AppServices) -> dict[str, Any]:
    """A stored config with its encrypted secrets decrypted, to compare with a file's."""
    return {
        key: services.secret_box.decrypt(value["$encrypted"])
        if isinstance(value, dict) and set(value) == {"$encrypted"}
        else value
        for key, value in config.items()
    }


async def _apply_plugins(
    session: AsyncSession, services: AppServices, scope: TenantScope, spec: TenantFile
) -> list[str]:
    installs = await plugin_services.installs_of_tenant(session, scope.tenant_id)
    changes = []
    for name, config in spec.plugins.items():
        if name in installs and _plain(installs[name].config, services) == config:
            continue
        await plugin_services.install_plugin(session, services, scope.principal, scope.tenant, name, config)
        changes.append(f"plugin {name}")
    return changes


async def _apply_numbers(
    session: AsyncSession, services: AppServices, scope: TenantScope, spec: TenantFile
) -> list[str]:
    changes = []
    for wanted in spec.numbers:
        row = await session.scalar(select(PhoneNumber).where(PhoneNumber.number == wanted.number))
        if row is None:
            await number_services.add_number(session, services, scope, wanted)
            changes.append(f"number {wanted.number} added")
            continue
        if row.tenant_id != scope.tenant_id:
            raise DeclarativeError(f"numbers: {wanted.number} already belongs to another tenant")
        if (row.label, row.twilio_account_sid, row.plugin_config, row.record_calls) != (
            wanted.label,
            wanted.twilio_account_sid,
            wanted.plugins,
            wanted.record_calls,
        ):
            update = PhoneNumberUpdate(
                label=wanted.label,
                twilio_account_sid=wanted.twilio_account_sid,
                plugins=wanted.plugins,
                record_calls=wanted.record_calls,
            )
            await number_services.update_number(session, services, scope, wanted.number, update)
            changes.append(f"number {wanted.number} updated")
    return changes


async def _apply_knowledge(session: AsyncSession, scope: TenantScope, spec: TenantFile) -> list[str]:
    """Entries are matched by their question: a changed answer or tags updates that entry."""
    stored = {
        entry.question: entry
        for entry in await session.scalars(
            select(KnowledgeEntry).where(KnowledgeEntry.tenant_id == scope.tenant_id)
        )
    }
    changes = []
    for wanted in spec.knowledge:
        entry = stored.get(wanted.question)
        if entry is None:
            await knowledge_services.add_entry(session, scope, wanted)
            changes.append(f"knowledge added: {wanted.question[:40]}")
        elif (entry.answer, list(entry.tags)) != (wanted.answer, list(wanted.tags)):
            await knowledge_services.update_entry(
                session, scope, entry.id, KnowledgeUpdate(answer=wanted.answer, tags=wanted.tags)
            )
            changes.append(f"knowledge updated: {wanted.question[:40]}")
    return changes

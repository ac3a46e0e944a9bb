"""The ``frontdesk`` command: serve, worker, db, tenants, keys, plugins, call."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from core.ops.logging import configure_logging
from core.runtime import DatabaseNotMigratedError
from core.settings import Settings, SettingsError, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "database_url", None):
        overrides["database_url"] = args.database_url
    return load_settings(**overrides)


def cmd_serve(args: argparse.Namespace) -> int:
    from core.ops.server import serve

    # The factory reads FRONTDESK_* itself (each worker process builds its own app).
    if args.host:
        os.environ["FRONTDESK_HOST"] = args.host
    if args.port:
        os.environ["FRONTDESK_PORT"] = str(args.port)
    if args.database_url:
        os.environ["FRONTDESK_DATABASE_URL"] = args.database_url
    settings = load_settings()
    serve(
        "core.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=args.workers,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_level=settings.log_level.lower(),
    )
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from core.db.migrate import current_revision, downgrade_database, upgrade_database

    settings = _settings(args)
    if args.db_command == "upgrade":
        asyncio.run(upgrade_database(settings.database_url, args.revision))
    elif args.db_command == "downgrade":
        asyncio.run(downgrade_database(settings.database_url, args.revision))
    print(f"database at revision {asyncio.run(current_revision(settings.database_url)) or 'base'}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from core.runtime import open_services
    from core.webhooks.runner import run_worker

    async def run() -> int:
        async with open_services(_settings(args)) as services:
            made = await run_worker(services, concurrency=args.concurrency, once=args.once)
        if args.once:
            print(f"webhooks: {made} attempt(s) made")
        return 0

    return asyncio.run(run())


def cmd_webhooks_listen(args: argparse.Namespace) -> int:
    from core.webhooks.listener import listen

    listen(args.host, args.port, args.secret)
    return 0


def cmd_tenants_apply(args: argparse.Namespace) -> int:
    from core.runtime import open_services
    from core.tenancy.declarative import DeclarativeError, apply_tenants_dir

    async def run() -> int:
        async with open_services(_settings(args)) as services:
            try:
                report = await apply_tenants_dir(services, args.directory)
            except DeclarativeError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
        for line in report.changes:
            print(f"  {line}")
        counts = report.counts()
        created, updated, unchanged = counts["created"], counts["updated"], counts["unchanged"]
        print(f"tenants: {created} created, {updated} updated, {unchanged} unchanged")
        return 0

    return asyncio.run(run())


def cmd_tenants_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from core.runtime import open_services
    from core.tenancy.models import PhoneNumber, Tenant

    async def run() -> int:
        async with open_services(_settings(args)) as services, services.session_factory() as session:
            tenants = list(await session.scalars(select(Tenant).order_by(Tenant.slug)))
            numbers = list(await session.scalars(select(PhoneNumber).order_by(PhoneNumber.number)))
        for tenant in tenants:
            owned = ", ".join(n.number for n in numbers if n.tenant_id == tenant.id) or "no numbers"
            print(f"{tenant.slug:<28} {tenant.name:<32} {owned}")
        return 0

    return asyncio.run(run())


def cmd_keys_create(args: argparse.Namespace) -> int:
    from core.authz import services as access_services
    from core.authz.policy import candidate_domains
    from core.authz.principal import SYSTEM_PRINCIPAL
    from core.runtime import open_services
    from core.tenancy.deps import TenantScope
    from core.tenancy.services import tenant_by_slug, tenant_chain

    async def run() -> int:
        async with open_services(_settings(args)) as services, services.session_factory() as session:
            if args.platform:
                row, key = await access_services.create_platform_key(
                    session, services.policy, args.name, "cli"
                )
            else:
                tenant = await tenant_by_slug(session, args.tenant)
                if tenant is None:
                    print(f"error: --tenant: no tenant {args.tenant!r}", file=sys.stderr)
                    return 1
                chain = await tenant_chain(session, tenant)
                scope = TenantScope(
                    tenant=tenant,
                    chain=chain,
                    principal=SYSTEM_PRINCIPAL,
                    domains=candidate_domains(t.slug for t in chain),
                )
                row, key = await access_services.create_api_key(
                    session, services, scope, args.name, args.role
                )
        print(f"created {row.role} key {row.name!r} (id {row.id})")
        print(key)
        return 0

    return asyncio.run(run())


def cmd_call(args: argparse.Namespace) -> int:
    import httpx
    from sqlalchemy import select

    from core.calls.services import call_by_sid
    from core.runtime import open_services
    from core.telephony.caller_cli import auth_token, place_call, read_line, script_lines
    from core.tenancy.models import PhoneNumber
    from core.tenancy.services import tenant_by_slug

    settings = _settings(args)
    token = auth_token(args.auth_token, settings.twilio_auth_token)
    if not token:
        print(
            "error: no Twilio auth token: pass --auth-token or set FRONTDESK_TWILIO_AUTH_TOKEN",
            file=sys.stderr,
        )
        return 2
    base_url = (args.url or settings.effective_public_url).rstrip("/")

    async def run() -> int:
        async with open_services(settings) as services, services.session_factory() as db:
            tenant = await tenant_by_slug(db, args.tenant)
            if tenant is None:
                print(f"error: no tenant {args.tenant!r}", file=sys.stderr)
                return 1
            numbers = [
                n.number
                for n in await db.scalars(select(PhoneNumber).where(PhoneNumber.tenant_id == tenant.id))
            ]
            called = args.to or (sorted(numbers)[0] if numbers else None)
            if called is None:
                print(f"error: tenant {args.tenant!r} has no phone number; pass --to", file=sys.stderr)
                return 1
            async with httpx.AsyncClient(base_url=base_url, timeout=20) as http:
                lines = script_lines(args.script, read_line)
                call = await place_call(
                    http,
                    base_url,
                    token,
                    args.caller,
                    called,
                    lines,
                    stir_verstat=args.stir,
                    dial_result=args.dial_result,
                )
            db.expire_all()
            row = await call_by_sid(db, call.call_sid)
            if row is not None:
                print(f"outcome: {row.outcome}  ({row.summary})")
        return 0

    return asyncio.run(run())


def cmd_plugins_list(args: argparse.Namespace) -> int:
    from core.plugins.catalog import PluginCatalog
    from core.plugins.manager import build_plugin_manager

    settings = _settings(args)
    catalog = PluginCatalog.from_manager(build_plugin_manager(disabled=settings.disabled_plugins))
    for info in catalog.all():
        default = "default" if info.default_installed else "       "
        print(f"{info.name:<24} {default}  {info.description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frontdesk", description="Frontdesk AI receptionist platform")
    parser.add_argument("--database-url", help="overrides FRONTDESK_DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--forwarded-allow-ips", default="127.0.0.1", help="proxies whose X-Forwarded-* headers are trusted"
    )
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="deliver webhooks and CRM events from the outbox")
    worker.add_argument(
        "--concurrency", type=int, help="deliveries in flight at once (FRONTDESK_WEBHOOK_CONCURRENCY)"
    )
    worker.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    worker.set_defaults(handler=cmd_worker)

    webhooks = commands.add_parser("webhooks", help="webhook tools")
    webhook_commands = webhooks.add_subparsers(dest="webhooks_command", required=True)
    listen = webhook_commands.add_parser(
        "listen", help="a local receiver that prints and verifies deliveries"
    )
    listen.add_argument("--host", default="127.0.0.1")
    listen.add_argument("--port", type=int, default=9000)
    listen.add_argument("--secret", help="the subscription's whsec_ secret, to verify signatures")
    listen.set_defaults(handler=cmd_webhooks_listen)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate to the newest (or a given) revision")
    upgrade.add_argument("revision", nargs="?", default="head")
    downgrade = db_commands.add_parser("downgrade", help="migrate back to a revision ('base' empties it)")
    downgrade.add_argument("revision")
    db_commands.add_parser("current", help="print the current revision")
    db.set_defaults(handler=cmd_db)

    tenants = commands.add_parser("tenants", help="declarative tenants")
    tenant_commands = tenants.add_subparsers(dest="tenants_command", required=True)
    apply = tenant_commands.add_parser("apply", help="create or update tenants from DIR/*.toml")
    apply.add_argument("directory")
    apply.set_defaults(handler=cmd_tenants_apply)
    tenant_commands.add_parser("list", help="tenants and their numbers").set_defaults(
        handler=cmd_tenants_list
    )

    keys = commands.add_parser("keys", help="API keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create an API key and print it once")
    create.add_argument("--name", required=True)
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--platform", action="store_true", help="a platform-admin key")
    who.add_argument("--tenant", help="the tenant's slug")
    create.add_argument(
        "--role", default="owner", choices=["agency_admin", "owner", "admin", "agent", "viewer"]
    )
    create.set_defaults(handler=cmd_keys_create)

    call = commands.add_parser("call", help="phone a tenant from the terminal through the signed webhooks")
    call.add_argument("tenant", help="the tenant's slug")
    call.add_argument("--from", dest="caller", default="+15550100199", help="the caller's number (E.164)")
    call.add_argument("--to", help="the number to call (default: the tenant's first number)")
    call.add_argument("--script", help="a file of caller lines, one per turn ('/press 1', '/hangup')")
    call.add_argument("--url", help="the server (default FRONTDESK_PUBLIC_URL)")
    call.add_argument(
        "--auth-token", help="Twilio auth token to sign with (default FRONTDESK_TWILIO_AUTH_TOKEN)"
    )
    call.add_argument("--stir", help="a StirVerstat value, e.g. TN-Validation-Passed-A")
    call.add_argument(
        "--dial-result", default="completed", choices=["completed", "no-answer", "busy", "failed"]
    )
    call.set_defaults(handler=cmd_call)

    plugins = commands.add_parser("plugins", help="plugins")
    plugin_commands = plugins.add_subparsers(dest="plugins_command", required=True)
    plugin_commands.add_parser("list", help="plugins this deployment has").set_defaults(
        handler=cmd_plugins_list
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # structlog's default writes to stdout, which is the command's output (a key printed once).
        settings = load_settings()
        configure_logging(settings.log_level, json=settings.log_json)
        return args.handler(args)
    except (SettingsError, DatabaseNotMigratedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

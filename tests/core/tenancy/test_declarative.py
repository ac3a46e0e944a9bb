"""``frontdesk tenants apply DIR``: the demo files become tenants, idempotently, or nothing is written.

Expectations are read back through the admin API (the ``client`` app shares the database) and,
for what the API does not show (secrets at rest, audit row counts), from the database itself.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text

from core.audit.models import AuditEntry
from core.knowledge.models import KnowledgeEntry
from core.plugins.models import PluginInstall
from core.runtime import open_services
from core.settings import Settings
from core.state import AppServices
from core.tenancy.declarative import DeclarativeError, apply_tenants_dir
from core.tenancy.models import PhoneNumber, Tenant

DEMO_DIR = Path(__file__).parents[3] / "tenants"
BRIGHT = "bright-smile-dental"
KEYSTONE = "keystone-mortgage"


@pytest.fixture
async def services(make_settings: Callable[..., Settings]) -> AsyncIterator[AppServices]:
    """Services on the same database (and deployment key) as the ``client`` app."""
    async with open_services(make_settings()) as opened:
        yield opened


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of ``tenants/`` to break or change."""
    return Path(shutil.copytree(DEMO_DIR, tmp_path / "tenants"))


def edit(path: Path, old: str, new: str) -> None:
    source = path.read_text()
    assert source.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(source.replace(old, new))


async def get_json(client: AsyncTestClient, path: str) -> Any:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def row_counts(services: AppServices) -> dict[str, int]:
    async with services.session_factory() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model))
            for model in (Tenant, PhoneNumber, PluginInstall, KnowledgeEntry, AuditEntry)
        }


async def tenant_state(client: AsyncTestClient, slug: str) -> dict[str, Any]:
    """Everything the API shows about a tenant, to compare before and after an apply."""
    base = f"/api/v1/tenants/{slug}"
    return {
        "tenant": await get_json(client, base),
        "numbers": (await get_json(client, f"{base}/phone-numbers"))["items"],
        "plugins": (await get_json(client, f"{base}/plugins"))["items"],
        "knowledge": (await get_json(client, f"{base}/knowledge?limit=100"))["items"],
    }


async def test_apply_creates_the_demo_tenants_as_their_files_say(
    services: AppServices, client: AsyncTestClient
) -> None:
    report = await apply_tenants_dir(services, DEMO_DIR)

    assert report.created == [BRIGHT, KEYSTONE]
    assert report.counts() == {"created": 2, "updated": 0, "unchanged": 0}
    listed = (await get_json(client, "/api/v1/tenants"))["items"]
    assert sorted((t["slug"], t["name"]) for t in listed) == [
        (BRIGHT, "Bright Smile Dental"),
        (KEYSTONE, "Keystone Mortgage Partners"),
    ]

    bright = await tenant_state(client, BRIGHT)
    assert bright["tenant"]["timezone"] == "America/Chicago"
    assert bright["tenant"]["languages"] == ["en-US", "es-US"]
    assert bright["tenant"]["industry"] == "dental"
    assert bright["tenant"]["business"]["hours"]["wed"] == [["08:00", "19:00"]]
    assert bright["tenant"]["branding"]["primary_color"] == "#1E88E5"
    assert [(n["number"], n["label"], n["plugins"]) for n in bright["numbers"]] == [
        ("+15551230001", "Main line", {}),
        (
            "+15551230002",
            "Spanish line",
            {
                "greeting": {
                    "template": "Gracias por llamar a {{ business.name }}. ¿En qué le puedo ayudar?",
                    "language": "es-US",
                }
            },
        ),
    ]
    configs = {p["name"]: p["config"] for p in bright["plugins"]}
    assert configs["screening"] == {"blocklist": ["+15550009999"], "anonymous": "challenge"}
    # Default-installed plugins the file does not mention stay installed with no config of their own.
    assert configs["twilio_voice"] == {}

    keystone = await tenant_state(client, KEYSTONE)
    assert [(n["number"], n["label"]) for n in keystone["numbers"]] == [("+15551240001", "Main line")]
    assert {p["name"]: p["config"] for p in keystone["plugins"]}["screening"] == {
        "blocklist": [],
        "anonymous": "reject",
        "max_calls_per_hour": 5,
    }

    # Every plugin config and knowledge entry exactly as the file has it (read with the stdlib parser).
    for slug, state in ((BRIGHT, bright), (KEYSTONE, keystone)):
        declared = tomllib.loads((DEMO_DIR / f"{slug}.toml").read_text())
        configs = {p["name"]: p["config"] for p in state["plugins"]}
        assert {name: configs[name] for name in declared["plugins"]} == declared["plugins"]
        stored = sorted((k["question"], k["answer"], k["tags"]) for k in state["knowledge"])
        assert stored == sorted((k["question"], k["answer"], k["tags"]) for k in declared["knowledge"])
        assert len(stored) == len(declared["knowledge"]) >= 6


async def test_reapplying_the_same_files_changes_nothing(
    services: AppServices, client: AsyncTestClient
) -> None:
    await apply_tenants_dir(services, DEMO_DIR)
    counts_before = await row_counts(services)
    states_before = {slug: await tenant_state(client, slug) for slug in (BRIGHT, KEYSTONE)}
    assert counts_before["audit_log"] > 0  # the first apply was audited, so "no new rows" means something

    report = await apply_tenants_dir(services, DEMO_DIR)

    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 2}
    assert report.unchanged == [BRIGHT, KEYSTONE]
    assert report.changes == []
    assert await row_counts(services) == counts_before
    for slug, before in states_before.items():
        after = await tenant_state(client, slug)
        assert after == before
        assert after["tenant"]["config_version"] == before["tenant"]["config_version"]
        assert after["tenant"]["updated_at"] == before["tenant"]["updated_at"]


async def test_fields_a_file_leaves_out_keep_what_the_api_set(
    services: AppServices, client: AsyncTestClient
) -> None:
    await apply_tenants_dir(services, DEMO_DIR)
    patch = {"twilio_account_sid": "AC" + "b" * 32, "twilio_auth_token": "set-through-the-api"}
    assert (await client.patch(f"/api/v1/tenants/{BRIGHT}", json=patch)).status_code == 200

    report = await apply_tenants_dir(services, DEMO_DIR)  # the demo files name neither field

    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 2}
    tenant = await get_json(client, f"/api/v1/tenants/{BRIGHT}")
    assert tenant["twilio_account_sid"] == "AC" + "b" * 32
    assert tenant["twilio_auth_token_set"] is True


async def test_applying_a_changed_copy_changes_exactly_what_changed(
    services: AppServices, client: AsyncTestClient, demo_copy: Path
) -> None:
    await apply_tenants_dir(services, DEMO_DIR)
    bright_before = await tenant_state(client, BRIGHT)
    keystone_before = await tenant_state(client, KEYSTONE)
    async with services.session_factory() as session:
        audited_before = set(await session.scalars(select(AuditEntry.id)))
    bright_file = demo_copy / f"{BRIGHT}.toml"
    edit(bright_file, 'name = "Bright Smile Dental"', 'name = "Bright Smile Family Dental"')
    edit(bright_file, 'anonymous = "challenge"', 'anonymous = "voicemail"')
    edit(bright_file, 'label = "Spanish line"', 'label = "Línea en español"')
    parking = (
        "Yes, free parking is in the garage behind the building; "
        "take a ticket and we validate it at the front desk."
    )
    edit(bright_file, f'answer = "{parking}"', 'answer = "Street parking only, sorry."')

    report = await apply_tenants_dir(services, demo_copy)

    assert report.counts() == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.updated == [BRIGHT]
    assert report.changes == [
        f"{BRIGHT}: tenant",
        f"{BRIGHT}: plugin screening",
        f"{BRIGHT}: number +15551230002 updated",
        f"{BRIGHT}: knowledge updated: Is there parking?",
    ]
    async with services.session_factory() as session:
        audited = (await session.execute(select(AuditEntry.id, AuditEntry.action))).all()
    new_actions = sorted(action for entry_id, action in audited if entry_id not in audited_before)
    assert new_actions == ["knowledge.update", "number.update", "plugin.configure", "tenant.update"]

    bright = await tenant_state(client, BRIGHT)
    assert bright["tenant"]["name"] == "Bright Smile Family Dental"
    assert bright["tenant"]["id"] == bright_before["tenant"]["id"]
    assert bright["tenant"]["config_version"] > bright_before["tenant"]["config_version"]
    assert bright["tenant"]["business"] == bright_before["tenant"]["business"]

    numbers_before = {n["number"]: n for n in bright_before["numbers"]}
    numbers = {n["number"]: n for n in bright["numbers"]}
    assert numbers["+15551230002"]["label"] == "Línea en español"
    assert numbers["+15551230002"]["id"] == numbers_before["+15551230002"]["id"]
    assert numbers["+15551230002"]["plugins"] == numbers_before["+15551230002"]["plugins"]
    assert numbers["+15551230001"] == numbers_before["+15551230001"]

    plugins_before = {p["name"]: p for p in bright_before["plugins"]}
    plugins = {p["name"]: p for p in bright["plugins"]}
    assert plugins["screening"]["config"] == {"blocklist": ["+15550009999"], "anonymous": "voicemail"}
    assert plugins["screening"]["updated_at"] > plugins_before["screening"]["updated_at"]
    assert plugins["greeting"] == plugins_before["greeting"]
    assert plugins["twilio_voice"] == plugins_before["twilio_voice"]

    knowledge_before = {k["question"]: k for k in bright_before["knowledge"]}
    knowledge = {k["question"]: k for k in bright["knowledge"]}
    assert knowledge.keys() == knowledge_before.keys()
    parking = knowledge.pop("Is there parking?")
    parking_before = knowledge_before.pop("Is there parking?")
    assert parking["answer"] == "Street parking only, sorry."
    assert (parking["id"], parking["tags"]) == (parking_before["id"], ["location"])
    assert parking["updated_at"] > parking_before["updated_at"]
    assert knowledge == knowledge_before  # the five others: same ids, answers and updated_at

    assert await tenant_state(client, KEYSTONE) == keystone_before


KEYSTONE_FILE = f"{KEYSTONE}.toml"

# (case, file to change, old text, new text, what the message must name). Keystone sorts after
# Bright Smile, so a check made only while applying would already have written Bright Smile.
BAD_FILES = [
    (
        "wrong type",
        KEYSTONE_FILE,
        'timezone = "America/New_York"',
        "timezone = 5",
        ["timezone", "Expected `str`, got `int`"],
    ),
    (
        "unknown timezone",
        KEYSTONE_FILE,
        'timezone = "America/New_York"',
        'timezone = "America/Gotham"',
        ["timezone", "'America/Gotham'"],
    ),
    (
        "bad E.164 number",
        KEYSTONE_FILE,
        'number = "+15551240001"',
        'number = "215-555-0100"',
        ["numbers[0].number"],
    ),
    (
        "unknown plugin",
        KEYSTONE_FILE,
        "[plugins.screening]",
        "[plugins.voicemail]\n\n[plugins.screening]",
        ["plugins.voicemail", "voicemail"],
    ),
    (
        "invalid plugin config",
        KEYSTONE_FILE,
        "Thanks for calling {{ business.name }}. I can",
        "Thanks for calling {{ business.name }. I can",
        ["plugins.greeting.template"],
    ),
    (
        "unknown top-level key",
        KEYSTONE_FILE,
        'industry = "mortgage"',
        'industry = "mortgage"\nowner = "Pat"',
        ["unknown field `owner`"],
    ),
    (
        "invalid TOML",
        KEYSTONE_FILE,
        'languages = ["en-US"]',
        'languages = ["en-US"',
        ["not valid TOML", "line 8"],
    ),
    (
        "number listed by two files",
        KEYSTONE_FILE,
        'number = "+15551240001"\nlabel = "Main line"',
        'number = "+15551240001"\nlabel = "Main line"\n\n[[numbers]]\nnumber = "+15551230002"',
        ["numbers[1].number", "+15551230002", f"{BRIGHT}.toml"],
    ),
]


@pytest.mark.parametrize(
    ("file_name", "old", "new", "named"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
async def test_a_bad_file_is_refused_naming_file_and_field_and_nothing_is_written(
    services: AppServices, demo_copy: Path, file_name: str, old: str, new: str, named: list[str]
) -> None:
    bad_file = demo_copy / file_name
    edit(bad_file, old, new)

    with pytest.raises(DeclarativeError) as refused:
        await apply_tenants_dir(services, demo_copy)

    message = str(refused.value)
    assert message.startswith(f"{bad_file}: ")
    for part in named:
        assert part in message
    assert set((await row_counts(services)).values()) == {0}


async def test_a_slug_declared_twice_is_refused_naming_both_files(
    services: AppServices, demo_copy: Path
) -> None:
    duplicate = demo_copy / "zz-duplicate.toml"
    duplicate.write_text(f'slug = "{BRIGHT}"\nname = "Another Smile"\ntimezone = "UTC"\n')

    with pytest.raises(DeclarativeError) as refused:
        await apply_tenants_dir(services, demo_copy)

    assert str(refused.value) == (
        f"{duplicate}: slug: '{BRIGHT}' is also declared in {demo_copy / f'{BRIGHT}.toml'}"
    )
    assert set((await row_counts(services)).values()) == {0}


async def test_a_number_another_tenant_owns_is_refused_and_nothing_is_written(
    services: AppServices, demo_copy: Path
) -> None:
    await apply_tenants_dir(services, DEMO_DIR)
    counts_before = await row_counts(services)
    # Sorts last, so the two demo files before it would be applied first if it were checked late.
    newcomer = demo_copy / "zz-newcomer.toml"
    newcomer.write_text(
        'slug = "zz-newcomer"\nname = "Newcomer"\ntimezone = "UTC"\n'
        '[[numbers]]\nnumber = "+15559990000"\n[[numbers]]\nnumber = "+15551240001"\n'
    )
    edit(demo_copy / f"{BRIGHT}.toml", 'name = "Bright Smile Dental"', 'name = "Renamed Meanwhile"')

    with pytest.raises(DeclarativeError) as refused:
        await apply_tenants_dir(services, demo_copy)

    message = str(refused.value)
    assert message.startswith(f"{newcomer}: numbers[1].number: +15551240001 ")
    assert KEYSTONE in message
    assert await row_counts(services) == counts_before
    async with services.session_factory() as session:
        assert await session.scalar(select(Tenant.name).where(Tenant.slug == BRIGHT)) == "Bright Smile Dental"


TOKEN = "f3e1c0ffee5ecret70ken0000000000a"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2


async def test_a_secret_in_a_file_is_stored_encrypted_and_reapplying_it_is_no_change(
    services: AppServices, client: AsyncTestClient, tmp_path: Path
) -> None:
    directory = tmp_path / "secret"
    directory.mkdir()
    tenant_file = directory / "keystone.toml"
    tenant_file.write_text(
        (DEMO_DIR / KEYSTONE_FILE)
        .read_text()
        .replace(
            'languages = ["en-US"]',
            f'languages = ["en-US"]\ntwilio_account_sid = "{ACCOUNT_SID}"\ntwilio_auth_token = "{TOKEN}"',
        )
    )

    await apply_tenants_dir(services, directory)

    async with services.session_factory() as session:
        raw_row = (await session.execute(text("SELECT * FROM tenants"))).one()
        encrypted = await session.scalar(select(Tenant.twilio_auth_token_encrypted))
    assert not any(TOKEN in str(column) for column in raw_row)
    assert encrypted is not None
    assert services.secret_box.decrypt(encrypted) == TOKEN
    response = await client.get(f"/api/v1/tenants/{KEYSTONE}")
    assert response.json()["twilio_auth_token_set"] is True
    assert response.json()["twilio_account_sid"] == ACCOUNT_SID
    assert TOKEN not in response.text

    again = await apply_tenants_dir(services, directory)
    assert (again.unchanged, again.changes) == ([KEYSTONE], [])

    edit(tenant_file, TOKEN, "rotated-token")
    rotated = await apply_tenants_dir(services, directory)
    assert rotated.changes == [f"{KEYSTONE}: tenant"]
    async with services.session_factory() as session:
        encrypted = await session.scalar(select(Tenant.twilio_auth_token_encrypted))
    assert encrypted is not None
    assert services.secret_box.decrypt(encrypted) == "rotated-token"


async def test_folder_layout_is_read_and_a_parent_is_created_before_its_children(
    services: AppServices, client: AsyncTestClient, tmp_path: Path
) -> None:
    directory = tmp_path / "agency"
    (directory / "zenith-agency").mkdir(parents=True)
    (directory / "b-clinic").mkdir()
    # Both children sort before their parent's folder, so file order alone would fail.
    (directory / "a-clinic.toml").write_text(
        'slug = "a-clinic"\nname = "A Clinic"\ntimezone = "UTC"\nparent = "zenith-agency"\n'
    )
    (directory / "b-clinic" / "tenant.toml").write_text(
        'slug = "b-clinic"\nname = "B Clinic"\ntimezone = "UTC"\nparent = "zenith-agency"\n'
        '[[numbers]]\nnumber = "+15553330001"\n'
    )
    (directory / "zenith-agency" / "tenant.toml").write_text(
        'slug = "zenith-agency"\nname = "Zenith Agency"\ntimezone = "Europe/London"\n'
        '[branding]\nproduct_name = "Zenith Desk"\n'
    )

    report = await apply_tenants_dir(services, directory)

    assert report.created == ["zenith-agency", "a-clinic", "b-clinic"]
    a_clinic = await get_json(client, "/api/v1/tenants/a-clinic")
    assert a_clinic["parent"] == "zenith-agency"
    assert a_clinic["effective_branding"] == {"product_name": "Zenith Desk"}
    b_clinic = await tenant_state(client, "b-clinic")
    assert b_clinic["tenant"]["parent"] == "zenith-agency"
    assert [n["number"] for n in b_clinic["numbers"]] == ["+15553330001"]
    assert (await get_json(client, "/api/v1/tenants/zenith-agency"))["parent"] is None

"""The ``frontdesk`` command, run in-process against a fresh SQLite file.

``main`` runs its own event loop (``asyncio.run``), so these are plain sync tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from litestar.testing import TestClient

from core.app import create_app
from core.cli import main
from core.db.migrate import head_revision
from core.settings import Settings

DEMO_DIR = Path(__file__).parents[2] / "tenants"
BRIGHT = "bright-smile-dental"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's database: a SQLite file that does not exist yet; nothing else from FRONTDESK_*."""
    for name in list(os.environ):
        if name.startswith("FRONTDESK_"):
            monkeypatch.delenv(name)
    path = tmp_path / "frontdesk.db"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    # Written beforehand, so no command warns that it generated one (see the test of that below).
    (tmp_path / "secret.key").write_text("cli-test-deployment-key")
    monkeypatch.setenv("FRONTDESK_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    return path


@pytest.fixture
def run(database_file: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("tenants", "list")``: exit code, stdout and stderr of one command."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def api_client(database_file: Path, tmp_path: Path) -> TestClient:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{database_file}",
        secret_key_file=str(tmp_path / "secret.key"),
        log_level="WARNING",
    )
    return TestClient(app=create_app(settings))


def created_key(out: str) -> str:
    lines = out.splitlines()
    assert len(lines) == 2, out
    return lines[1]


def test_db_upgrade_downgrade_and_current_print_the_revision(run: Run, database_file: Path) -> None:
    head = head_revision()
    assert head is not None

    assert run("db", "upgrade") == (0, f"database at revision {head}\n", "")
    assert database_file.exists()
    assert run("db", "current") == (0, f"database at revision {head}\n", "")
    assert run("db", "downgrade", "base") == (0, "database at revision base\n", "")
    assert run("db", "current") == (0, "database at revision base\n", "")


def test_tenants_apply_then_list_shows_the_demo_tenants_and_numbers(run: Run) -> None:
    code, out, err = run("tenants", "apply", str(DEMO_DIR))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "tenants: 2 created, 0 updated, 0 unchanged"
    assert "  bright-smile-dental: number +15551230002 added" in out.splitlines()

    code, out, err = run("tenants", "list")
    assert (code, err) == (0, "")
    bright, keystone = out.splitlines()
    assert bright.startswith("bright-smile-dental ")
    assert keystone.startswith("keystone-mortgage ")
    assert bright.endswith("+15551230001, +15551230002")
    assert "Bright Smile Dental" in bright
    assert keystone.endswith("+15551240001")

    assert run("tenants", "apply", str(DEMO_DIR)) == (0, "tenants: 0 created, 0 updated, 2 unchanged\n", "")


def test_a_tenant_key_from_the_cli_authenticates_with_its_role(
    run: Run, database_file: Path, tmp_path: Path
) -> None:
    assert run("tenants", "apply", str(DEMO_DIR))[0] == 0

    code, out, err = run("keys", "create", "--tenant", BRIGHT, "--role", "admin", "--name", "ops")

    assert (code, err) == (0, "")
    assert out.startswith("created admin key 'ops' (id ")
    key = created_key(out)
    with api_client(database_file, tmp_path) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        tenant = client.get("/api/v1/tenants/bright-smile-dental")
        assert (tenant.status_code, tenant.json()["name"]) == (200, "Bright Smile Dental")
        keys = client.get("/api/v1/tenants/bright-smile-dental/api-keys")
        assert [(k["name"], k["role"]) for k in keys.json()["items"]] == [("ops", "admin")]
        # An admin, not an owner: it may not hand out the owner role, nor see another tenant.
        grant = client.post(f"/api/v1/tenants/{BRIGHT}/api-keys", json={"name": "x", "role": "owner"})
        assert grant.status_code == 403
        assert "the admin role cannot grant the owner role" in grant.text
        assert client.get("/api/v1/tenants/keystone-mortgage").status_code == 404
        client.headers["Authorization"] = "Bearer fd_not_a_key"
        assert client.get("/api/v1/tenants/bright-smile-dental").status_code == 401


def test_a_platform_key_from_the_cli_lists_every_tenant(
    run: Run, database_file: Path, tmp_path: Path
) -> None:
    assert run("tenants", "apply", str(DEMO_DIR))[0] == 0

    code, out, err = run("keys", "create", "--platform", "--name", "root")

    assert (code, err) == (0, "")
    assert out.startswith("created platform_admin key 'root' (id ")
    with api_client(database_file, tmp_path) as client:
        response = client.get("/api/v1/tenants", headers={"Authorization": f"Bearer {created_key(out)}"})
        assert response.status_code == 200
        assert [t["slug"] for t in response.json()["items"]] == ["bright-smile-dental", "keystone-mortgage"]


def test_keys_create_for_an_unknown_tenant_fails(run: Run) -> None:
    assert run("db", "upgrade")[0] == 0

    assert run("keys", "create", "--tenant", "nobody", "--name", "ops") == (
        1,
        "",
        "error: --tenant: no tenant 'nobody'\n",
    )


def test_plugins_list_names_the_builtin_plugins(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run("plugins", "list")

    assert (code, err) == (0, "")
    listed = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert {name: listed.get(name) for name in ("greeting", "screening", "twilio_voice")} == {
        "greeting": "default",
        "screening": "default",
        "twilio_voice": "default",
    }

    monkeypatch.setenv("FRONTDESK_DISABLED_PLUGINS", "screening")
    code, out, _err = run("plugins", "list")
    assert code == 0
    assert "screening" not in {line.split()[0] for line in out.splitlines()}


def test_apply_of_a_missing_directory_fails_naming_it(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"

    assert run("tenants", "apply", str(missing)) == (1, "", f"error: {missing}: not a directory\n")


def test_apply_of_a_bad_tenant_file_fails_naming_the_file_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    directory = tmp_path / "tenants"
    directory.mkdir()
    bad_file = directory / "acme.toml"
    bad_file.write_text('slug = "acme"\nname = "Acme"\ntimezone = "Mars/Olympus_Mons"\n')

    code, out, err = run("tenants", "apply", str(directory))

    assert (code, out) == (1, "")
    assert err.startswith(f"error: {bad_file}: timezone: unknown timezone 'Mars/Olympus_Mons'")
    assert run("tenants", "list") == (0, "", "")


def test_logs_go_to_stderr_leaving_stdout_to_the_output(run: Run, tmp_path: Path) -> None:
    (tmp_path / "secret.key").unlink()

    code, out, err = run("keys", "create", "--platform", "--name", "root")

    assert code == 0
    assert "secret_key.generated" in err
    assert out.startswith("created platform_admin key 'root' (id ")
    assert len(created_key(out)) > 20
    assert (tmp_path / "secret.key").exists()


def test_frontdesk_help_exits_zero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "core.cli", "--help"], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: frontdesk")
    for command in ("serve", "db", "tenants", "keys", "plugins"):
        assert command in result.stdout

"""docs/hooks.md documents every hook with its exact signature, and every hook has its test."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core.hooks import specs
from core.hooks.markers import PROJECT_NAME

ROOT = Path(__file__).parents[1]
HOOKS_DOC = (ROOT / "docs" / "hooks.md").read_text()
HOOKS = sorted(
    name
    for name, function in inspect.getmembers(specs, inspect.isfunction)
    if hasattr(function, f"{PROJECT_NAME}_spec")
)
TEST_SOURCES = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("*.py"))


def documented_sections() -> dict[str, str]:
    """Each ``## heading`` of docs/hooks.md and the text up to the next heading."""
    parts = re.split(r"^## (\S+)\s*$", HOOKS_DOC, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def expected_signature(name: str) -> str:
    parameters = inspect.signature(getattr(specs, name)).parameters
    return f"{name}({', '.join(parameters)})"


def test_there_are_hooks_to_check():
    assert "screen_call" in HOOKS
    assert len(HOOKS) == 10


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented_with_its_exact_signature(name):
    sections = documented_sections()
    assert name in sections, f"docs/hooks.md has no '## {name}' heading"
    first_block = re.search(r"```(?:python)?\n(.*?)```", sections[name], flags=re.DOTALL)
    assert first_block is not None, f"'## {name}' has no code block"
    assert first_block[1].strip() == expected_signature(name)


def test_every_documented_hook_exists():
    assert sorted(documented_sections()) == HOOKS


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_its_own_test(name):
    assert re.search(rf"^(async )?def test_hook_{name}\(", TEST_SOURCES, flags=re.MULTILINE), (
        f"no test_hook_{name} under tests/"
    )

"""Hook specifications and markers; the prose reference is ``docs/hooks.md``."""

from __future__ import annotations

from core.hooks.markers import PROJECT_NAME, hookimpl, hookspec

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

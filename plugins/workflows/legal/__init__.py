"""Legal intake: practice area, the other party for the conflict check, urgency; consultations booked."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.workflows.legal.workflow import NAME, Config, legal_workflow

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "register_workflows"]

DEFAULT_INSTALLED = False


@hookimpl
def register_workflows(register: Register) -> None:
    register(NAME, legal_workflow(), industry="legal")

"""Dental intake: new and existing patients, insurance; emergencies to a slot today or the on-call dentist."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.workflows.dental.workflow import NAME, Config, dental_workflow

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "register_workflows"]

DEFAULT_INSTALLED = False


@hookimpl
def register_workflows(register: Register) -> None:
    register(NAME, dental_workflow(), industry="dental")

"""Mortgage intake: purchase, refinance and HELOC leads qualified, scored, hot ones to a loan officer."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.workflows.mortgage.workflow import NAME, Config, mortgage_workflow

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "register_workflows"]

DEFAULT_INSTALLED = False


@hookimpl
def register_workflows(register: Register) -> None:
    register(NAME, mortgage_workflow(), industry="mortgage")

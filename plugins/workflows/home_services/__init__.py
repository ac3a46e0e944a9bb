"""Home services intake: service type, address, urgency; emergencies dispatched to the on-call technician."""

from __future__ import annotations

from core import Register, hookimpl
from plugins.workflows.home_services.workflow import NAME, Config, home_services_workflow

__all__ = ["DEFAULT_INSTALLED", "NAME", "Config", "register_workflows"]

DEFAULT_INSTALLED = False


@hookimpl
def register_workflows(register: Register) -> None:
    register(NAME, home_services_workflow(), industry="home_services")

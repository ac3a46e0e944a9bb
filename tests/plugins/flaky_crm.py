"""A CRM connector for tests: records what it is given, and fails as its config says."""

from typing import Any, Literal

import httpx
import msgspec

from core import ConnectorEvent, CRMConnector, DeliveryError, Register, hookimpl

NAME = "flaky_crm"


class Config(msgspec.Struct, kw_only=True):
    mode: Literal["ok", "fail_once", "permanent"] = "ok"


class FlakyCRM(CRMConnector):
    def __init__(self) -> None:
        self.received: list[tuple[str, str, int]] = []  # (event type, event id, attempt)

    def wants(self, event_type: str, config: Any) -> bool:
        return event_type.startswith("call.")

    async def deliver(self, event: ConnectorEvent, config: Any, http: httpx.AsyncClient) -> None:
        self.received.append((event.type, event.id, event.attempt))
        if config.mode == "permanent":
            raise DeliveryError("the CRM refused the token", status_code=401, permanent=True)
        if config.mode == "fail_once" and event.attempt == 1:
            raise DeliveryError("CRM busy", status_code=503, retry_after=None)


CONNECTOR = FlakyCRM()


@hookimpl
def register_crm_connectors(register: Register) -> None:
    register("flaky", CONNECTOR)

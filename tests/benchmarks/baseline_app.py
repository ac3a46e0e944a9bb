"""The baseline: a bare Litestar endpoint returning fixed JSON, served exactly like Frontdesk."""

from __future__ import annotations

from litestar import Litestar, get


@get("/fixed", sync_to_thread=False)
def fixed() -> dict[str, str]:
    return {"status": "ok", "name": "Bright Smile Dental"}


def create_app() -> Litestar:
    return Litestar(route_handlers=[fixed])

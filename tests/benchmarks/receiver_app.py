"""A webhook receiver for the delivery benchmark: plain ASGI, answers 204 and counts what it got."""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]


def create_app() -> Any:
    received = 0

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        nonlocal received
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        more = True
        while more:
            more = (await receive()).get("more_body", False)
        if scope["path"] == "/count":
            body = str(received).encode()
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
            )
            await send({"type": "http.response.body", "body": body})
            return
        received += 1
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app

"""Running an ASGI app under uvicorn, one process or several, with Nagle's algorithm off.

uvicorn's multi-process mode binds the listening socket itself and hands it to the workers. On
Linux that socket reports protocol 0, accepted connections inherit it, and asyncio only turns
``TCP_NODELAY`` on for sockets that report TCP. With Nagle on, a response written in two pieces
(head, then body) on a keep-alive connection waits for the peer's delayed ACK: about 40 ms on
every request after the first, which Twilio's connection reuse would hit on every webhook
(uvicorn issue 3149). Here the listener is re-opened on the same descriptor with its protocol
read from the kernel, so workers accept TCP sockets and asyncio sets ``TCP_NODELAY`` as it does
in single-process mode.
"""

from __future__ import annotations

import argparse
import socket
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

_TCP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def as_tcp_listener(sock: socket.socket) -> socket.socket:
    """``sock`` with its protocol recorded as TCP when it is an IP stream socket (same descriptor)."""
    if sock.family not in _TCP_FAMILIES or sock.type != socket.SOCK_STREAM or sock.proto:
        return sock
    listener = socket.socket(sock.family, socket.SOCK_STREAM, socket.IPPROTO_TCP, fileno=sock.detach())
    listener.set_inheritable(True)
    return listener


class TcpConfig(uvicorn.Config):
    """uvicorn's config, binding listeners whose accepted connections get ``TCP_NODELAY``."""

    def bind_socket(self) -> socket.socket:
        return as_tcp_listener(super().bind_socket())


def serve(app: str, *, host: str, port: int, workers: int = 1, **options: Any) -> None:
    """Serve the ASGI app at import path ``app`` (``module:attribute``) until stopped.

    ``options`` are uvicorn settings (``factory``, ``proxy_headers``, ``log_level``...). One
    worker runs in this process; more run under uvicorn's supervisor sharing one listener.
    """
    config = TcpConfig(app, host=host, port=port, workers=workers, **options)
    server = uvicorn.Server(config)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if workers == 1 and not server.started:
        raise SystemExit(STARTUP_FAILURE)


def main(argv: list[str] | None = None) -> None:
    """``python -m core.ops.server APP``: serve any app factory the way ``frontdesk serve`` does."""
    parser = argparse.ArgumentParser(prog="python -m core.ops.server", description=main.__doc__)
    parser.add_argument("app", help="import path of an app factory, module:function")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    serve(
        args.app,
        host=args.host,
        port=args.port,
        workers=args.workers,
        factory=True,
        log_level=args.log_level,
        access_log=False,
    )


if __name__ == "__main__":
    main()

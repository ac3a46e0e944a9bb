"""The listener ``frontdesk serve --workers N`` shares with its workers gives connections TCP_NODELAY."""

import asyncio
import socket

from core.ops.server import TcpConfig, as_tcp_listener


async def nodelay_of_accepted(listener: socket.socket) -> int:
    """TCP_NODELAY of a connection accepted by asyncio on ``listener``, as a uvicorn worker accepts."""
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connection, sock=listener)
    async with server:
        host, port = listener.getsockname()[:2]
        _reader, writer = await asyncio.open_connection(host, port)
        value = await asyncio.wait_for(accepted, 5)
        writer.close()
    return value


async def test_plain_listener_loses_nodelay_and_ours_keeps_it() -> None:
    plain = socket.socket(socket.AF_INET)
    plain.bind(("127.0.0.1", 0))
    assert plain.proto == 0  # as uvicorn's bind_socket makes it
    assert await nodelay_of_accepted(plain) == 0  # Nagle stays on: ~40 ms per keep-alive request

    bound = socket.socket(socket.AF_INET)
    bound.bind(("127.0.0.1", 0))
    address = bound.getsockname()
    listener = as_tcp_listener(bound)
    assert listener.proto == socket.IPPROTO_TCP
    assert listener.getsockname() == address  # the same descriptor, still bound
    assert listener.get_inheritable()
    assert await nodelay_of_accepted(listener) == 1


def test_config_binds_tcp_listeners_and_leaves_unix_sockets_alone(tmp_path) -> None:
    config = TcpConfig("core.app:create_app", factory=True, host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    try:
        assert (listener.family, listener.proto) == (socket.AF_INET, socket.IPPROTO_TCP)
    finally:
        listener.close()

    unix = TcpConfig("core.app:create_app", factory=True, uds=str(tmp_path / "fd.sock"), workers=2)
    listener = unix.bind_socket()
    try:
        assert (listener.family, listener.proto) == (socket.AF_UNIX, 0)
    finally:
        listener.close()

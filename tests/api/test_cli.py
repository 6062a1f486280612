"""`seikg serve`'s listener for several web workers (api/cli.py)."""
from __future__ import annotations

import asyncio
import multiprocessing
import socket

import pytest

from api.cli import bind_listener
from kg.errors import ConfigError


def _nodelay_of_accepted(sock: socket.socket) -> int:
    """Serve one connection on ``sock`` with asyncio, as a uvicorn worker does; TCP_NODELAY of the accepted socket."""
    async def main() -> int:
        accepted: asyncio.Future = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                accepted.set_result(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                                  socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Protocol, sock=sock)
        reader, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        value = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        return value
    return asyncio.run(main())


def _in_worker(sock: socket.socket, answer: multiprocessing.Queue) -> None:
    answer.put(_nodelay_of_accepted(sock))


def test_issue_6_worker_connections_get_tcp_nodelay() -> None:
    """Regression (issue 6, found by bench/deployment.py): with `serve --workers 2` every keep-alive request
    after the first waited ~40 ms on a delayed ACK, because uvicorn's listener says protocol 0 and asyncio
    then leaves Nagle on. Ours says IPPROTO_TCP, also in a worker that receives it as uvicorn's do."""
    sock = bind_listener("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        context = multiprocessing.get_context("spawn")  # uvicorn's supervisor pickles the socket to each worker
        answer = context.Queue()
        worker = context.Process(target=_in_worker, args=(sock, answer))
        worker.start()
        try:
            assert answer.get(timeout=60) == 1
        finally:
            worker.join(30)
    finally:
        sock.close()


def test_listener_in_use_is_a_clear_error() -> None:
    taken = bind_listener("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(ConfigError, match=f"--port {port}: cannot listen there"):
            bind_listener("127.0.0.1", port)
    finally:
        taken.close()

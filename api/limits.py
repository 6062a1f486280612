"""Request bodies bounded before they are read: an ASGI middleware in front of every route.

A body whose declared ``Content-Length`` is over the limit is refused with
``413`` before a byte of it is read; a body sent without a length (chunked) is
counted as it streams in and refused as soon as it passes the limit. Either
way the web process holds at most ``limit`` bytes of any one request, so its
memory is bounded by ``limit`` times the number of connections uvicorn
accepts at once (``docs/security.md``).
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.errors import error_body

__all__ = ["BodyLimit"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with the one JSON error shape (413 ``payload_too_large``)."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for name, value in scope.get("headers", ()) if name == b"content-length"), None)
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await self._refuse(send, 400, "bad_request", "the Content-Length header is not a number")
                return
            if size > self.limit:
                await self._refuse(send, 413, "payload_too_large", self._message(size))
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, 413, "payload_too_large", self._message(received))

    def _message(self, size: int) -> str:
        return (f"the request body is {'at least ' if size else ''}{size} bytes; the limit is {self.limit} bytes "
                "(a query may be at most 16 KiB)")

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps(error_body(code, message)).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

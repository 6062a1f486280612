"""HEAD and OPTIONS on every route, and the methods a path allows, as HTTP clients expect.

FastAPI routes a ``HEAD`` nowhere (a 405), answers ``OPTIONS`` with a 405, and its 405 names only the methods
of the first route whose path matched (``/sparql`` said ``Allow: GET`` although ``POST`` works). This ASGI
middleware answers a ``HEAD`` as the ``GET`` of the same path without its body, and an ``OPTIONS`` with ``204``
and the ``Allow`` header of every route at that path; :func:`allowed_methods` gives ``api.errors`` the same
header for a 405. A browser's CORS preflight (``OPTIONS`` with ``Access-Control-Request-Method``) is answered
by Starlette's ``CORSMiddleware`` before it gets here.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.routing import Match

__all__ = ["HttpMethods", "allowed_methods"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the app's routes accept at ``scope``'s path (``HEAD`` with ``GET``, ``OPTIONS`` with any),
    sorted; empty when no route has that path."""
    methods: set[str] = set()
    for route in _routes(scope["app"].router.routes):
        match, _ = route.matches({**scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or {"GET"})
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"}) if methods else []


def _routes(routes: list[Any]) -> list[Any]:
    """Every route, the routes of included routers too (FastAPI keeps those behind one entry each)."""
    out = []
    for route in routes:
        included = getattr(route, "original_router", None)
        out.extend(_routes(included.routes) if included is not None else [route])
    return out


class HttpMethods:
    """``HEAD`` as ``GET`` without the body; ``OPTIONS`` as ``204`` with ``Allow``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        methods = allowed_methods(scope)
        if scope["method"] == "OPTIONS" and methods:
            await send({"type": "http.response.start", "status": 204,
                        "headers": [(b"allow", ", ".join(methods).encode()), (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["method"] == "HEAD" and "GET" in methods:
            async def without_body(message: Message) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)
            await self.app({**scope, "method": "GET"}, receive, without_body)
            return
        await self.app(scope, receive, send)

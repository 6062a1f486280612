"""Answers validated and kept per graph version: ``ETag``, ``304 Not Modified`` and a bounded response cache.

A graph version never changes and no page or API answer depends on the
clock, so a ``GET`` answer is fixed by the version being served, the code
serving it and the request (path, query string, ``Accept`` and ``Host``).
This ASGI middleware gives every ``200`` answer a weak ``ETag`` made of
those, with ``Cache-Control: no-cache`` (a client revalidates each time,
since a reload may come at any moment); a request whose ``If-None-Match``
names it gets ``304`` without the answer being made again; and answers up to
an eighth of ``answer_cache_mb`` are kept, so the same request is answered
from memory. A reload changes the version, so the old tags stop matching and
the kept answers are dropped.

Left alone: answers that are not ``200``, that carry an ``ETag`` of their own
(the downloads, the static files) or ``Cache-Control: no-store`` (a query
calling RAND or NOW), and the paths of :data:`UNVERSIONED` (health and status
change without the graph).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from kg.store.answers import AnswerCache

__all__ = ["UNVERSIONED", "VersionedAnswers", "code_version"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: paths (or path prefixes, ending in "/") whose answers change without the graph
UNVERSIONED = ("/health", "/status", "/api/status", "/static/")
#: the headers of a 200 that its 304 repeats (RFC 9110, 15.4.5)
_REPEATED = {b"cache-control", b"content-location", b"etag", b"vary", b"link"}


@lru_cache(maxsize=8)
def code_version(*packages: Path) -> str:
    """A hash of the code and templates in ``packages`` (a new release gives every answer a new tag); read
    once per process.

    Raises
    ------
    OSError
        If a file cannot be read.
    """
    digest = hashlib.sha256()
    for root in packages:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and p.suffix in
                           (".py", ".html", ".js", ".css", ".po", ".rq", ".ttl", ".yaml", ".json")):
            digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return b""


def _unversioned(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in UNVERSIONED)


class VersionedAnswers:
    """See the module docstring. ``version_of()`` gives the graph version being served (or None)."""

    def __init__(self, app: ASGIApp, *, version_of: Callable[[], str | None], code: str,
                 max_bytes: int) -> None:
        self.app = app
        self.version_of = version_of
        self.code = code
        self.max_bytes = max_bytes
        self._cache: AnswerCache[tuple[int, list, bytes]] | None = None
        self._cache_version: str | None = None

    def _tag(self, scope: Scope, version: str) -> str:
        request = b"\0".join((scope["path"].encode("utf-8"), scope.get("query_string", b""),
                              _header(scope, b"accept"), _header(scope, b"host")))
        return f'W/"{version}-{self.code}-{hashlib.sha256(request).hexdigest()[:16]}"'

    def _cache_for(self, version: str) -> AnswerCache[tuple[int, list, bytes]] | None:
        if self.max_bytes <= 0:
            return None
        if self._cache_version != version:  # a reload: the old answers are of another graph
            self._cache, self._cache_version = AnswerCache(self.max_bytes), version
        return self._cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or _unversioned(scope["path"]):
            await self.app(scope, receive, send)
            return
        version = self.version_of()
        if version is None:  # still loading
            await self.app(scope, receive, send)
            return
        tag = self._tag(scope, version)
        cache = self._cache_for(version)
        kept = cache.get(tag) if cache is not None else None
        if _matches(_header(scope, b"if-none-match"), tag):
            headers = [h for h in kept[1] if h[0] in _REPEATED] if kept else [(b"etag", tag.encode()),
                                                                             (b"cache-control", b"no-cache")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if kept is not None:
            status, headers, body = kept
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, self._sender(send, tag, version, cache))

    def _sender(self, send: Send, tag: str, version: str, cache: AnswerCache | None) -> Send:
        """``send`` with the tag added to a taggable 200, and its body kept when it is complete and small."""
        state: dict[str, Any] = {"tagged": False, "chunks": [], "size": 0}
        limit = self.max_bytes // 8

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {key.lower() for key, _ in headers}
                control = b"".join(v for k, v in headers if k.lower() == b"cache-control")
                if (message["status"] == 200 and b"etag" not in names and b"no-store" not in control
                        and self.version_of() == version):  # not reloaded meanwhile
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers += [(b"etag", tag.encode()), (b"cache-control", b"no-cache")]
                    state.update(tagged=True, status=200, headers=headers)
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and state["tagged"] and cache is not None:
                state["size"] += len(message.get("body", b""))
                if state["size"] <= limit:
                    state["chunks"].append(message.get("body", b""))
                    if not message.get("more_body", False):
                        cache.put(tag, (200, state["headers"], b"".join(state["chunks"])), size=state["size"])
                else:
                    state["chunks"] = []
            await send(message)
        return tagged


def _matches(header: bytes, tag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``tag`` (weak comparison, RFC 9110 13.1.2) or is ``*``."""
    if not header:
        return False
    wanted = tag.removeprefix("W/")
    for item in header.decode("latin-1").split(","):
        item = item.strip()
        if item == "*" or item.removeprefix("W/") == wanted:
            return True
    return False

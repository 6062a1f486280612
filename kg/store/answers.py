"""A bounded, thread-safe cache of answers, for one graph version.

A graph version never changes, so an answer computed from it (a query's
result, an API response) can be kept and given again to the same question;
a reload starts a new cache, so nothing outlives its version. The cache is
bounded by the bytes it holds and forgets the least recently used answer
first; an answer larger than an eighth of the bound is not kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["AnswerCache"]

V = TypeVar("V")


class AnswerCache(Generic[V]):
    """At most ``max_bytes`` of answers, least recently used forgotten first.

    >>> cache = AnswerCache(max_bytes=100)
    >>> cache.put("a", b"x" * 10, size=10); cache.get("a")
    b'xxxxxxxxxx'
    >>> cache.put("big", b"y" * 50, size=50); cache.get("big") is None  # over an eighth of the bound
    True
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        """The answer kept under ``key``, or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: Hashable, value: V, *, size: int) -> None:
        """Keep ``value`` (``size`` bytes) under ``key``, forgetting older answers to make room."""
        if size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses (for ``/status``)."""
        with self._lock:
            return {"entries": len(self._items), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}

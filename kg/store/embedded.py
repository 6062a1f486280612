"""Evaluating queries in worker processes: a real deadline, a memory limit, a row cap, bounded concurrency.

Threads cannot be stopped, so every query runs in a worker process. The
workers are forked from one process that holds the loaded store
(:mod:`kg.store.forkserver`), so the store is in memory once however many
workers there are. A query past its deadline gets its worker killed
(``SIGKILL``); a worker that dies (memory limit, engine crash) is lost too.
Either way a new worker is forked in its place at once.

Workers serve in lanes: ``users`` for the SPARQL of users, ``canned`` for the
service's own queries (the API's lists, pages and facets), so user SPARQL
cannot fill the slots the site needs. In each lane at most its number of
workers run at once; a request waits up to ``queue_wait`` seconds for a free
worker and is then refused as overloaded.

Each worker inherits the network cut of its fork server (:mod:`kg.store.sandbox`)
and runs the parsed half of the query screen (:func:`kg.sparql.screen.check_parsed`)
before it evaluates a query that needs it, so an expensive or hostile parse
happens under the same deadline and memory limit as the query. A swap to a
new snapshot starts a fork server on it and forks a full set of workers
first, and only then puts them in service, so no query waits for a load.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass

from kg.errors import (Overloaded, QueryCrashed, QueryError, QueryRejected, QuerySyntaxError, QueryTimeout,
                       ResultTooLarge, StoreUnavailable)
from kg.store.forkserver import ForkedWorker, StoreForkServer
from kg.store.snapshot import StoreSnapshot
from kg.store.worker import RESULT_FORMATS, Job

__all__ = ["ExecutorLimits", "Job", "LANES", "QueryExecutor", "RESULT_FORMATS"]

#: the lanes of a pool: user SPARQL, and the service's own canned queries
LANES = ("users", "canned")


@dataclass(frozen=True)
class ExecutorLimits:
    """How queries are bounded."""

    workers: int = max(1, (os.cpu_count() or 2) - 1)  # the users' lane
    canned_workers: int = os.cpu_count() or 2  # the service's own lane: a worker costs little when forked
    deadline: float = 10.0
    memory_bytes: int = 2 * 1024**3
    row_cap: int = 250_000
    result_bytes: int = 16 * 2**20  # a user's result, serialised, at most this large (the web process holds it)
    queue_wait: float = 1.0
    # a worker that has made this much of its memory its own since its fork is replaced by a fresh fork
    recycle_bytes: int = 64 * 2**20
    load_timeout: float = 600.0
    sandbox: bool = True  # cut each worker off the network (kg.store.sandbox)

    def lane_size(self, lane: str) -> int:
        """How many workers serve ``lane``."""
        return self.workers if lane == "users" else self.canned_workers


@dataclass
class _Worker:
    process: ForkedWorker
    lane: str

    @property
    def version(self) -> str:
        return self.process.server.version


class QueryExecutor:
    """Lanes of worker processes forked from one loaded snapshot, swappable with :meth:`swap`."""

    def __init__(self, snapshot: StoreSnapshot, limits: ExecutorLimits | None = None) -> None:
        """Load ``snapshot`` once and fork the workers of every lane.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the snapshot cannot be loaded or the workers cannot be forked.
        """
        self.limits = limits or ExecutorLimits()
        self._snapshot = snapshot
        self._idle: dict[str, queue.Queue[_Worker]] = {lane: queue.Queue() for lane in LANES}
        self._closed = False
        self._swap_lock = threading.Lock()
        self._server: StoreForkServer | None = None
        self._retiring: list[StoreForkServer] = []  # servers of older snapshots, until their last worker ends
        self.isolation = ""  # how the workers are cut off the network, in words (kg.store.sandbox)
        self.isolated = False  # whether they are
        self._fill(snapshot)

    def _fill(self, snapshot: StoreSnapshot) -> None:
        """Load ``snapshot`` in a new fork server, fork every lane's workers, then put them in service."""
        limits = self.limits
        server = StoreForkServer(snapshot.path, snapshot.version, memory_bytes=limits.memory_bytes,
                                 row_cap=limits.row_cap, result_bytes=limits.result_bytes,
                                 recycle_bytes=limits.recycle_bytes, sandbox=limits.sandbox,
                                 load_timeout=limits.load_timeout)
        try:
            starting = [_Worker(server.fork(), lane) for lane in LANES for _ in range(limits.lane_size(lane))]
        except StoreUnavailable:
            server.close()
            raise
        self.isolation, self.isolated = server.isolation, server.isolated
        old, self._server, self._snapshot = self._server, server, snapshot
        for worker in starting:
            self._idle[worker.lane].put(worker)
        for pool in self._idle.values():  # idle on the old snapshot; busy ones retire when they finish
            for worker in _drain(pool):
                if worker.process.server is server:
                    pool.put(worker)
                else:
                    self._retire(worker)
        if old is not None:
            self._retiring.append(old)
            self._close_retired()

    @property
    def snapshot(self) -> StoreSnapshot:
        """The snapshot new queries run against."""
        return self._snapshot

    @property
    def idle_workers(self) -> int:
        """How many users' workers are waiting for a query right now."""
        return self._idle["users"].qsize()

    def worker_pids(self) -> dict[str, int | list[int]]:
        """The fork server's pid and the pids of the idle workers (for tests and the benchmark)."""
        server = self._server
        return {"server": server.process.pid if server else 0,
                "idle": [w.process.pid for pool in self._idle.values() for w in list(pool.queue)]}

    def swap(self, snapshot: StoreSnapshot) -> None:
        """Run new queries on ``snapshot``: its workers are forked first, then swapped in; queries running on
        the old snapshot finish there and their workers are retired.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the new workers cannot load ``snapshot`` (the old ones keep serving).
        """
        if snapshot.version == self._snapshot.version and snapshot.path == self._snapshot.path:
            return
        with self._swap_lock:
            self._fill(snapshot)

    def run(self, job: Job, lane: str = "users") -> tuple[str, bytes]:
        """Evaluate ``job`` in a worker of ``lane`` and return ``(media type, body)``.

        Raises
        ------
        kg.errors.Overloaded
            If no worker of the lane comes free within ``queue_wait`` seconds.
        kg.errors.QueryTimeout
            If the query passes the deadline (its worker is killed).
        kg.errors.QueryCrashed
            If the worker dies while evaluating.
        kg.errors.QuerySyntaxError, kg.errors.ResultTooLarge, kg.errors.QueryError
            As the worker reports them.
        """
        if self._closed:
            raise StoreUnavailable("the query service is shut down")
        worker = self._take(lane)
        try:
            worker.process.conn.send(job)
            if not worker.process.conn.poll(self.limits.deadline):
                self._replace(worker)
                raise QueryTimeout(f"the query ran past the {self.limits.deadline:g} s deadline and was stopped",
                                   retry_after=max(1, round(self.limits.deadline)))
            recycle, reply = worker.process.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise QueryCrashed("the query stopped its worker (memory limit or engine failure)") from exc
        if recycle:  # it has copied too much of the shared store: a fresh fork takes its place
            self._replace(worker)
        elif worker.process.server is self._server:
            self._idle[lane].put(worker)
        else:  # the snapshot was swapped while it ran
            self._retire(worker)
        return _unpack(reply)

    def _take(self, lane: str) -> _Worker:
        """An idle worker of ``lane`` on the current snapshot, waiting at most ``queue_wait`` seconds."""
        deadline = time.monotonic() + self.limits.queue_wait
        pool = self._idle[lane]
        while True:
            try:
                worker = pool.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Overloaded(f"all {self.limits.lane_size(lane)} query workers are busy",
                                 retry_after=1) from None
            if worker.process.server is self._server and worker.process.is_alive():
                return worker
            if worker.process.server is self._server:  # it died while idle: replace it
                self._replace(worker)
            else:
                self._retire(worker)

    def close(self) -> None:
        """Stop every worker and fork server."""
        self._closed = True
        for pool in self._idle.values():
            for worker in _drain(pool):
                self._retire(worker)
        for server in [*self._retiring, *([self._server] if self._server else [])]:
            server.close()
        self._retiring.clear()

    # -- workers ------------------------------------------------------------------
    def _retire(self, worker: _Worker) -> None:
        worker.process.kill()
        self._close_retired()

    def _close_retired(self) -> None:
        for server in [s for s in self._retiring if s.live <= 0]:
            self._retiring.remove(server)
            server.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and fork another in its lane (milliseconds); if the fork server has died, load a
        new one in the background and fork the lanes again from it."""
        self._retire(worker)
        if self._closed or worker.process.server is not self._server:
            return
        try:
            self._idle[worker.lane].put(_Worker(self._server.fork(), worker.lane))
        except StoreUnavailable:
            threading.Thread(target=self._reload, daemon=True).start()

    def _reload(self) -> None:
        with self._swap_lock:
            if self._closed or (self._server is not None and self._server.is_alive()):
                return
            try:
                self._fill(self._snapshot)
            except StoreUnavailable:
                pass  # the next query that finds no worker is refused as overloaded


def _drain(pool: "queue.Queue[_Worker]") -> list[_Worker]:
    taken = []
    while True:
        try:
            taken.append(pool.get_nowait())
        except queue.Empty:
            return taken


def _unpack(reply: tuple) -> tuple[str, bytes]:
    kind = reply[0]
    if kind == "ok":
        return reply[1], reply[2]
    if kind == "syntax":
        raise QuerySyntaxError(reply[1], line=reply[2], column=reply[3])
    if kind == "rejected":
        raise QueryRejected(reply[1])
    if kind == "too_large":
        raise ResultTooLarge(reply[1])
    if kind == "memory":
        raise QueryCrashed(reply[1])
    raise QueryError(reply[1])

"""Evaluating queries in worker processes: a real deadline, a memory limit, a row cap, bounded concurrency.

Threads cannot be stopped, so every query runs in a worker process that loads
the store snapshot into memory. A query past its deadline gets its worker
killed (``SIGKILL``); a worker that dies (memory limit, engine crash) is lost
too. Either way a warm standby worker, already loaded, takes its place at once
and a new standby loads in the background. At most ``workers`` queries run at
once; a request waits up to ``queue_wait`` seconds for a free worker and is
then refused as overloaded.

Each worker cuts itself off the network when it starts (:mod:`kg.store.sandbox`) and
runs the parsed half of the query screen (:func:`kg.sparql.screen.check_parsed`)
before it evaluates a query that needs it, so an expensive or hostile parse
happens under the same deadline and memory limit as the query. A swap to a
new snapshot loads a full set of workers on it first and only then puts them
in service, so no query waits for a load.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kg.model.formats import format_named, formats_holding
from kg.errors import (Overloaded, QueryCrashed, QueryError, QueryRejected, QuerySyntaxError, QueryTimeout,
                     ResultTooLarge, StoreUnavailable)
from kg.sparql.parsed_screen import check_parsed, plain_syntax_message
from kg.store.snapshot import StoreSnapshot

__all__ = ["ExecutorLimits", "Job", "QueryExecutor", "RESULT_FORMATS"]

#: format name -> (media type, applies to "results" (SELECT/ASK) or "graph" (CONSTRUCT/DESCRIBE)), from kg.formats
RESULT_FORMATS: dict[str, tuple[str, str]] = {fmt.name: (fmt.media_type, fmt.holds)
                                              for fmt in formats_holding("results", "graph")}


@dataclass(frozen=True)
class ExecutorLimits:
    """How queries are bounded."""

    workers: int = max(1, (os.cpu_count() or 2) - 1)
    deadline: float = 10.0
    memory_bytes: int = 2 * 1024**3
    row_cap: int = 250_000
    result_bytes: int = 16 * 2**20  # a user's result, serialised, at most this large (the web process holds it)
    queue_wait: float = 1.0
    standby: bool = True  # keep one loaded worker ready to replace a killed one at once
    load_timeout: float = 600.0
    sandbox: bool = True  # cut each worker off the network (kg.store.sandbox)


@dataclass(frozen=True)
class Job:
    """One query to evaluate; picklable, sent to a worker."""

    text: str
    form: str
    fmt: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str = ""
    row_cap: int | None = None  # overrides the executor's cap (canned queries of our own)
    parse: bool = False  # run the parsed check (kg.sparql.screen.check_parsed) in the worker before evaluating


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    version: str
    isolation: str = ""
    isolated: bool = False


class QueryExecutor:
    """A pool of worker processes over one store snapshot, swappable with :meth:`swap`."""

    def __init__(self, snapshot: StoreSnapshot, limits: ExecutorLimits | None = None) -> None:
        self.limits = limits or ExecutorLimits()
        self._snapshot = snapshot
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._standby: queue.Queue[_Worker] = queue.Queue()
        self._swap_lock = threading.Lock()
        self.isolation = ""  # how the workers are cut off the network, in words (kg.store.sandbox)
        self.isolated = False  # whether they are
        self._fill(snapshot)

    def _fill(self, snapshot: StoreSnapshot) -> None:
        """Load a full set of workers (and the standby) on ``snapshot``, then put them in service."""
        starting = [self._spawn(snapshot) for _ in range(self.limits.workers + int(self.limits.standby))]
        try:
            for worker in starting:
                self._await_ready(worker)
        except StoreUnavailable:
            for worker in starting:
                self._retire(worker)
            raise
        self.isolation, self.isolated = starting[0].isolation, starting[0].isolated
        self._snapshot = snapshot  # from here on, a worker of the old snapshot is retired when it is taken
        for index, worker in enumerate(starting):
            (self._idle if index < self.limits.workers else self._standby).put(worker)
        for pool in (self._idle, self._standby):  # idle on the old snapshot; busy ones retire when they finish
            for worker in _drain(pool):
                if worker.version == snapshot.version:
                    pool.put(worker)
                else:
                    self._retire(worker)

    @property
    def snapshot(self) -> StoreSnapshot:
        """The snapshot new queries run against."""
        return self._snapshot

    @property
    def idle_workers(self) -> int:
        """How many workers are waiting for a query right now."""
        return self._idle.qsize()

    def swap(self, snapshot: StoreSnapshot) -> None:
        """Run new queries on ``snapshot``: its workers are loaded first, then swapped in; queries running on
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

    def run(self, job: Job) -> tuple[str, bytes]:
        """Evaluate ``job`` and return ``(media type, body)``.

        Raises
        ------
        kg.errors.Overloaded
            If no worker comes free within ``queue_wait`` seconds.
        kg.errors.QueryTimeout
            If the query passes the deadline (its worker is killed).
        kg.errors.QueryCrashed
            If the worker dies while evaluating.
        kg.errors.QuerySyntaxError, kg.errors.ResultTooLarge, kg.errors.QueryError
            As the worker reports them.
        """
        if self._closed:
            raise StoreUnavailable("the query service is shut down")
        worker = self._take()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.limits.deadline):
                self._retire(worker)
                self._replace()
                raise QueryTimeout(f"the query ran past the {self.limits.deadline:g} s deadline and was stopped",
                                   retry_after=max(1, round(self.limits.deadline)))
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._retire(worker)
            self._replace()
            raise QueryCrashed("the query stopped its worker (memory limit or engine failure)") from exc
        if worker.version == self._snapshot.version:
            self._idle.put(worker)
        else:  # the snapshot was swapped while it ran
            self._retire(worker)
        return _unpack(reply)

    def _take(self) -> _Worker:
        """An idle worker on the current snapshot, waiting at most ``queue_wait`` seconds."""
        deadline = time.monotonic() + self.limits.queue_wait
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Overloaded(f"all {self.limits.workers} query workers are busy", retry_after=1) from None
            if worker.version == self._snapshot.version and worker.process.is_alive():
                return worker
            self._retire(worker)
            if worker.version == self._snapshot.version:  # it died while idle: replace it
                self._replace()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for pool in (self._idle, self._standby):
            while True:
                try:
                    self._retire(pool.get_nowait())
                except queue.Empty:
                    break

    # -- workers ------------------------------------------------------------------
    def _spawn(self, snapshot: StoreSnapshot | None = None) -> _Worker:
        parent, child = self._context.Pipe()
        snapshot = snapshot or self._snapshot
        process = self._context.Process(target=_worker_main, daemon=True,
                                        args=(child, snapshot.path, self.limits.memory_bytes,
                                              self.limits.row_cap, self.limits.sandbox, self.limits.result_bytes))
        process.start()
        child.close()
        return _Worker(process, parent, snapshot.version)

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(self.limits.load_timeout):
            self._retire(worker)
            raise StoreUnavailable("a query worker did not finish loading the store")
        try:
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._retire(worker)
            raise StoreUnavailable("a query worker could not load the store") from exc
        if reply[0] != "ready":
            self._retire(worker)
            raise StoreUnavailable(f"a query worker could not load the store: {reply[-1]}")
        worker.isolation, worker.isolated = reply[1], reply[2]

    def _replace(self) -> None:
        """Put the standby in service at once, if there is one, and load a new worker in the background."""
        try:
            promoted = self._standby.get_nowait()
        except queue.Empty:
            promoted = None
        if promoted is not None:
            self._idle.put(promoted)

        def load() -> None:
            if self._closed:
                return
            worker = self._spawn()
            try:
                self._await_ready(worker)
            except StoreUnavailable:
                return
            if worker.version != self._snapshot.version:  # swapped while it loaded: the swap brought its own
                self._retire(worker)
                return
            (self._standby if promoted is not None else self._idle).put(worker)
        threading.Thread(target=load, daemon=True).start()


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


# -- inside the worker process ----------------------------------------------------

def _worker_main(conn: Connection, store_path: str, memory_bytes: int, row_cap: int, sandbox: bool,
                 result_bytes: int) -> None:
    """Cut this process off the network, load the store into memory and answer jobs until the pipe closes."""
    import logging
    import os
    import resource

    from kg.store.sandbox import isolate_network

    network = isolate_network() if sandbox else None
    isolation = network.describe() if network else "off (worker_sandbox is false)"

    # A dying worker must die at once: a Rust backtrace (printed when RUST_BACKTRACE is set)
    # can take seconds to symbolise and would run past the deadline.
    os.environ["RUST_BACKTRACE"] = "0"
    os.environ["RUST_LIB_BACKTRACE"] = "0"

    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from kg.store.snapshot import load_in_memory

    try:
        store = load_in_memory(store_path)
    except (StoreUnavailable, MemoryError) as exc:
        conn.send(("error", f"cannot load the store: {exc}"))
        return
    import rdflib.plugins.sparql.results.jsonresults  # noqa: F401  warm up the writers before the first job
    import rdflib.plugins.sparql.results.xmlresults  # noqa: F401
    import rdflib.plugins.sparql.results.csvresults  # noqa: F401
    graphs = frozenset(graph.value for graph in store.named_graphs())
    conn.send(("ready", isolation, bool(network and network.isolated)))
    log = logging.getLogger("seikg.worker")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            media_type, body = _evaluate(store, job, job.row_cap or row_cap, graphs)
            if job.row_cap is None and len(body) > result_bytes:  # a user's query: bounded in bytes as well
                raise _TooLarge(f"the result is {len(body) / 2**20:.1f} MiB; the limit is {result_bytes / 2**20:g} "
                                "MiB; narrow the query or add a LIMIT")
            reply = ("ok", media_type, body)
        except QuerySyntaxError as exc:
            reply = ("syntax", str(exc), exc.line, exc.column)
        except QueryRejected as exc:
            reply = ("rejected", str(exc))
        except SyntaxError as exc:
            reply = ("syntax", *plain_syntax_message(str(exc), job.text))
        except _TooLarge as exc:
            reply = ("too_large", str(exc))
        except (MemoryError, RecursionError):
            reply = ("memory", "the query went over the worker's memory or depth limit")
        except Exception as exc:  # an evaluation error of the engine: our words to the client, its words to the log
            log.warning("the engine could not evaluate a query: %s", exc)
            reply = ("error", "the query could not be evaluated (the engine stopped on an error in it)")
        conn.send(reply)


class _TooLarge(Exception):
    pass


def _evaluate(store: object, job: Job, row_cap: int, graphs: frozenset[str]) -> tuple[str, bytes]:
    import pyoxigraph as ox

    default_graphs, named_graphs = job.default_graphs, job.named_graphs
    if job.parse:
        parsed = check_parsed(job.text, form=job.form, allowed_graphs=graphs, base_iri=job.base_iri)
        if default_graphs is None and named_graphs is None and (parsed.from_graphs or parsed.from_named_graphs):
            default_graphs, named_graphs = parsed.from_graphs, parsed.from_named_graphs
    kwargs: dict[str, object] = {"base_iri": job.base_iri or None}
    if default_graphs is None and named_graphs is None:
        kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()] or ox.DefaultGraph()
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
    result = store.query(job.text, **kwargs)  # type: ignore[attr-defined]
    read = ("CONSTRUCT/DESCRIBE" if isinstance(result, ox.QueryTriples)
            else "ASK" if isinstance(result, ox.QueryBoolean) else "SELECT")
    if job.form not in read.split("/"):
        raise QueryRejected(f"the engine read the query as {read}, not as the {job.form} the screen read; "
                            "it is refused rather than guessed at")
    media_type = RESULT_FORMATS[job.fmt][0]
    if isinstance(result, ox.QueryBoolean):
        return media_type, result.serialize(format=format_named(job.fmt).oxigraph_format())
    if isinstance(result, ox.QueryTriples):
        triples = list(itertools.islice(result, row_cap + 1))
        if len(triples) > row_cap:
            raise _TooLarge(f"the result has more than {row_cap} triples; narrow the query or add a LIMIT")
        return media_type, ox.serialize(triples, format=format_named(job.fmt).oxigraph_format())
    if sum(1 for _ in itertools.islice(result, row_cap + 1)) > row_cap:  # counted, not kept
        raise _TooLarge(f"the result has more than {row_cap} rows; narrow the query or add a LIMIT")
    # evaluated again and written by Oxigraph's own writers: for 100,000 rows a tenth of a second against
    # rdflib's several seconds (bench/result_writers_bench.py), and the rows are never held as Python objects
    again = store.query(job.text, **kwargs)  # type: ignore[attr-defined]
    return media_type, again.serialize(format=format_named(job.fmt).oxigraph_format())



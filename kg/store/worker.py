"""Inside a query worker: the jobs it is sent, how it evaluates them and what it answers.

A worker is a process forked from the one that loaded the store
(:mod:`kg.store.forkserver`), so it reads the store's pages without a copy
of its own. It answers one job at a time over its pipe until the pipe closes;
the web process enforces the deadline by killing it.
"""
from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kg.errors import QueryRejected, QuerySyntaxError
from kg.model.formats import format_named, formats_holding
from kg.sparql.parsed_screen import check_parsed, plain_syntax_message
from kg.sparql.planner_aid import move_optionals_last

__all__ = ["Job", "RESULT_FORMATS", "serve_jobs"]

#: format name -> (media type, applies to "results" (SELECT/ASK) or "graph" (CONSTRUCT/DESCRIBE)), from kg.formats
RESULT_FORMATS: dict[str, tuple[str, str]] = {fmt.name: (fmt.media_type, fmt.holds)
                                              for fmt in formats_holding("results", "graph")}


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


class _TooLarge(Exception):
    pass


def serve_jobs(conn: Connection, store: object, *, row_cap: int, result_bytes: int, recycle_bytes: int) -> None:
    """Answer the jobs sent over ``conn`` with ``store`` until the pipe closes.

    Every answer is ``(recycle, reply)``. The reply is a tuple whose first item says what it is:
    ``("ok", media type, body)``, or one of ``syntax``, ``rejected``, ``too_large``, ``memory`` and ``error``
    with the words for the client. ``recycle`` is true once this process holds more than ``recycle_bytes``
    of memory of its own (pages of the shared store it wrote to, Oxigraph's reference counts among them,
    and its own allocations), so that the pool replaces it with a fresh fork rather than let the copies
    grow. Its own memory is read from /proc only when its page faults since the last reading could have
    brought it to the limit (a page becomes its own only by a fault), so most queries pay nothing for it.

    Raises nothing: an evaluation error becomes a reply, a closed pipe ends the loop.
    """
    import resource

    log = logging.getLogger("seikg.worker")
    page = resource.getpagesize()
    check_at = recycle_bytes  # bytes of page faults at which its own memory is read next
    graphs = frozenset(graph.value for graph in store.named_graphs())  # type: ignore[attr-defined]
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:  # a user's query is bounded in bytes as well as in rows
            media_type, body = _evaluate(store, job, job.row_cap or row_cap, graphs,
                                         result_bytes if job.row_cap is None else None)
            reply: tuple = ("ok", media_type, body)
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
        recycle = False
        faulted = resource.getrusage(resource.RUSAGE_SELF).ru_minflt * page
        if faulted > check_at:
            own = _own_memory()
            recycle = own is None or own > recycle_bytes
            check_at = faulted + recycle_bytes - (own or 0)
        try:
            conn.send((recycle, reply))
        except (EOFError, OSError):
            return


def _own_memory() -> int | None:
    """This process's private memory in bytes (its pages no other process maps), or None where /proc
    cannot say."""
    try:
        with open("/proc/self/smaps_rollup", "rb") as rollup:
            lines = rollup.read().splitlines()
    except OSError:
        return None
    kib = [int(line.split()[1]) for line in lines if line.startswith((b"Private_Clean:", b"Private_Dirty:"))]
    return sum(kib) * 1024 if kib else None


class _BoundedOutput:
    """A file for Oxigraph's serialisers that refuses to grow past ``limit`` bytes (None: no limit), so that a
    result too large is stopped while it is written, not after."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            raise _TooLarge(f"the result is over the {self.limit / 2**20:g} MiB limit; narrow the query or add "
                            "a LIMIT")
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the parts are joined at the end."""

    def value(self) -> bytes:
        return b"".join(self.parts)


def _evaluate(store: object, job: Job, row_cap: int, graphs: frozenset[str],
              byte_cap: int | None) -> tuple[str, bytes]:
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
    text = move_optionals_last(job.text)  # the same query, in the order Oxigraph plans well (kg.sparql.planner_aid)
    try:
        result = store.query(text, **kwargs)  # type: ignore[attr-defined]
    except SyntaxError:
        if text == job.text:
            raise
        text = job.text  # not a query after all: the error is reported as the user wrote it
        result = store.query(text, **kwargs)  # type: ignore[attr-defined]
    read = ("CONSTRUCT/DESCRIBE" if isinstance(result, ox.QueryTriples)
            else "ASK" if isinstance(result, ox.QueryBoolean) else "SELECT")
    if job.form not in read.split("/"):
        raise QueryRejected(f"the engine read the query as {read}, not as the {job.form} the screen read; "
                            "it is refused rather than guessed at")
    media_type = RESULT_FORMATS[job.fmt][0]
    if isinstance(result, ox.QueryBoolean):
        return media_type, result.serialize(format=format_named(job.fmt).oxigraph_format())
    output = _BoundedOutput(byte_cap)
    if isinstance(result, ox.QueryTriples):
        triples = list(itertools.islice(result, row_cap + 1))
        if len(triples) > row_cap:
            raise _TooLarge(f"the result has more than {row_cap} triples; narrow the query or add a LIMIT")
        ox.serialize(triples, output, format=format_named(job.fmt).oxigraph_format())
        return media_type, output.value()
    # written once by Oxigraph's own writers (for 100,000 rows a tenth of a second against rdflib's several
    # seconds, bench/result_writers_bench.py; the rows are never Python objects). Every row takes at least a
    # byte in every results format (TSV's shortest row is its line end), so only a result longer than the row
    # cap in bytes can hold more rows than the cap: only then is the query evaluated again to count them.
    result.serialize(output, format=format_named(job.fmt).oxigraph_format())
    if output.size > row_cap and sum(1 for _ in itertools.islice(
            store.query(text, **kwargs), row_cap + 1)) > row_cap:  # type: ignore[attr-defined]
        raise _TooLarge(f"the result has more than {row_cap} rows; narrow the query or add a LIMIT")
    return media_type, output.value()

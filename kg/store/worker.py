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
    with the words for the client. ``recycle`` is true once this process has made more than
    ``recycle_bytes`` of memory its own since it was forked (its page faults: pages of the shared store it
    wrote to, Oxigraph's reference counts among them, and its own allocations), so that the pool replaces
    it with a fresh fork rather than let the copies grow.

    Raises nothing: an evaluation error becomes a reply, a closed pipe ends the loop.
    """
    import resource

    log = logging.getLogger("seikg.worker")
    page = resource.getpagesize()
    graphs = frozenset(graph.value for graph in store.named_graphs())  # type: ignore[attr-defined]
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
        recycle = resource.getrusage(resource.RUSAGE_SELF).ru_minflt * page > recycle_bytes
        try:
            conn.send((recycle, reply))
        except (EOFError, OSError):
            return


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
    if isinstance(result, ox.QueryTriples):
        triples = list(itertools.islice(result, row_cap + 1))
        if len(triples) > row_cap:
            raise _TooLarge(f"the result has more than {row_cap} triples; narrow the query or add a LIMIT")
        return media_type, ox.serialize(triples, format=format_named(job.fmt).oxigraph_format())
    if sum(1 for _ in itertools.islice(result, row_cap + 1)) > row_cap:  # counted, not kept
        raise _TooLarge(f"the result has more than {row_cap} rows; narrow the query or add a LIMIT")
    # evaluated again and written by Oxigraph's own writers: for 100,000 rows a tenth of a second against
    # rdflib's several seconds (bench/result_writers_bench.py), and the rows are never held as Python objects
    again = store.query(text, **kwargs)  # type: ignore[attr-defined]
    return media_type, again.serialize(format=format_named(job.fmt).oxigraph_format())

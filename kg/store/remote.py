"""A remote SPARQL 1.1 endpoint as the store, for graphs that outgrow one machine.

Queries reach it only after the same screen as the embedded store (read-only,
no SERVICE, FROM only among the endpoint's graphs). The deadline is the HTTP
timeout, concurrency is bounded by a semaphore, and the row cap is enforced by
counting the endpoint's answer (SPARQL JSON or N-Triples) before it is
converted to the requested format.
"""
from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from kg.errors import Overloaded, QueryError, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreUnavailable
from kg.store.embedded import LANES, RESULT_FORMATS, ExecutorLimits, Job
from kg.model.formats import format_named
from kg.sparql.parsed_screen import check_parsed
from kg.store.snapshot import StoreSnapshot

log = logging.getLogger("seikg.store")

__all__ = ["FETCH_PAGE", "RECORD_PREDICATE", "RemoteExecutor", "UNRECORDED", "describe_remote", "fetch_graphs"]

_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _post(endpoint: str, query: str, accept: str, timeout: float, params: list[tuple[str, str]] = ()) -> bytes:
    body = urllib.parse.urlencode([("query", query), *params]).encode("utf-8")
    request = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept, "User-Agent": "seikg"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured store
        return response.read()


def _select(endpoint: str, query: str, timeout: float) -> list[dict]:
    try:
        return json.loads(_post(endpoint, query, "application/sparql-results+json", timeout))["results"]["bindings"]
    except (OSError, ValueError, KeyError) as exc:
        raise StoreUnavailable(f"the remote store {endpoint} does not answer: {exc}") from exc


#: the version of a remote store none of whose graphs ``seikg load --into`` recorded
UNRECORDED = "remote"
#: the predicate of the load record (kg.store.gsp.record_load): the hash of the file loaded
RECORD_PREDICATE = "http://purl.org/dc/terms/identifier"


def describe_remote(endpoint: str, *, timeout: float = 30.0, record_graph: str | None = None) -> StoreSnapshot:
    """What the endpoint holds: its named graphs and quad count, as a snapshot record; its version is the one
    ``seikg load --into`` recorded in ``record_graph`` (the hash of the file it loaded), else
    :data:`UNRECORDED`.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the endpoint does not answer, or does not speak SPARQL JSON results.
    """
    names = tuple(sorted(b["g"]["value"] for b in _select(endpoint, _GRAPHS, timeout)))
    quads = int(_select(endpoint, _COUNT, timeout)[0]["n"]["value"])
    version = UNRECORDED
    if record_graph is not None and record_graph in names:
        rows = _select(endpoint, f"SELECT ?v WHERE {{ GRAPH <{record_graph}> {{ <{record_graph}> "
                                 f"<{RECORD_PREDICATE}> ?v }} }}", timeout)
        found = {row["v"]["value"] for row in rows}
        if len(found) == 1:  # two records: someone else wrote there; the version is not known
            version = found.pop()
    return StoreSnapshot(endpoint, version, names, quads, datetime.now(timezone.utc).isoformat(timespec="seconds"))


class RemoteExecutor:
    """Runs screened queries on a remote endpoint within the same limits as the worker pool."""

    def __init__(self, snapshot: StoreSnapshot, limits: ExecutorLimits | None = None) -> None:
        self.limits = limits or ExecutorLimits()
        self._snapshot = snapshot
        self._slots = {lane: threading.BoundedSemaphore(self.limits.lane_size(lane)) for lane in LANES}

    @property
    def snapshot(self) -> StoreSnapshot:
        """What the endpoint held when last described."""
        return self._snapshot

    def swap(self, snapshot: StoreSnapshot) -> None:
        """Use a fresh description of the endpoint."""
        self._snapshot = snapshot

    def close(self) -> None:
        """Nothing to stop: the endpoint is not ours."""

    def run(self, job: Job, lane: str = "users") -> tuple[str, bytes]:
        """Evaluate ``job`` on the endpoint, in one of ``lane``'s slots, and return ``(media type, body)``.

        Raises
        ------
        kg.errors.Overloaded, kg.errors.QueryTimeout, kg.errors.QuerySyntaxError,
        kg.errors.ResultTooLarge, kg.errors.StoreUnavailable
            Mapped from the endpoint's answer.
        """
        slots = self._slots[lane]
        if not slots.acquire(timeout=self.limits.queue_wait):
            raise Overloaded(f"all {self.limits.lane_size(lane)} query slots are busy", retry_after=1)
        try:
            return self._run(job)
        finally:
            slots.release()

    def _run(self, job: Job) -> tuple[str, bytes]:
        if job.parse:  # the parsed half of the screen, here in the web process: the remote store is not ours
            check_parsed(job.text, form=job.form, allowed_graphs=self._snapshot.graph_set, base_iri=job.base_iri)
        graph = RESULT_FORMATS[job.fmt][1] == "graph"
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        params = [("default-graph-uri", g) for g in job.default_graphs or ()]
        params += [("named-graph-uri", g) for g in job.named_graphs or ()]
        cap = job.row_cap or self.limits.row_cap
        try:
            body = _post(self._snapshot.path, job.text, accept, self.limits.deadline, params)
        except urllib.error.HTTPError as exc:
            if exc.code == 400:
                log.warning("the remote store refused a query as invalid: %s; the query: %s",
                            exc.read()[:500].decode("utf-8", "replace"), job.text[:3000])
                raise QuerySyntaxError("the remote store refused the query as invalid") from exc
            raise StoreUnavailable(f"the remote store answered {exc.code}") from exc
        except OSError as exc:  # urllib reports a read timeout as TimeoutError or as URLError("timed out")
            if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                raise QueryTimeout(f"the query ran past the {self.limits.deadline:g} s deadline",
                                   retry_after=max(1, round(self.limits.deadline))) from exc
            raise StoreUnavailable(f"the remote store does not answer: {exc}") from exc
        return _convert(body, job.fmt, graph, cap)


def _convert(body: bytes, fmt: str, graph: bool, cap: int) -> tuple[str, bytes]:
    import pyoxigraph as ox

    media_type = RESULT_FORMATS[fmt][0]
    if graph:
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        if len(triples) > cap:
            raise ResultTooLarge(f"the result has more than {cap} triples; narrow the query or add a LIMIT")
        return media_type, ox.serialize(triples, format=format_named(fmt).oxigraph_format())
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise QueryError("the remote store's answer is not SPARQL JSON results") from exc
    rows = data.get("results", {}).get("bindings", [])
    if len(rows) > cap:
        raise ResultTooLarge(f"the result has more than {cap} rows; narrow the query or add a LIMIT")
    if fmt == "json":
        return media_type, body
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    formats = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
    return media_type, results.serialize(format=formats[fmt])


#: triples per request when :func:`fetch_graphs` reads a large predicate in parts
FETCH_PAGE = 500_000


def _hash_parts(count: int, page: int) -> list[str]:
    """Filters that split ``count`` triples into parts of about ``page`` or fewer, by the first hex digits
    of the subject's MD5: as few parts as will do (each part is one scan of the predicate in the store),
    with room for an uneven split."""
    parts = 1
    while parts < count * 1.5 / page:
        parts *= 2
    digits = 1 if parts <= 16 else 2 if parts <= 256 else 3
    prefixes = [format(i, f"0{digits}x") for i in range(16**digits)]
    size = len(prefixes) // parts
    groups = [prefixes[i:i + size] for i in range(0, len(prefixes), size)]
    return [f"SUBSTR(MD5(STR(?s)), 1, {digits}) IN (" + ", ".join(f'"{p}"' for p in group) + ")" for group in groups]


def fetch_graphs(endpoint: str, graphs: Iterable[str], target: Path, *, timeout: float = 600.0,
                 page: int = FETCH_PAGE) -> int:
    """Copy the named ``graphs`` of the endpoint into ``target`` as N-Triples, one CONSTRUCT per graph and
    predicate, each checked against its count so that a store's result cap cannot silently truncate it.
    A predicate with more than ``page`` triples is read in parts by the MD5 hash of the subject (2, 4, ...
    parts: Virtuoso refuses a result of more than a million rows, and an ORDER BY page past 10,000 rows).

    Returns the number of triples written.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the endpoint does not answer, or returns fewer triples than the graph holds.
    """
    import pyoxigraph as ox

    def iri(value: str) -> str:
        return "<" + value.replace(">", "%3E") + ">"

    written = 0
    with Path(target).open("wb") as out:
        for graph in graphs:
            counts = _select(endpoint, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }} "
                                       "GROUP BY ?p", timeout)
            for row in counts:
                predicate, expected = row["p"]["value"], int(row["n"]["value"])
                pattern = f"?s {iri(predicate)} ?o"
                query = f"CONSTRUCT {{ {pattern} }} WHERE {{ GRAPH {iri(graph)} {{ {pattern} }} }}"
                pages = [query] if expected <= page else [
                    f"CONSTRUCT {{ {pattern} }} WHERE {{ GRAPH {iri(graph)} {{ {pattern} FILTER ({part}) }} }}"
                    for part in _hash_parts(expected, page)]
                triples = []
                for text in pages:
                    try:
                        body = _post(endpoint, text, "application/n-triples", timeout)
                    except urllib.error.HTTPError as exc:
                        said = exc.read()[:300].decode("utf-8", "replace").strip()
                        raise StoreUnavailable(f"the remote store {endpoint} refused to return {graph} with "
                                               f"predicate {predicate}: HTTP {exc.code}: {said}") from exc
                    except OSError as exc:
                        raise StoreUnavailable(f"the remote store {endpoint} does not answer: {exc}") from exc
                    triples += ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                triples = list(dict.fromkeys(triples))  # pages that overlapped would show as fewer triples
                if len(triples) < expected:
                    raise StoreUnavailable(f"the remote store returned {len(triples)} of the {expected} triples of "
                                           f"{graph} with predicate {predicate} (a result-size cap, such as "
                                           "Virtuoso's ResultSetMaxRows?)")
                out.write(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
                written += len(triples)
    return written

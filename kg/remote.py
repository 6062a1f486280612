"""A remote SPARQL 1.1 endpoint as the store, for graphs that outgrow one machine.

Queries reach it only after the same screen as the embedded store (read-only,
no SERVICE, FROM only among the endpoint's graphs). The deadline is the HTTP
timeout, concurrency is bounded by a semaphore, and the row cap is enforced by
counting the endpoint's answer (SPARQL JSON or N-Triples) before it is
converted to the requested format.
"""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

from .errors import Overloaded, QueryError, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreUnavailable
from .executor import RESULT_FORMATS, ExecutorLimits, Job
from .store import StoreSnapshot

__all__ = ["RemoteExecutor", "describe_remote"]

_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _post(endpoint: str, query: str, accept: str, timeout: float, params: list[tuple[str, str]] = ()) -> bytes:
    body = urllib.parse.urlencode([("query", query), *params]).encode("utf-8")
    request = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept, "User-Agent": "seikg"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured store
        return response.read()


def describe_remote(endpoint: str, *, timeout: float = 30.0) -> StoreSnapshot:
    """What the endpoint holds: its named graphs and quad count, as a snapshot record.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the endpoint does not answer, or does not speak SPARQL JSON results.
    """
    try:
        graphs = json.loads(_post(endpoint, _GRAPHS, "application/sparql-results+json", timeout))
        count = json.loads(_post(endpoint, _COUNT, "application/sparql-results+json", timeout))
    except (OSError, ValueError) as exc:
        raise StoreUnavailable(f"the remote store {endpoint} does not answer: {exc}") from exc
    names = tuple(sorted(b["g"]["value"] for b in graphs["results"]["bindings"]))
    quads = int(count["results"]["bindings"][0]["n"]["value"])
    return StoreSnapshot(endpoint, "remote", names, quads, datetime.now(timezone.utc).isoformat(timespec="seconds"))


class RemoteExecutor:
    """Runs screened queries on a remote endpoint within the same limits as the worker pool."""

    def __init__(self, snapshot: StoreSnapshot, limits: ExecutorLimits | None = None) -> None:
        self.limits = limits or ExecutorLimits()
        self._snapshot = snapshot
        self._slots = threading.BoundedSemaphore(self.limits.workers)

    @property
    def snapshot(self) -> StoreSnapshot:
        """What the endpoint held when last described."""
        return self._snapshot

    def swap(self, snapshot: StoreSnapshot) -> None:
        """Use a fresh description of the endpoint."""
        self._snapshot = snapshot

    def close(self) -> None:
        """Nothing to stop: the endpoint is not ours."""

    def run(self, job: Job) -> tuple[str, bytes]:
        """Evaluate ``job`` on the endpoint and return ``(media type, body)``.

        Raises
        ------
        kg.errors.Overloaded, kg.errors.QueryTimeout, kg.errors.QuerySyntaxError,
        kg.errors.ResultTooLarge, kg.errors.StoreUnavailable
            Mapped from the endpoint's answer.
        """
        if not self._slots.acquire(timeout=self.limits.queue_wait):
            raise Overloaded(f"all {self.limits.workers} query slots are busy", retry_after=1)
        try:
            return self._run(job)
        finally:
            self._slots.release()

    def _run(self, job: Job) -> tuple[str, bytes]:
        graph = RESULT_FORMATS[job.fmt][1] == "graph"
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        params = [("default-graph-uri", g) for g in job.default_graphs or ()]
        params += [("named-graph-uri", g) for g in job.named_graphs or ()]
        cap = job.row_cap or self.limits.row_cap
        try:
            body = _post(self._snapshot.path, job.text, accept, self.limits.deadline, params)
        except urllib.error.HTTPError as exc:
            if exc.code == 400:
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
        formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                   "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
        return media_type, ox.serialize(triples, format=formats[fmt])
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

"""What a store must do for the query service, and the two stores that do it.

The service (:mod:`kg.runtime`) holds one :class:`Backend` and never asks which
kind it is: the embedded store builds a snapshot and serves it from sandboxed
worker processes; the remote store describes a SPARQL endpoint and sends it the
same screened jobs. Choosing one is :func:`backend_for` (``settings.store``).
"""
from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from kg.config import Settings
from kg.model.iris import graph_iri
from kg.store.embedded import ExecutorLimits, Job, QueryExecutor
from kg.store.remote import UNRECORDED, RemoteExecutor, describe_remote, fetch_graphs
from kg.store.snapshot import StoreSnapshot, build_snapshot_in_child

__all__ = ["Backend", "EmbeddedBackend", "Executor", "RemoteBackend", "backend_for", "load_record_graph",
           "remote_analyses_dir"]

log = logging.getLogger("seikg.service")


class Executor(Protocol):
    """Runs screened jobs within limits over one snapshot (a worker pool, or a remote endpoint)."""

    limits: ExecutorLimits

    def run(self, job: Job, lane: str = "users") -> tuple[str, bytes]:
        """The media type and body of ``job``'s answer, run in ``lane`` (one of ``kg.store.embedded.LANES``)."""

    def swap(self, snapshot: StoreSnapshot) -> None:
        """Serve ``snapshot`` from now on."""

    def close(self) -> None:
        """Stop whatever serves the queries."""


class Backend(Protocol):
    """A store: where a snapshot comes from, who runs queries on it and how it can be read whole."""

    #: what ``/status`` calls the store
    kind: str
    #: the endpoint's URL, or None for a store of our own
    endpoint: str | None
    #: whether the analysis results can be added to the store as a named graph
    holds_analysis_graph: bool
    #: whether a graph that cannot be read whole for analysis is still served (the analyses say why not)
    analyses_optional: bool

    def open(self) -> StoreSnapshot:
        """A fresh snapshot (built and validated, or an endpoint described).

        Raises kg.errors.SeikgError if it cannot be had."""

    def graph_file(self, snapshot: StoreSnapshot) -> "contextmanager[Path]":
        """A context giving the snapshot's graphs as a file, to project for the analyses.

        Raises kg.errors.StoreUnavailable or OSError if they cannot be read."""

    def executor(self, snapshot: StoreSnapshot, limits: ExecutorLimits) -> Executor:
        """The executor of user queries and of the service's own queries (each in a lane of its own).

        Raises kg.errors.StoreUnavailable if it cannot start."""

    def sandbox(self, executor: Executor | None) -> dict[str, object]:
        """Whether queries run cut off the network, and how (plain data for ``/status``)."""

    def analyses_dir(self, snapshot: StoreSnapshot) -> Path | None:
        """Where the analyses of ``snapshot`` are kept between starts, or None where they are not kept."""


class EmbeddedBackend:
    """Oxigraph in memory, in worker processes without network, over a snapshot built from ``data/``."""

    kind = "oxigraph (embedded, in memory)"
    endpoint = None
    holds_analysis_graph = True
    analyses_optional = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def open(self) -> StoreSnapshot:
        """Build and validate a snapshot in a child process, within ``settings.reload_deadline``.

        Raises
        ------
        kg.errors.SeikgError
            If the data does not build or validate, or the build runs past the deadline.
        """
        return build_snapshot_in_child(self.settings, deadline=self.settings.reload_deadline)

    @contextmanager
    def graph_file(self, snapshot: StoreSnapshot) -> Iterator[Path]:
        """The snapshot's own N-Quads file."""
        yield Path(snapshot.path)

    def analyses_dir(self, snapshot: StoreSnapshot) -> Path | None:
        """The snapshot's directory: it is named by the graph's hash."""
        return Path(snapshot.path).parent

    def executor(self, snapshot: StoreSnapshot, limits: ExecutorLimits) -> Executor:
        """Worker processes forked from one process holding the graph in memory, in a lane for users and one
        for the service's own queries.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the snapshot cannot be loaded or the workers forked.
        """
        executor = QueryExecutor(snapshot, limits)
        if not executor.isolated:
            log.warning("query workers are not cut off the network: %s", executor.isolation)
        return executor

    def sandbox(self, executor: Executor | None) -> dict[str, object]:
        """What the workers reported when they started."""
        if not isinstance(executor, QueryExecutor):
            return {"isolated": None, "layers": "not known until the workers have started"}
        return {"isolated": executor.isolated, "layers": executor.isolation}


class RemoteBackend:
    """A remote SPARQL 1.1 endpoint (``settings.store``), asked the same screened jobs."""

    kind = "remote SPARQL endpoint"
    holds_analysis_graph = False
    analyses_optional = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint: str | None = settings.store
        # describing or reading the store scans it, and several web workers do it at once
        self._timeout = max(60.0, settings.query_deadline)

    def open(self) -> StoreSnapshot:
        """Describe the endpoint: its graphs and size.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the endpoint does not answer.
        """
        return describe_remote(self.settings.store, timeout=self._timeout, record_graph=load_record_graph(self.settings))

    @contextmanager
    def graph_file(self, snapshot: StoreSnapshot) -> Iterator[Path]:
        """The endpoint's seikg graphs, fetched page by page into a temporary file.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the endpoint cannot be read whole.
        """
        graphs = [g for g in snapshot.graphs if g.startswith(self.settings.base_iri)
                  and g != load_record_graph(self.settings)]
        self.settings.store_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f"remote.{os.getpid()}.", suffix=".nt", dir=self.settings.store_dir)
        os.close(handle)
        target = Path(name)
        try:
            fetch_graphs(self.settings.store, graphs, target, timeout=self._timeout)
            yield target
        finally:
            target.unlink(missing_ok=True)

    def analyses_dir(self, snapshot: StoreSnapshot) -> Path | None:
        """Where ``seikg load --into`` stored the analyses of the graph it loaded, when the store says which
        version it holds (its load record); None otherwise: an endpoint's size says nothing of whether its
        graph has changed, so its analyses are computed by reading it whole."""
        return None if snapshot.version == UNRECORDED else remote_analyses_dir(self.settings)

    def executor(self, snapshot: StoreSnapshot, limits: ExecutorLimits) -> Executor:
        """Threads waiting on the endpoint, in the same lanes as the embedded store's workers."""
        return RemoteExecutor(snapshot, limits)

    def sandbox(self, executor: Executor | None) -> dict[str, object]:
        """Not ours to say: the endpoint runs the queries."""
        return {"isolated": False, "layers": "not applicable: queries run on the remote store"}


def load_record_graph(settings: Settings) -> str:
    """The named graph in which ``seikg load --into`` records the version of the graph it loaded."""
    return graph_iri(settings.base_iri, "load")


def remote_analyses_dir(settings: Settings) -> Path:
    """Where the analyses of graphs loaded into a remote store are kept (``seikg load --into`` writes them;
    every web worker serving that store reads them), under the store directory they share."""
    return settings.store_dir / "remote-analyses"


def backend_for(settings: Settings) -> Backend:
    """The store ``settings.store`` names: ``embedded`` or a remote endpoint's URL."""
    if settings.store == "embedded":
        return EmbeddedBackend(settings)
    return RemoteBackend(settings)

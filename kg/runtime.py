"""The one query service: every query, user-supplied or canned, is screened and then run in a worker.

It owns the current store snapshot. A (re)load builds the graph from the
data, validates it, writes a new snapshot and swaps it in with one assignment;
requests in flight finish on the snapshot they started with. A failed reload
keeps the old graph and records why, for ``/status``.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from kg.analyses import AnalysisSuite, run_analyses
from kg.analyses.rdf import analysis_graph_iri, serialize_analyses, suite_to_rdf
from kg.analyses.stored import analyses_key, read_analyses, write_analyses
from kg.store.answers import AnswerCache
from kg.config import Settings
from kg.errors import SeikgError, StoreUnavailable
from kg.store.embedded import ExecutorLimits, Job
from kg.sparql.screen import (MAX_DEPTH, MAX_OPERATORS, MAX_QUERY_BYTES, MAX_TREE_DEPTH, ScreenedQuery, check_dataset_iris,
                    own_query, screen_query)
from kg.projection import project_file
from kg.sparql.queries import bind_values, load_query
from kg.store.backend import Backend, Executor, backend_for
from kg.store.snapshot import StoreSnapshot

__all__ = ["CANNED_ROW_CAP", "QueryAnswer", "QueryService", "ReloadRecord"]

#: row cap of the service's own canned queries (user queries get ``settings.max_rows``)
CANNED_ROW_CAP = 100_000

log = logging.getLogger("seikg.service")
T = TypeVar("T")



@dataclass(frozen=True)
class QueryAnswer:
    """A serialised result and its media type; ``deterministic`` is False when the same query may answer
    otherwise next time (it calls RAND, NOW and the like), so that nothing keeps or validates it by version."""

    media_type: str
    body: bytes
    deterministic: bool = True


@dataclass(frozen=True)
class ReloadRecord:
    """What the last (re)load did."""

    ok: bool
    at: str
    seconds: float
    message: str


@dataclass
class _State:
    snapshot: StoreSnapshot | None = None
    executor: Executor | None = None  # user SPARQL and the service's own queries, each in a lane
    analyses: AnalysisSuite | None = None  # computed once per graph version, before the swap
    analysis_rdf: Graph | None = None  # the same results as RDF with PROV, built with them
    analyses_error: str | None = None  # why there are no analyses (a remote store that cannot be read whole)
    memo: dict[str, object] = field(default_factory=dict)  # what remember() keeps for this graph version
    computing: dict[str, threading.Lock] = field(default_factory=dict)  # one lock per key being remembered
    answers: AnswerCache[QueryAnswer] | None = None  # the query answers of this graph version (kg.store.answers)
    loading: bool = False
    last_reload: ReloadRecord | None = None
    history: list[ReloadRecord] = field(default_factory=list)


class QueryService:
    """Screens and evaluates SPARQL over the current snapshot; see the module docstring."""

    def __init__(self, settings: Settings, backend: Backend | None = None) -> None:
        self.settings = settings
        self.backend = backend or backend_for(settings)
        self._state = _State()
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def from_snapshot(cls, settings: Settings, snapshot: StoreSnapshot, *,
                      analysis_graph: bool = False) -> "QueryService":
        """A service over an existing snapshot, with no build step (tests, benchmarks and ``seikg query``);
        with ``analysis_graph`` it also serves the analyses as a named graph, exactly as ``seikg serve`` does.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the workers cannot load the snapshot.
        """
        service = cls(settings)
        service._install(snapshot, "loaded from an existing snapshot", 0.0, analysis_graph=analysis_graph)
        return service

    def load(self) -> None:
        """Build, validate and swap in a snapshot of ``settings.data_dir``; on failure keep the old one.

        A remote store is described instead (its graphs and size): :meth:`kg.store.backend.Backend.open`.

        Raises
        ------
        kg.errors.SeikgError
            If the build or validation fails (after recording it for ``status``).
        """
        started = time.monotonic()
        with self._lock:
            self._state.loading = True
        try:
            snapshot = self.backend.open()
            self._install(snapshot, None, time.monotonic() - started, analysis_graph=True)
        except SeikgError as exc:
            self._record(False, time.monotonic() - started,
                         f"reload failed, still serving the previous graph: {exc}")
            raise
        except Exception as exc:  # a failure of ours: reported as failed, never as a reload still running
            self._record(False, time.monotonic() - started,
                         f"reload failed, still serving the previous graph: internal error ({type(exc).__name__})")
            raise SeikgError(f"the reload failed with an internal error ({type(exc).__name__})") from exc
        finally:
            self._state.loading = False

    def load_in_background(self) -> threading.Thread:
        """Start :meth:`load` in a thread; failures are recorded, never raised."""
        def target() -> None:
            try:
                self.load()
            except SeikgError:
                pass
        thread = threading.Thread(target=target, name="seikg-load", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop the worker processes."""
        if self._state.executor is not None:
            self._state.executor.close()

    # -- queries ---------------------------------------------------------------------
    def screen(self, text: str, *, default_graph_uris: Sequence[str] = (),
               named_graph_uris: Sequence[str] = (), base_iri: str = "") -> ScreenedQuery:
        """Screen a query and the protocol's dataset IRIs against the current store.

        Raises
        ------
        kg.errors.QueryRejected
            See :func:`kg.sparql.screen.screen_query`; also for dataset IRIs outside the store.
        kg.errors.StoreUnavailable
            If no graph is loaded yet.
        """
        snapshot = self._current().snapshot
        graphs = snapshot.graph_set
        check_dataset_iris(default_graph_uris, allowed_graphs=graphs, parameter="default-graph-uri")
        check_dataset_iris(named_graph_uris, allowed_graphs=graphs, parameter="named-graph-uri")
        return screen_query(text, allowed_graphs=graphs, base_iri=base_iri)

    def execute(self, screened: ScreenedQuery, fmt: str, *, default_graph_uris: Sequence[str] = (),
                named_graph_uris: Sequence[str] = (), row_cap: int | None = None,
                canned: bool = False) -> QueryAnswer:
        """Evaluate a screened query and serialise it as ``fmt`` (a key of ``kg.store.embedded.RESULT_FORMATS``).

        Protocol dataset IRIs override the query's FROM / FROM NAMED.

        Raises
        ------
        kg.errors.QueryError, kg.errors.Overloaded, kg.errors.StoreUnavailable
            As raised by :meth:`kg.store.embedded.QueryExecutor.run`.
        """
        default: tuple[str, ...] | None = None
        named: tuple[str, ...] | None = None
        if default_graph_uris or named_graph_uris:
            default, named = tuple(default_graph_uris), tuple(named_graph_uris)
        elif screened.from_graphs or screened.from_named_graphs:
            default, named = screened.from_graphs, screened.from_named_graphs
        state = self._current()
        job = Job(screened.text, screened.form, fmt, default, named, screened.base_iri, row_cap, screened.parse)
        keep = screened.deterministic and state.answers is not None
        if keep and (answer := state.answers.get(job)) is not None:  # type: ignore[union-attr]
            return answer
        media_type, body = state.executor.run(job, "canned" if canned else "users")  # type: ignore[union-attr]
        answer = QueryAnswer(media_type, body, screened.deterministic)
        if keep:
            state.answers.put(job, answer, size=len(body) + len(job.text))  # type: ignore[union-attr]
        return answer

    def select(self, name: str, bindings: dict[str, tuple[str, str] | None] | None = None) -> list[dict]:
        """Run the named canned query with ``bindings`` (see :func:`kg.sparql.queries.bind_values`).

        Returns the SPARQL JSON result rows: ``{variable: {"type", "value", ...}}``.

        Raises
        ------
        kg.errors.QueryError, kg.errors.Overloaded, kg.errors.StoreUnavailable
            As :meth:`query` raises them.
        """
        text = bind_values(load_query(name), bindings or {})
        answer = self.execute(own_query(text), "json", row_cap=CANNED_ROW_CAP, canned=True)
        return json.loads(answer.body)["results"]["bindings"]

    def construct(self, name: str, bindings: dict[str, tuple[str, str] | None], fmt: str) -> QueryAnswer:
        """Run the named canned CONSTRUCT query and serialise the graph as ``fmt``.

        Raises
        ------
        kg.errors.QueryError, kg.errors.Overloaded, kg.errors.StoreUnavailable
            As :meth:`query` raises them.
        """
        text = bind_values(load_query(name), bindings)
        return self.execute(own_query(text), fmt, row_cap=CANNED_ROW_CAP, canned=True)

    def query(self, text: str, fmt: str = "json", *, row_cap: int | None = None) -> QueryAnswer:
        """Screen and evaluate ``text`` in one step (canned queries and the CLI use this).

        Raises
        ------
        kg.errors.QueryError, kg.errors.Overloaded, kg.errors.StoreUnavailable
            As :meth:`screen` and :meth:`execute` raise them.
        """
        return self.execute(self.screen(text), fmt, row_cap=row_cap)

    @contextmanager
    def graph_file(self) -> Iterator[Path]:
        """The graphs being served (the analysis graph included, where the store holds it) as one N-Quads file;
        a remote store's are copied into one first.

        Raises
        ------
        kg.errors.StoreUnavailable
            If no graph is loaded yet, or a remote store cannot be read whole.
        """
        with self.backend.graph_file(self._current().snapshot) as path:
            yield Path(path)

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per graph version and kept with it under ``key`` (a reload starts afresh);
        callers that ask while it is being computed wait for it rather than compute it too (eight requests
        at once computing the same facet links filled the service's query lane and were refused with 429).

        Raises
        ------
        kg.errors.StoreUnavailable
            If no graph is loaded yet; and whatever ``compute`` raises (nothing is kept then).
        """
        state = self._current()
        if key not in state.memo:
            with self._lock:
                computing = state.computing.setdefault(key, threading.Lock())
            with computing:
                if key not in state.memo:
                    state.memo[key] = compute()
        return state.memo[key]  # type: ignore[return-value]

    def analyses(self) -> AnalysisSuite:
        """The analyses of the graph being served (computed when it was loaded, never per request).

        Raises
        ------
        kg.errors.StoreUnavailable
            If no graph is loaded yet, or a remote store could not be read whole (the reason is given).
        """
        state = self._current()
        if state.analyses is None:
            raise StoreUnavailable(f"no analyses of this graph: {state.analyses_error or 'not computed'}")
        return state.analyses

    def analysis_rdf(self) -> Graph:
        """The analyses of the graph being served as RDF with PROV metadata (built when it was loaded).

        Raises
        ------
        kg.errors.StoreUnavailable
            As :meth:`analyses` raises it.
        """
        self.analyses()
        return self._state.analysis_rdf  # type: ignore[return-value]

    # -- status ------------------------------------------------------------------------
    @property
    def version(self) -> str | None:
        """The version of the graph being served (the hash of its N-Quads), or None before the first load."""
        snapshot = self._state.snapshot
        return snapshot.version if snapshot is not None else None

    @property
    def ready(self) -> bool:
        """True once a graph is being served."""
        return self._state.executor is not None

    def status(self) -> dict[str, object]:
        """Plain data for ``/status``."""
        state = self._state
        snapshot = state.snapshot
        limits = state.executor.limits if state.executor else self._limits()
        return {
            "ready": self.ready,
            "loading": state.loading,
            "pid": os.getpid(),  # which web worker answered, when several serve one address
            "store": {"kind": self.backend.kind,
                      "endpoint": self.backend.endpoint,
                      "version": snapshot.version if snapshot else None,
                      "quads": snapshot.quads if snapshot else 0,
                      "graphs": list(snapshot.graphs) if snapshot else [],
                      "built_at": snapshot.built_at if snapshot else None},
            "data_dir": str(self.settings.data_dir),
            "graph_file": str(self.settings.graph_file) if self.settings.graph_file else None,
            "last_reload": state.last_reload.__dict__ if state.last_reload else None,
            "limits": {"deadline_seconds": limits.deadline, "workers": limits.workers,
                       "max_rows": limits.row_cap, "max_result_mb": limits.result_bytes // 2**20,
                       "worker_memory_mb": limits.memory_bytes // 2**20,
                       "max_query_bytes": MAX_QUERY_BYTES, "max_nesting": MAX_DEPTH,
                       "max_operators": MAX_OPERATORS, "max_tree_depth": MAX_TREE_DEPTH,
                       "max_body_bytes": self.settings.max_body_kb * 1024,
                       "reload_deadline_seconds": self.settings.reload_deadline},
            "sandbox": self.sandbox(),
            "answer_cache": state.answers.stats() if state.answers is not None else None,
        }

    def sandbox(self) -> dict[str, object]:
        """Whether the query workers are cut off the network, and how (plain data for ``/status``)."""
        return self.backend.sandbox(self._state.executor)

    # -- internals ---------------------------------------------------------------------
    def _current(self) -> _State:
        state = self._state
        if state.executor is None or state.snapshot is None:
            raise StoreUnavailable("the graph is still loading; try again shortly")
        return state

    def _new_cache(self) -> "AnswerCache[QueryAnswer] | None":
        size = self.settings.answer_cache_mb * 2**20
        return AnswerCache(size) if size else None

    def _limits(self) -> ExecutorLimits:
        s = self.settings
        return ExecutorLimits(workers=s.query_workers, deadline=s.query_deadline,
                              memory_bytes=s.worker_memory_mb * 2**20, row_cap=s.max_rows, sandbox=s.worker_sandbox,
                              result_bytes=s.max_result_mb * 2**20, recycle_bytes=s.worker_recycle_mb * 2**20)

    def _analyse(self, snapshot: StoreSnapshot, analysis_graph: bool
                 ) -> tuple[StoreSnapshot, AnalysisSuite | None, Graph | None, str | None]:
        """Project and analyse ``snapshot``, or read the analyses stored beside it when that graph version was
        analysed before by the same code (:mod:`kg.analyses.stored`); with ``analysis_graph``, serve the
        results as a named graph too (where the store can hold it). Returns the snapshot to serve, the
        analyses, their RDF and, where a store that need not be analysed could not be read whole, why there
        are no analyses."""
        directory = self.backend.analyses_dir(snapshot)
        key = analyses_key(snapshot.version, base_iri=self.settings.base_iri)
        stored = read_analyses(directory, key) if directory is not None else None
        if stored is not None:
            suite, rdf = stored
            log.info("analyses of version %s read from %s", snapshot.version, directory)
        else:
            try:
                with self.backend.graph_file(snapshot) as path:
                    suite = run_analyses(project_file(path, version=snapshot.version))
            except (SeikgError, OSError) as exc:
                if not self.backend.analyses_optional:
                    raise
                return snapshot, None, None, f"the store could not be read whole for analysis: {exc}"
            rdf = suite_to_rdf(suite, self.settings.base_iri)
            if directory is not None:
                write_analyses(directory, key, suite, rdf)
        if analysis_graph and self.backend.holds_analysis_graph:
            snapshot = self._with_analysis_graph(snapshot, rdf, key)
        return snapshot, suite, rdf, None

    def _with_analysis_graph(self, snapshot: StoreSnapshot, rdf: Graph, key: str) -> StoreSnapshot:
        """A copy of ``snapshot`` with the analysis results as one more named graph (written once per key)."""
        extra = serialize_analyses(rdf, self.settings.base_iri, "nquads")
        target = Path(snapshot.path).with_name(f"with-analysis-{key}.nq")
        staging = target.with_name(f".{target.name}.{os.getpid()}")
        if not target.is_file():
            try:
                with staging.open("wb") as out, open(snapshot.path, "rb") as data:
                    shutil.copyfileobj(data, out)
                    out.write(extra)
                os.replace(staging, target)
            except OSError as exc:
                raise StoreUnavailable(f"cannot write the analysis graph next to the snapshot: {exc}") from exc
        graphs = tuple(sorted({*snapshot.graphs, str(analysis_graph_iri(self.settings.base_iri))}))
        return replace(snapshot, path=str(target), graphs=graphs, quads=snapshot.quads + extra.count(b"\n"))

    def _install(self, snapshot: StoreSnapshot, message: str | None, seconds: float, *,
                 analysis_graph: bool) -> None:
        started = time.monotonic()
        snapshot, suite, rdf, error = self._analyse(snapshot, analysis_graph)
        seconds += time.monotonic() - started
        message = message or f"loaded {snapshot.quads} quads (the analysis graph included), version {snapshot.version}"
        state = self._state
        if state.executor is None:
            executor = self.backend.executor(snapshot, self._limits())
        else:  # the new workers are loaded before they take over: no query waits for a load
            executor = state.executor
            executor.swap(snapshot)
        with self._lock:  # one assignment: requests see the old state or the new one, never a mix
            self._state = replace(self._state, snapshot=snapshot, executor=executor, analyses=suite,
                                  analysis_rdf=rdf, analyses_error=error, memo={}, computing={},
                                  answers=self._new_cache())
        self._record(True, seconds, message)

    def _record(self, ok: bool, seconds: float, message: str) -> None:
        record = ReloadRecord(ok, datetime.now(timezone.utc).isoformat(timespec="seconds"), round(seconds, 3),
                              message)
        self._state.last_reload = record
        self._state.history.append(record)

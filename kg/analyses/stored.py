"""Analyses kept beside the snapshot they were computed from, so that a restart of an unchanged graph reads
them instead of computing them again.

They are stored under a key made of the graph's version (the hash of its
N-Quads), the analysis parameters, the analyses registered and the code that computes them (every
module of :mod:`kg.analyses` and :mod:`kg.projection`), so a changed graph,
parameter or analysis is never answered from an old result. The file is
pickled: it is the server's own state in its own store directory, written
and read by the same code, like the snapshot beside it. A file that cannot be
read (damaged, or written by another Python) is computed again.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from kg.analyses import registry
from kg.analyses.suite import AnalysisParameters, AnalysisSuite

__all__ = ["analyses_key", "read_analyses", "store_analyses", "write_analyses"]

log = logging.getLogger("seikg.analyses")
_CODE = Path(__file__).resolve().parent


def analyses_key(version: str, parameters: AnalysisParameters | None = None, base_iri: str = "") -> str:
    """The key of the analyses of graph ``version`` with ``parameters``, by the code that computes them.

    Raises
    ------
    OSError
        If the analysis code cannot be read.
    """
    entries = [(entry.name, getattr(entry.compute, "__module__", ""), getattr(entry.compute, "__qualname__", ""))
               for entry in registry.ANALYSES]  # what is registered now, a plug-in's analysis too
    digest = hashlib.sha256(f"{version}\0{parameters or AnalysisParameters()!r}\0{base_iri}\0{entries!r}\0"
                            .encode("utf-8"))
    for path in sorted([*_CODE.glob("*.py"), _CODE.parent / "projection.py"]):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _path(directory: Path, key: str) -> Path:
    return Path(directory) / f"analyses-{key}.pickle"


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: unpickling creates millions of objects, none of them garbage,
    and the collections they set off took three quarters of the time (6.1 s against 1.5 s at 1M triples)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_analyses(directory: Path, key: str) -> tuple[AnalysisSuite, Graph] | None:
    """The analyses and their RDF stored under ``key`` in ``directory``, or None if there are none (or they
    cannot be read, which is logged).

    Raises nothing.
    """
    path = _path(directory, key)
    if not path.is_file():
        return None
    try:
        with path.open("rb") as stored, _collection_paused():
            suite, rdf = pickle.load(stored)
    except Exception as exc:  # noqa: BLE001 - any failure to read them means computing them again
        log.warning("the stored analyses %s cannot be read (%s); computing them again", path.name, exc)
        return None
    if not isinstance(suite, AnalysisSuite) or not isinstance(rdf, Graph):
        return None
    return suite, rdf


def write_analyses(directory: Path, key: str, suite: AnalysisSuite, rdf: Graph) -> Path | None:
    """Store ``suite`` and ``rdf`` under ``key`` in ``directory`` (written aside, then renamed into place);
    returns the file, or None if it could not be written (which is logged: the service runs on without it).

    Raises nothing.
    """
    path = _path(directory, key)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with staging.open("wb") as out, _collection_paused():
            pickle.dump((suite, rdf), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(staging, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        staging.unlink(missing_ok=True)
        log.warning("the analyses could not be stored beside the snapshot: %s", exc)
        return None
    return path


def store_analyses(directory: Path, path: Path, version: str, *, base_iri: str) -> Path | None:
    """Analyse the graph in ``path`` (of graph ``version``) and store the result in ``directory``, unless it
    is stored there already; returns the file, or None if it could not be written (logged).

    Raises
    ------
    kg.errors.StoreUnavailable
        If the file cannot be read or parsed.
    """
    from kg.analyses import run_analyses
    from kg.analyses.rdf import suite_to_rdf
    from kg.projection import project_file

    key = analyses_key(version, base_iri=base_iri)
    if _path(directory, key).is_file():  # one that cannot be read is computed again by whoever reads it
        return _path(directory, key)
    Path(directory).mkdir(parents=True, exist_ok=True)
    suite = run_analyses(project_file(path, version=version))
    return write_analyses(directory, key, suite, suite_to_rdf(suite, base_iri))

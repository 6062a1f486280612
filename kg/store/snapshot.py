"""Store snapshots: the built graph as a hashed N-Quads file that query workers load into memory.

A snapshot is a directory named by the hash of its N-Quads, written to a
temporary name and renamed into place, so a half-written snapshot is never
read. Each query worker loads it into an in-memory Oxigraph store: the
benchmark in ``bench/store_bench.py`` (see ``docs/performance.md``) measured
pyoxigraph in memory 2-14x faster per query than on disk at 1M triples, with
rdflib's store unable to finish at 100k. A reload writes a new snapshot and
the service swaps to it with one assignment.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import LoadError, SeikgError, StoreUnavailable
from kg.build.export import serialize_dataset
from kg.build.loader import build_dataset
from kg.build.ontology import load_shapes
from kg.checks.validate import validate_graph

__all__ = ["StoreSnapshot", "build_snapshot", "build_snapshot_in_child", "load_in_memory", "validation_key",
           "write_snapshot"]

_META = "seikg-snapshot.json"
_DATA = "seikg.nq"


@dataclass(frozen=True)
class StoreSnapshot:
    """One immutable snapshot on disk (``path`` is its N-Quads file, or a remote endpoint's URL)."""

    path: str
    version: str
    graphs: tuple[str, ...]
    quads: int
    built_at: str

    @property
    def graph_set(self) -> frozenset[str]:
        """The named graphs, for checking FROM and protocol dataset IRIs."""
        return frozenset(self.graphs)


def write_snapshot(nquads: bytes, root: Path) -> StoreSnapshot:
    """Write ``nquads`` as the snapshot ``root/<version>`` (reused if already there).

    Raises
    ------
    kg.errors.StoreUnavailable
        If the snapshot cannot be written or the N-Quads cannot be parsed.
    """
    version = hashlib.sha256(nquads).hexdigest()[:16]
    target = Path(root) / version
    if (target / _META).is_file() and (target / _DATA).is_file():
        return _read_meta(target)
    if target.exists():  # incomplete, or written by an older version: build it again
        shutil.rmtree(target)
    Path(root).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=root))
    try:
        store = ox.Store()
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        graphs = tuple(sorted(g.value for g in store.named_graphs()))
        quads = len(store)
        del store
        (staging / _DATA).write_bytes(nquads)
        snapshot = StoreSnapshot(str(target / _DATA), version, graphs, quads,
                                 datetime.now(timezone.utc).isoformat(timespec="seconds"))
        (staging / _META).write_text(json.dumps(asdict(snapshot), indent=2), encoding="utf-8")
        try:
            staging.rename(target)
        except OSError:  # another process finished the same snapshot first
            shutil.rmtree(staging, ignore_errors=True)
            return _read_meta(target)
        return snapshot
    except (OSError, SyntaxError, ValueError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreUnavailable(f"cannot write the store snapshot: {exc}") from exc


def _read_meta(target: Path) -> StoreSnapshot:
    data = json.loads((target / _META).read_text(encoding="utf-8"))
    data["graphs"] = tuple(data["graphs"])
    data["path"] = str(target / _DATA)
    return StoreSnapshot(**data)


def load_in_memory(path: str) -> ox.Store:
    """The snapshot's N-Quads file at ``path`` loaded into an in-memory Oxigraph store.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the snapshot's file is missing or unreadable.
    """
    try:
        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
        return store
    except (OSError, SyntaxError) as exc:
        raise StoreUnavailable(f"cannot load the store snapshot {Path(path).parent.name}") from exc


def validation_key(settings: Settings) -> str:
    """A hash of everything besides the data that decides whether a graph conforms: the ontology and shapes,
    the seed texts the anchors are checked against, and the code that validates.

    A snapshot's validation marker is named by it, so a stricter ``shapes.ttl``, a changed seed text or a
    new validator is never taken as already validated.

    Raises
    ------
    kg.errors.StoreUnavailable
        If one of those files cannot be read.
    """
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent.parent
    inputs = sorted(Path(settings.ontology_dir).glob("*.ttl")) + [code / "checks" / "validate.py", code / "build" / "anchors.py"]
    if settings.seeds_dir is not None:
        inputs += sorted(p for p in Path(settings.seeds_dir).rglob("*") if p.is_file())
    try:
        for path in inputs:
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    except OSError as exc:
        raise StoreUnavailable(f"cannot read {exc.filename} to key the validation") from exc
    digest.update(settings.base_iri.encode("utf-8"))
    return digest.hexdigest()[:16]


def build_snapshot(settings: Settings) -> StoreSnapshot:
    """The validated snapshot of ``settings.data_dir`` (or ``settings.graph_file``, served as it is), written
    under ``settings.store_dir`` once per content hash; a snapshot already validated against the same ontology,
    shapes, seeds and validator (:func:`validation_key`) is not validated again.

    Raises
    ------
    kg.errors.LoadError
        If the data cannot be loaded (with file, line and field).
    kg.errors.SeikgError
        If the graph does not conform.
    kg.errors.StoreUnavailable
        If the graph file cannot be read or the snapshot cannot be written.
    """
    if settings.graph_file is not None:  # a prebuilt graph (an export): served as it is
        try:
            nquads = Path(settings.graph_file).read_bytes()
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the graph file {settings.graph_file}: {exc}") from exc
        return write_snapshot(nquads, settings.store_dir)
    built = build_dataset(settings)
    snapshot = write_snapshot(serialize_dataset(built.dataset, "nquads"), settings.store_dir)
    marker = Path(snapshot.path).parent / f"validation-{validation_key(settings)}.json"
    if not marker.is_file():
        report = validate_graph(built.dataset, load_shapes(settings.ontology_dir),
                                seeds_dir=settings.seeds_dir, base_iri=settings.base_iri)
        if not report.conforms:
            raise SeikgError(f"the graph does not conform ({len(report.violations)} SHACL violations, "
                             f"{len(report.anchors.missing)} missing anchors, "
                             f"{len(report.dangling)} dangling references); run `seikg validate`")
        marker.write_text(json.dumps({"conforms": True, "counts": report.counts}), encoding="utf-8")
    return snapshot


def build_snapshot_in_child(settings: Settings, *, deadline: float) -> StoreSnapshot:
    """:func:`build_snapshot` in a child process that is stopped after ``deadline`` seconds.

    A load that hangs or runs away (a hostile file the readers missed) cannot
    hang the server: the child is killed and the load is reported as failed,
    while the graph already served stays in service. The child's memory is
    returned to the system when it exits.

    Raises
    ------
    kg.errors.LoadError
        As :func:`build_snapshot` raises it, or if the load passes ``deadline`` or its process dies.
    kg.errors.SeikgError
        As :func:`build_snapshot` raises it.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_build_child, args=(child, settings), name="seikg-build", daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(deadline):
            raise LoadError.single(settings.data_dir, f"loading the data took longer than {deadline:g} s and was "
                                                      "stopped (setting reload_deadline)")
        try:
            kind, value = parent.recv()
        except (EOFError, OSError) as exc:
            raise LoadError.single(settings.data_dir, "the process loading the data died (out of memory or "
                                                      "a crash while reading it)") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent.close()
    if kind == "ok":
        return value
    raise value


def _build_child(conn: object, settings: Settings) -> None:
    """Inside the child: build and send back the snapshot or the error (any error becomes a SeikgError)."""
    try:
        reply: tuple[str, object] = ("ok", build_snapshot(settings))
    except SeikgError as exc:
        reply = ("error", exc)
    except RecursionError:
        reply = ("error", LoadError.single(settings.data_dir, "the data nests too deeply to be read"))
    except Exception as exc:  # noqa: BLE001 - reported to the parent in our words, never raised there as-is
        reply = ("error", LoadError.single(settings.data_dir, f"unexpected failure while loading: "
                                                              f"{type(exc).__name__}: {exc}"))
    try:
        conn.send(reply)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - an error that does not pickle: send its text
        conn.send(("error", SeikgError(str(reply[1]))))  # type: ignore[attr-defined]

"""Store snapshots: the built graph as an on-disk Oxigraph store, immutable once written.

A snapshot is a directory named by the hash of its N-Quads, written to a
temporary name and renamed into place, so a half-written store is never
opened. Query workers open it read-only; a reload builds a new snapshot and
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

from .errors import StoreUnavailable

__all__ = ["StoreSnapshot", "open_read_only", "write_snapshot"]

_META = "seikg-snapshot.json"


@dataclass(frozen=True)
class StoreSnapshot:
    """One immutable store on disk and what it holds."""

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
    """Load ``nquads`` into an Oxigraph store under ``root/<version>`` (reused if already there).

    Raises
    ------
    kg.errors.StoreUnavailable
        If the store cannot be written or the N-Quads cannot be loaded.
    """
    version = hashlib.sha256(nquads).hexdigest()[:16]
    target = Path(root) / version
    if (target / _META).is_file():
        return _read_meta(target)
    Path(root).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=root))
    try:
        store = ox.Store(str(staging / "oxigraph"))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        store.flush()
        graphs = tuple(sorted(g.value for g in store.named_graphs()))
        quads = len(store)
        del store
        snapshot = StoreSnapshot(str(target / "oxigraph"), version, graphs, quads,
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
        raise StoreUnavailable(f"cannot write the store: {exc}") from exc


def _read_meta(target: Path) -> StoreSnapshot:
    data = json.loads((target / _META).read_text(encoding="utf-8"))
    data["graphs"] = tuple(data["graphs"])
    data["path"] = str(target / "oxigraph")
    return StoreSnapshot(**data)


def open_read_only(snapshot: StoreSnapshot) -> ox.Store:
    """Open a snapshot's store read-only (many processes may do so at once).

    Raises
    ------
    kg.errors.StoreUnavailable
        If the directory is missing or not an Oxigraph store.
    """
    try:
        return ox.Store.read_only(snapshot.path)
    except OSError as exc:
        raise StoreUnavailable(f"cannot open the store {snapshot.version}") from exc

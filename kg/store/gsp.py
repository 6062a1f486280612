"""``seikg load --into``: upload a built graph to a store through the SPARQL 1.1 Graph Store Protocol."""
from __future__ import annotations

import hashlib
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreUnavailable

__all__ = ["LoadReport", "file_version", "load_into", "record_load"]


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load_into` sent: triples per graph, requests made and seconds taken."""

    target: str
    graphs: dict[str, int]
    requests: int
    seconds: float


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    if user is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                       urllib.request.HTTPBasicAuthHandler(manager))


def load_into(url: str, nquads: Path, *, user: str | None = None, password: str | None = None,
              chunk: int = 100_000, replace: bool = True, timeout: float = 600.0) -> LoadReport:
    """Upload ``nquads`` to a SPARQL 1.1 Graph Store Protocol endpoint (``url``, e.g. Virtuoso's
    ``/sparql-graph-crud-auth``), graph by graph, in POSTs of at most ``chunk`` triples (N-Triples).
    With ``replace``, each graph in the file is first deleted from the store, so a reload leaves no stale
    triples; graphs not in the file are left alone.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the store refuses a request (with its status, e.g. 401 for a wrong password) or does not answer.
    kg.errors.LoadError
        If the file is not valid N-Quads (with the line).
    """
    import pyoxigraph as ox

    from kg.errors import LoadError

    opener = _opener(url, user, password)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    buffers: dict[str, list] = {}
    requests = 0

    def send(method: str, graph: str, body: bytes | None = None) -> None:
        nonlocal requests
        separator = "&" if "?" in url else "?"
        request = urllib.request.Request(f"{url}{separator}{urllib.parse.urlencode({'graph': graph})}", data=body,
                                         method=method, headers={"Content-Type": "application/n-triples",
                                                                 "User-Agent": "seikg"})
        requests += 1
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if method == "DELETE" and exc.code == 404:
                return
            raise StoreUnavailable(f"{url} answered {exc.code} to {method} of graph {graph}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"{url} does not answer: {exc}") from exc

    def flush(graph: str) -> None:
        triples = buffers.pop(graph, [])
        if triples:
            send("POST", graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    try:
        for number, quad in enumerate(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS), start=1):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                raise LoadError.single(nquads, f"quad {number} ({quad.subject} {quad.predicate} ...) is in the "
                                               "default graph; seikg graphs are named", field="graph")
            graph = quad.graph_name.value
            if graph not in counts:
                counts[graph] = 0
                if replace:
                    send("DELETE", graph)
            buffers.setdefault(graph, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
            counts[graph] += 1
            if len(buffers[graph]) >= chunk:
                flush(graph)
    except SyntaxError as exc:
        raise LoadError.single(nquads, f"not valid N-Quads: {exc.msg}", line=exc.lineno or 0) from exc
    except OSError as exc:
        raise LoadError.single(nquads, f"cannot read: {exc}") from exc
    for graph in list(buffers):
        flush(graph)
    return LoadReport(url, counts, requests, round(time.perf_counter() - started, 3))


def file_version(path: Path) -> str:
    """The version of the graph in ``path``: the hash of its bytes, as a snapshot's version is.

    Raises
    ------
    OSError
        If the file cannot be read.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as data:
        for block in iter(lambda: data.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def record_load(url: str, graph: str, version: str, *, user: str | None = None, password: str | None = None,
                timeout: float = 600.0) -> None:
    """Replace the named graph ``graph`` of the store with one triple saying which graph version was loaded
    (``<graph> dcterms:identifier "version"``), which every web worker reads when it describes the store
    (:func:`kg.store.remote.describe_remote`), so that analyses stored for that version are used.

    Raises
    ------
    kg.errors.StoreUnavailable
        As :func:`load_into` raises it.
    """
    import pyoxigraph as ox

    from kg.store.remote import RECORD_PREDICATE

    quad = ox.Quad(ox.NamedNode(graph), ox.NamedNode(RECORD_PREDICATE), ox.Literal(version), ox.NamedNode(graph))
    with tempfile.TemporaryDirectory(prefix="seikg-record-") as folder:
        record = Path(folder) / "record.nq"
        record.write_bytes(ox.serialize([quad], format=ox.RdfFormat.N_QUADS))
        load_into(url, record, user=user, password=password, timeout=timeout)

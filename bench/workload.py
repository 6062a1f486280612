"""What the harness measures: the synthetic graph, the queries, and bounded clients.

Queries come in three groups, the same text for every engine:

- **canned**: the service's own named queries (``kg/sparql/queries/*.rq``) with bound values, as the API runs them;
- **competency**: the public competency questions (``../shared/competency/public.yaml``), written against the
  contract; on synthetic data they mostly find no answer, but they do the same work;
- **gaps**: the shipped gap query (``region_gaps.rq``) for regions at each level of the hierarchy.

Clients are bounded in count and time and talk to 127.0.0.1 only.
"""
from __future__ import annotations

import http.client
import itertools
import json
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
BASE = "https://w3id.org/seikg/"
S = "https://w3id.org/seikg/ontology#"
GAP_REGIONS = ["country", "macroregion-0", "province-0", "city-0", "city-1"]


def synthetic_graph(size: str, folder: Path, *, seed: int = 7) -> Path:
    """The seeded synthetic graph of ``size`` plus the ontology graph, as N-Quads (written once, then reused)."""
    import pyoxigraph as ox

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"synthetic-{size}-seed{seed}.nq"
    if target.is_file():
        return target
    staging = target.with_suffix(".partial")
    with staging.open("w", encoding="utf-8") as out:
        generate(SIZES[size], out, seed=seed)
        ontology = ox.parse(path=str(ROOT / "ontology" / "seikg.ttl"), format=ox.RdfFormat.TURTLE)
        graph = ox.NamedNode(BASE + "graph/ontology")
        out.write(ox.serialize((ox.Quad(t.subject, t.predicate, t.object, graph) for t in ontology),
                               format=ox.RdfFormat.N_QUADS).decode("utf-8"))
    staging.replace(target)
    return target


def canned_queries() -> dict[str, str]:
    """The API's named queries with the values it binds for typical requests (a list filtered by a link
    runs entity_index_linked, as kg.reading.entities.list_entities does)."""
    from kg.model.kinds import counted_classes
    from kg.sparql.queries import bind_values, load_query

    none = {k: None for k in ("q", "p1", "o1", "p2", "o2", "p3", "o3", "pin", "oin", "from", "to")}
    return {
        # ?x1: the actor and what is below it (kg.reading.facets.read_descendants); synthetic actors have none
        "policies by issuer (entity_index_linked)": bind_values(load_query("entity_index_linked"), {
            **none, "class": ("iri", S + "PolicyDocument"), "p1": ("iri", S + "issuedBy"),
            "o1": ("iri", BASE + "id/actor/actor-3"), "x1": ("iri", BASE + "id/actor/actor-3")}),
        "label search (entity_index)": bind_values(load_query("entity_index"), {
            **none, "class": ("iri", S + "Mechanism"), "q": ("literal", "mechanism 12")}),
        "entity card": bind_values(load_query("entity_card"), {"entity": ("iri", BASE + "id/policy/policy-10")}),
        "entity links with evidence": bind_values(load_query("entity_links"), {
            "entity": ("iri", BASE + "id/policy/policy-10")}),
        "class counts": bind_values(load_query("class_counts"), counted_classes()),
    }


def competency_queries(path: Path | None = None) -> dict[str, str]:
    """The public competency questions' SPARQL, with the file's prefixes."""
    import yaml

    path = path or ROOT.parent / "shared" / "competency" / "public.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {q["id"]: data["prefixes"] + q["sparql"] for q in data["questions"]}


def gap_queries() -> dict[str, str]:
    """The shipped gap query for a region at each level."""
    from kg.sparql.queries import bind_values, load_query

    return {f"gaps of {name}": bind_values(load_query("region_gaps"), {"region": ("iri", f"{BASE}id/region/{name}"),
                                                                "crossSource": ("boolean", "true")})
            for name in GAP_REGIONS}


def summarise(times_ms: list[float]) -> dict[str, float]:
    """Median and 95th percentile (nearest rank) of ``times_ms``."""
    ordered = sorted(times_ms)
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[max(0, -(-len(ordered) * 95 // 100) - 1)], 2)}


def _post_query(connection: http.client.HTTPConnection, path: str, query: str) -> None:
    connection.request("POST", path, urllib.parse.urlencode({"query": query}),
                       {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})


def sparql_get(base: str, path: str, query: str, timeout: float) -> tuple[int, bytes]:
    """POST ``query`` (form-encoded) to ``base + path`` asking for SPARQL JSON; returns (status, body)."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    assert host == "127.0.0.1", "the harness talks to loopback only"
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        _post_query(connection, path, query)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def time_query(base: str, path: str, query: str, *, repeat: int, timeout: float, slow: float = 5.0) -> dict:
    """Run ``query`` ``repeat`` times after one warm-up (once if it takes longer than ``slow`` s)."""
    times = []
    for index in range(repeat + 1):
        started = time.perf_counter()
        try:
            status, body = sparql_get(base, path, query, timeout)
        except TimeoutError:
            return {"error": f"over the {timeout:g} s limit"}
        except OSError as exc:
            return {"error": f"failed: {exc}"}
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            return {"error": f"HTTP {status}: {body[:120].decode('utf-8', 'replace')}"}
        if index == 0:
            rows = len(json.loads(body).get("results", {}).get("bindings", []))
            if elapsed > slow * 1000:
                return {**summarise([elapsed]), "rows": rows}
            continue
        times.append(elapsed)
    return {**summarise(times), "rows": rows}


@dataclass(frozen=True)
class Target:
    """One URL under load: GET, or POST of a SPARQL query. With ``rotate``, ``{n}`` in the path counts from 1
    to ``rotate`` over the requests, so that each asks another question (no answer is kept for the next)."""

    name: str
    base: str
    path: str
    query: str | None = None
    rotate: int = 0


_COUNTER = itertools.count()


def _one_request(connection: http.client.HTTPConnection, target: Target) -> int:
    if target.query is None:
        path = target.path.replace("{n}", str(1 + next(_COUNTER) % target.rotate)) if target.rotate else target.path
        connection.request("GET", path, headers={"Accept": "application/json, text/html"})
    else:
        _post_query(connection, target.path, target.query)
    response = connection.getresponse()
    response.read()
    return response.status


def load_test(target: Target, *, connections: int = 8, seconds: float = 10.0, max_requests: int = 20_000,
              timeout: float = 30.0) -> dict:
    """Keep ``connections`` keep-alive connections busy on ``target`` for ``seconds`` (at most
    ``max_requests`` in all); returns requests/s, p50, p99 and the statuses."""
    parts = urllib.parse.urlsplit(target.base)
    assert parts.hostname == "127.0.0.1", "the harness talks to loopback only"
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) >= max_requests:
                    break
            started = time.perf_counter()
            try:
                status = _one_request(connection, target)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    if not ordered:
        return {"requests": 0, "statuses": statuses}
    return {"requests": len(ordered), "seconds": round(wall, 2), "rps": round(len(ordered) / wall, 1),
            "p50_ms": round(ordered[len(ordered) // 2], 2),
            "p99_ms": round(ordered[max(0, -(-len(ordered) * 99 // 100) - 1)], 2), "statuses": statuses}


def load_test_main() -> None:
    """``python bench/workload.py load-test JSON``: run :func:`load_test` in this (second) process."""
    spec = json.loads(sys.argv[2])
    print(json.dumps(load_test(Target(**spec["target"]), **spec["options"])))


if __name__ == "__main__":
    if sys.argv[1:2] == ["load-test"]:
        load_test_main()

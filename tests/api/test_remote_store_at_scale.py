"""The remote-store path at 1M triples: a real Virtuoso started by the test, bulk-loaded with the seeded
synthetic graph (bench/synthetic.py), served through the query service with its analyses.

Slow (a few minutes on 2 cores): it generates the graph, loads it twice (Virtuoso, and an embedded
projection to compare with) and analyses it. Timings are not asserted here; they are in bench/run.py.
"""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bench.peers import start_virtuoso, virtuoso_available, virtuoso_bulk_load
from bench.workload import BASE, GAP_REGIONS, canned_queries, synthetic_graph
from kg.runtime import QueryService

pytestmark = [pytest.mark.timeout(1800), pytest.mark.virtuoso, pytest.mark.slow]


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory):
    if not virtuoso_available():
        pytest.skip("Virtuoso is not installed (Debian virtuoso-opensource; .ci/run installs it)")
    path = synthetic_graph("1m", tmp_path_factory.mktemp("synthetic"))
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-1m"), buffers=100_000)
    try:
        virtuoso_bulk_load(server, path, BASE + "graph/data")
        yield path, server.endpoint
    finally:
        server.stop()


@pytest.fixture(scope="module")
def service(million, settings, tmp_path_factory: pytest.TempPathFactory):
    _, endpoint = million
    service = QueryService(replace(settings, store=endpoint, max_rows=100_000, query_deadline=60.0,
                                   store_dir=tmp_path_factory.mktemp("stores")))
    service.load()
    yield service
    service.close()


def test_remote_1m_holds_every_triple(service, million) -> None:
    path, _ = million
    with path.open("rb") as graph:
        lines = sum(1 for _ in graph)
    graphs = {g for g in service.status()["store"]["graphs"] if g.startswith(BASE)}
    assert graphs == {BASE + "graph/data", BASE + "graph/ontology"}
    count = json.loads(service.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS("
                                     f"STR(?g), \"{BASE}\")) }}").body)
    assert int(count["results"]["bindings"][0]["n"]["value"]) == lines


def test_remote_1m_canned_queries_answer_like_the_embedded_store(service, million) -> None:
    from kg.store.snapshot import load_in_memory
    path, _ = million
    store = load_in_memory(str(path))
    for name, text in canned_queries().items():
        remote = json.loads(service.query(text).body)["results"]["bindings"]
        local = list(store.query(text, use_default_graph_as_union=True))
        assert len(remote) == len(local), name


def test_remote_1m_analyses_read_the_whole_graph(service, million) -> None:
    from kg.analyses import find_region_gaps
    from kg.projection import project_file
    path, _ = million
    embedded = project_file(str(path))
    suite = service.analyses()
    assert suite.projections.entity.number_of_nodes() == embedded.entity.number_of_nodes()
    assert suite.projections.entity.number_of_edges() == embedded.entity.number_of_edges()
    for name in GAP_REGIONS:
        region = f"{BASE}id/region/{name}"
        assert ({g.problem.iri for g in suite.gaps(region).gaps}
                == {g.problem.iri for g in find_region_gaps(embedded, region, centrality={}).gaps}), name

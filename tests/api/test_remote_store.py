"""The remote-store path against a real Virtuoso started by the tests on 127.0.0.1 and loaded with the graph."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from rdflib import URIRef

from kg import serialize_dataset
from kg.errors import QueryRejected, ResultTooLarge
from kg.runtime import QueryService

from bench.peers import start_virtuoso, virtuoso_available
from kg.cli.main import main as cli_main

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]


@pytest.fixture(scope="module")
def virtuoso_loaded(built, tmp_path_factory: pytest.TempPathFactory, monkeypatch_module):
    """Virtuoso on loopback ports with its own database, loaded with the real graph through `seikg load`
    (the Graph Store Protocol, digest authentication); stopped by PID."""
    if not virtuoso_available():
        pytest.skip("Virtuoso is not installed (Debian virtuoso-opensource; .ci/run installs it)")
    workdir = tmp_path_factory.mktemp("virtuoso")
    server = start_virtuoso(workdir, buffers=20_000)
    try:
        graph = workdir / "seikg.nq"
        graph.write_bytes(serialize_dataset(built.dataset, "nquads"))
        monkeypatch_module.setenv("SEIKG_STORE_PASSWORD", "dba")
        assert cli_main(["load", "--into", server.base + "/sparql-graph-crud-auth", "--user", "dba",
                         "--graph", str(graph), "--chunk", "5000"]) == 0
        yield server.endpoint, graph
    finally:
        server.stop()


@pytest.fixture(scope="module")
def virtuoso(virtuoso_loaded) -> str:
    return virtuoso_loaded[0]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def remote_service(virtuoso: str, settings):
    service = QueryService(replace(settings, store=virtuoso, max_rows=500))
    service.load()
    yield service
    service.close()


def test_remote_store_describes_the_endpoint(remote_service, built) -> None:
    status = remote_service.status()
    assert status["store"]["kind"] == "remote SPARQL endpoint"
    assert "https://w3id.org/seikg/graph/data" in status["store"]["graphs"]
    assert status["store"]["quads"] >= len(built.dataset) - 100  # Virtuoso may merge duplicate literals


def test_remote_store_answers_like_the_embedded_store(remote_service, built) -> None:
    from rdflib import RDF, URIRef
    query = ("PREFIX seikg: <https://w3id.org/seikg/ontology#> "
             "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a seikg:PolicyDocument }")
    rows = json.loads(remote_service.query(query).body)["results"]["bindings"]
    policies = {s for s, _, _, _ in built.dataset.quads(
        (None, RDF.type, URIRef("https://w3id.org/seikg/ontology#PolicyDocument"), None))}
    assert int(rows[0]["n"]["value"]) == len(policies) > 10


def test_remote_store_serves_the_json_api(remote_service, live_server) -> None:
    import httpx2 as httpx
    from kg.reading import entities as catalog
    page = catalog.list_entities(remote_service, "policies", filters={"issuer": "ministry-of-education"})
    embedded = httpx.get(live_server + "/api/policies?issuer=ministry-of-education", timeout=60).json()
    assert page.total == embedded["total"] >= 8 and all(item.evidence for item in page.items)
    detail = catalog.get_entity(remote_service, "region", "tangshan")
    assert [link.id for link in detail.links["part_of"]] == ["hebei"]


def test_remote_store_analyses_equal_the_embedded_ones(remote_service, built) -> None:
    from kg.analyses import run_analyses
    from kg.projection import project_graph
    real_projections = project_graph(built.dataset)
    embedded = run_analyses(real_projections)
    remote = remote_service.analyses()
    assert remote.projections.entity.number_of_nodes() == real_projections.entity.number_of_nodes()
    for region in real_projections.nodes_of("region"):
        assert ({g.problem.iri for g in remote.gaps(region).gaps} == {g.problem.iri for g in embedded.gaps(region).gaps})
    assert remote.pagerank == pytest.approx(embedded.pagerank)


def test_issue_18_remote_workers_read_the_analyses_stored_at_load(virtuoso_loaded, settings, monkeypatch) -> None:
    """`seikg load --into` recorded the version it loaded in the store and stored its analyses: a web worker
    that starts on the store reads them, and neither reads the store whole nor analyses it."""
    from kg import runtime
    from kg.store.backend import RemoteBackend
    from kg.store.gsp import file_version

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the web worker analysed the store again")
    monkeypatch.setattr(runtime, "run_analyses", refuse)
    monkeypatch.setattr(RemoteBackend, "graph_file", refuse)
    endpoint, graph = virtuoso_loaded
    service = QueryService(replace(settings, store=endpoint))
    try:
        service.load()
        assert service.version == file_version(graph)
        assert service.analyses().pagerank  # the stored analyses, whole
        assert "https://w3id.org/seikg/graph/load" in service.status()["store"]["graphs"]
    finally:
        service.close()


def test_remote_store_serves_every_route_like_the_embedded_store(remote_service, live_server) -> None:
    from fastapi.testclient import TestClient
    from api import create_app
    import httpx2 as httpx
    paths = ["/api/policies?issuer=ministry-of-education", "/api/regions/western-region/gaps",
             "/api/regions/tangshan", "/api/search?q=pilot", "/api/analysis/centrality?projection=entity",
             "/api/views/ego/region/hebei", "/api/timeline", "/api/analysis/compare?region=zhejiang&region=hebei",
             "/api/search?q=pilot+city", "/api/sources/fu-huang-sun-2025/cite", "/api/actors?region=hebei"]
    with TestClient(create_app(service=remote_service)) as remote:
        for path in paths:
            mine, theirs = remote.get(path), httpx.get(live_server + path, timeout=60)
            assert mine.status_code == theirs.status_code == 200, (path, mine.text[:300])
            assert mine.json() == theirs.json(), path
        for page in ["/", "/regions/tangshan", "/views/overview", "/timeline", "/policies?lang=zh", "/search?q=pilot",
                     "/sources/fu-huang-sun-2025"]:
            assert remote.get(page).status_code == 200, page


def test_remote_store_is_read_whole_in_pages(virtuoso: str, built, tmp_path) -> None:
    """A predicate with more triples than a page is read in parts by subject hash (Virtuoso refuses a result
    of more than a million rows, and ORDER BY pages past 10,000): in parts or not, the copy holds every
    triple of the data graph."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kg.store.remote import fetch_graphs

    data = "https://w3id.org/seikg/graph/data"
    whole, paged = tmp_path / "whole.nt", tmp_path / "paged.nt"
    expected = len(built.dataset.graph(URIRef(data)))
    assert fetch_graphs(virtuoso, [data], whole) == expected
    assert fetch_graphs(virtuoso, [data], paged, page=97) == expected  # rdf:type alone takes dozens of parts
    assert isomorphic(Graph().parse(whole, format="nt"), Graph().parse(paged, format="nt"))
    # Virtuoso stores numbers canonically ("25.0"^^xsd:decimal comes back as "25"), so compare numbers by value;
    # and as graphs: the author lists' blank nodes come back under Virtuoso's own labels
    assert isomorphic(_by_value(Graph().parse(paged, format="nt")), _by_value(built.dataset.graph(URIRef(data))))


def _by_value(graph):  # noqa: ANN001, ANN202
    from decimal import Decimal

    from rdflib import XSD, Graph, Literal

    numbers = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.nonNegativeInteger}

    def term(o):  # noqa: ANN001, ANN202
        return Literal(str(Decimal(str(o)).normalize())) if isinstance(o, Literal) and o.datatype in numbers else o
    canonical = Graph()
    for s, p, o in graph:
        canonical.add((s, p, term(o)))
    return canonical


@pytest.mark.parametrize("fmt", ["xml", "csv", "tsv"])
def test_remote_store_converts_result_formats(remote_service, fmt: str) -> None:
    answer = remote_service.query("SELECT ?s WHERE { ?s a <https://w3id.org/seikg/ontology#Region> } LIMIT 3", fmt)
    assert answer.body and answer.media_type.startswith(("application/sparql-results+xml", "text/"))


def test_remote_store_still_screens_and_caps(remote_service) -> None:
    with pytest.raises(QueryRejected):
        remote_service.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryRejected):
        remote_service.query("CLEAR ALL")
    with pytest.raises(ResultTooLarge):
        remote_service.query("SELECT * WHERE { ?s ?p ?o }")


def test_remote_store_several_web_workers_serve_the_same_results(virtuoso: str, tmp_path) -> None:
    """The web tier is stateless over a remote store: two uvicorn workers behind one address, each ready,
    answer every request alike."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx2 as httpx

    from bench.peers import start_seikg

    server = start_seikg(tmp_path, store=virtuoso, workers=2, timeout=600)  # returns once both pids said ready
    try:
        def ask(path: str) -> tuple[int, str]:
            with httpx.Client(timeout=60) as client:  # a new connection each time, so any worker may take it
                status = client.get(server.base + "/status").json()
                return status["pid"], client.get(server.base + path).text

        paths = ["/api/policies?issuer=ministry-of-education", "/api/regions/western-region/gaps"] * 12
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, paths))
        assert len({pid for pid, _ in answers}) == 2  # both workers answered
        for path in set(paths):
            assert len({body for (_, body), p in zip(answers, paths) if p == path}) == 1, path
    finally:
        server.stop()

"""Real SPARQL clients on their defaults against the running server (issue 17): SPARQLWrapper in every format,
rdflib's SPARQLStore reading more than 10,000 triples, and every query of the README sent over HTTP."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper

from kg.model.formats import formats_holding
from tests.api.test_live_server import jena_command
from tests.conftest import ROOT

pytestmark = [pytest.mark.slow,  # SPARQLWrapper builds its graphs as rdflib's deprecated ConjunctiveGraph
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

README = (ROOT / "README.md").read_text(encoding="utf-8")
SELECT = "SELECT ?region ?label WHERE { ?region a seikg:Province ; rdfs:label ?label FILTER (LANG(?label) = 'en') }"
CONSTRUCT = "CONSTRUCT WHERE { ?region a seikg:Province ; rdfs:label ?label }"


def _client(base: str, query: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/sparql")  # its defaults: GET, format= and output= parameters, XML
    client.setTimeout(60)
    client.setQuery(query)
    return client


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_issue_17_sparqlwrapper_selects_in_every_format_on_its_defaults(live_server: str, fmt: str) -> None:
    client = _client(live_server, SELECT)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == JSON:
        assert len(result["results"]["bindings"]) >= 31
    elif fmt == XML:
        assert len(result.getElementsByTagName("result")) >= 31
    else:
        assert result.decode("utf-8").count("\n") >= 31


def test_issue_17_sparqlwrapper_constructs_an_rdflib_graph_on_its_defaults(live_server: str) -> None:
    graph = _client(live_server, CONSTRUCT).query().convert()  # the default (XML): RDF/XML parsed into a Graph
    assert isinstance(graph, Graph) and len(graph) >= 62


@pytest.mark.parametrize("fmt,parse_as", [(TURTLE, "turtle"), (N3, "turtle"), (JSONLD, "json-ld")])  # N3 is Turtle
def test_issue_17_sparqlwrapper_constructs_in_every_graph_format(live_server: str, fmt: str, parse_as: str) -> None:
    client = _client(live_server, CONSTRUCT)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format=parse_as)
    assert len(graph) >= 62


def test_issue_17_rdflibs_sparqlstore_reads_more_than_ten_thousand_triples(live_server: str) -> None:
    """The store's default graph (rdflib's default-graph id: no default-graph-uri sent) is the union."""
    graph = Graph(store=SPARQLStore(f"{live_server}/sparql"), identifier=DATASET_DEFAULT_GRAPH_ID)
    assert sum(1 for _ in graph.triples((None, None, None))) > 10_000


def _readme_requests() -> list[tuple[str, str]]:
    """Every query of the README: its ```sparql blocks, and the Quickstart's curl command, as sent."""
    queries = [("block", q) for q in re.findall(r"```sparql\n(.*?)```", README, re.S)]
    for command in re.findall(r"```sh\n(curl .*?/sparql)\n```", README, re.S):
        words = shlex.split(command)
        queries.append(("curl", words[words.index("--data-urlencode") + 1].removeprefix("query=")))
    return queries


@pytest.mark.parametrize("case", range(len(_readme_requests())))
def test_issue_17_every_readme_query_runs_on_the_server(live_server: str, case: int) -> None:
    origin, query = _readme_requests()[case]
    answer = httpx.post(f"{live_server}/sparql", data={"query": query}, timeout=60,
                        headers={"accept": "application/sparql-results+json, text/turtle;q=0.9"})
    assert answer.status_code == 200, (origin, query[:200], answer.text[:300])
    if answer.headers["content-type"].startswith("application/sparql-results+json"):
        body = answer.json()
        assert body.get("boolean") is True or body["results"]["bindings"], (origin, query[:200])
    else:
        assert len(Graph().parse(data=answer.text, format="turtle")) > 0


_SYNTAXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf"}


def test_issue_17_every_entity_iri_dereferences_in_every_syntax_and_jena_reads_it(live_server: str,
                                                                                tmp_path: Path) -> None:
    """Every minted IRI of the served graph, asked for in each RDF syntax by Accept: Turtle, N-Triples and RDF/XML
    read by Apache Jena's riot, JSON-LD by pyld (Debian's riot 4.5 reads no JSON-LD at all), which must give the
    same graph as the N-Triples."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from pyld import jsonld
    from rdflib.compare import isomorphic

    riot = jena_command(tmp_path, "riot")
    if riot is None:
        pytest.skip("Apache Jena is not installed (Debian libapache-jena-java; .ci/run installs it)")
    rows = httpx.post(f"{live_server}/sparql", data={"query": (
        "SELECT DISTINCT ?e WHERE { ?e a ?c FILTER (STRSTARTS(STR(?e), 'https://w3id.org/seikg/id/')) "
        "FILTER (!STRSTARTS(STR(?e), 'https://w3id.org/seikg/id/evidence/')) "
        "FILTER (!STRSTARTS(STR(?e), 'https://w3id.org/seikg/id/analysis/')) }")},
        headers={"accept": "application/sparql-results+json"}, timeout=60).json()["results"]["bindings"]
    paths = sorted({row["e"]["value"].removeprefix("https://w3id.org/seikg") for row in rows})
    assert len(paths) > 500
    media = {name: fmt.media_type for name, fmt in ((f.name, f) for f in formats_holding("graph"))}

    local, clients = threading.local(), []

    def fetch(job: tuple[int, str, str]) -> Path:
        index, path, syntax = job
        if not hasattr(local, "client"):  # one kept-alive connection per thread
            local.client = httpx.Client(base_url=live_server, timeout=60)
            clients.append(local.client)
        for _ in range(10):  # a client that is told 429 waits as Retry-After says
            answer = local.client.get(path, headers={"accept": media[syntax]})
            if answer.status_code != 429:
                break
            time.sleep(float(answer.headers.get("retry-after", "1")))
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media[syntax]), (path, syntax)
        target = tmp_path / "entities" / f"{index}{_SYNTAXES[syntax]}"
        target.write_bytes(answer.content)
        return target

    (tmp_path / "entities").mkdir()
    jobs = [(i * 4 + j, path, syntax) for i, path in enumerate(paths) for j, syntax in enumerate(_SYNTAXES)]
    try:
        with ThreadPoolExecutor(2) as pool:
            files = list(pool.map(fetch, jobs))
    finally:
        for client in clients:
            client.close()
    riot = [part.replace("slf4j-nop", "slf4j-simple") for part in riot]  # its errors are logged: show them
    jena = [str(f) for f in files if f.suffix != ".jsonld"]
    done = subprocess.run(riot + ["--validate", *jena], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "ERROR" not in done.stdout + done.stderr, (done.stdout + done.stderr)[-2000:]
    for ld in (f for f in files if f.suffix == ".jsonld"):
        quads = jsonld.to_rdf(json.loads(ld.read_text(encoding="utf-8")), {"format": "application/n-quads"})
        ntriples = ld.with_name(f"{int(ld.stem) - 1}.nt")  # the same entity's N-Triples (the order of _SYNTAXES)
        assert isomorphic(Graph().parse(data=quads, format="nt"), Graph().parse(ntriples, format="nt")), ld


COMUNICA = "@comunica/query-sparql@4.4.1"  # the last major that runs on Node 20 (5.x needs Node 22's zstd)


@pytest.fixture(scope="session")
def comunica_sparql() -> str:
    """Comunica's command-line engine, installed from npm once into build/comunica (CI may reach npm)."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("Node.js and npm are not installed (Debian nodejs npm; .ci/run installs them)")
    prefix = ROOT / "build" / "comunica"
    binary = prefix / "node_modules" / ".bin" / "comunica-sparql"
    if not binary.exists():
        done = subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent",
                               COMUNICA], capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not binary.exists():
            pytest.skip(f"npm could not install {COMUNICA}: {(done.stdout + done.stderr)[-500:]}")
    return str(binary)


def test_issue_17_comunica_federates_the_endpoint_with_a_file_pattern_by_pattern(live_server: str,
                                                                               comunica_sparql: str,
                                                                               tmp_path: Path) -> None:
    """Comunica joins the endpoint with a Turtle file on another server: it splits the query into patterns and
    sends the endpoint its own COUNT and VALUES queries, which must all be answered."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    office = "https://w3id.org/seikg/id/actor/general-office-of-the-ministry-of-education"
    (tmp_path / "note.ttl").write_text(f'<{office}> <http://example.org/note> "a local note" .\n', encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    files = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    query = ("SELECT ?p ?note WHERE { ?p a <https://w3id.org/seikg/ontology#Notice> ; "
             "<https://w3id.org/seikg/ontology#issuedBy> ?issuer . ?issuer <http://example.org/note> ?note }")
    try:
        done = subprocess.run([comunica_sparql, f"sparql@{live_server}/sparql",
                               f"http://127.0.0.1:{files.server_port}/note.ttl", "-t", "application/json", query],
                              capture_output=True, text=True, timeout=300)
    finally:
        files.shutdown()
        files.server_close()
    assert done.returncode == 0, done.stderr[-2000:]
    rows = json.loads(done.stdout)
    expected = httpx.get(f"{live_server}/api/policies", params={"issuer": "general-office-of-the-ministry-of-education",
                                                              "type": "Notice", "per_page": 100}, timeout=60).json()
    assert {r["p"] for r in rows} == {p["iri"] for p in expected["items"]} and rows


def test_issue_17_comunica_reads_more_than_ten_thousand_rows_from_the_endpoint(live_server: str,
                                                                             comunica_sparql: str) -> None:
    done = subprocess.run([comunica_sparql, f"sparql@{live_server}/sparql", "-t", "application/json",
                           "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20000"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(json.loads(done.stdout)) == 20_000

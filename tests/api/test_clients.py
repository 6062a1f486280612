"""Real SPARQL clients on their defaults against the running server (issue 17): SPARQLWrapper in every format,
rdflib's SPARQLStore reading more than 10,000 triples, and every query of the README sent over HTTP."""
from __future__ import annotations

import re
import shlex

import httpx2 as httpx
import pytest
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper

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

"""The query side of the W3C SPARQL 1.1 Protocol tests (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl).

Each test sends the manifest's request and checks its expected status,
result and media type. The store holds the manifest's `ut:graphData` graphs.
Every update test must be refused with a 4xx, since the endpoint is read-only.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

RESULT_TYPES = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}
DATA = "http://kasei.us/2009/09/sparql/data/"


def _media(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def _true(response) -> bool:
    assert 200 <= response.status_code < 400, response.text
    assert _media(response) in RESULT_TYPES
    if _media(response) == "application/sparql-results+json":
        return response.json()["boolean"] is True
    return "true" in response.text


def test_protocol_query_get(client) -> None:
    assert _true(client.get("/sparql/?query=ASK%20%7B%7D"))


def test_protocol_query_post_form(client) -> None:
    response = client.post(f"/sparql/?default-graph-uri={quote(DATA + 'data0.rdf', safe='')}",
                           content="query=ASK%20%7B%7D",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert _true(response)


def test_protocol_query_post_direct(client) -> None:
    response = client.post("/sparql/", content="ASK {}", headers={"content-type": "application/sparql-query"})
    assert _true(response)


def test_protocol_query_dataset_default_graphs_get(client) -> None:
    query = f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}"
    response = client.get("/sparql/", params=[("query", query), ("default-graph-uri", DATA + "data1.rdf"),
                                               ("default-graph-uri", DATA + "data2.rdf")])
    assert _true(response)


def test_protocol_query_dataset_named_graphs_post(client) -> None:
    query = (f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}")
    response = client.post(f"/sparql/?named-graph-uri={quote(DATA + 'data1.rdf', safe='')}"
                           f"&named-graph-uri={quote(DATA + 'data2.rdf', safe='')}",
                           content=query, headers={"content-type": "application/sparql-query"})
    assert _true(response)


def test_protocol_query_dataset_full(client) -> None:
    query = (f"ASK {{ <{DATA}data3.rdf> a ?type GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
             f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}")
    response = client.post(f"/sparql/?default-graph-uri={quote(DATA + 'data3.rdf', safe='')}"
                           f"&named-graph-uri={quote(DATA + 'data1.rdf', safe='')}"
                           f"&named-graph-uri={quote(DATA + 'data2.rdf', safe='')}",
                           content=query, headers={"content-type": "application/sparql-query"})
    assert _true(response)


def test_protocol_query_multiple_dataset(client) -> None:
    """Protocol dataset IRIs override the query's FROM."""
    query = f"ASK FROM <{DATA}data2.rdf> {{ <{DATA}data1.rdf> ?p ?o }}"
    response = client.get("/sparql/", params=[("query", query), ("default-graph-uri", DATA + "data1.rdf")])
    assert _true(response)


@pytest.mark.parametrize("query,types", [
    ("SELECT (1 AS ?value) {}", RESULT_TYPES),
    ("ASK {}", RESULT_TYPES),
    ("DESCRIBE <http://example.org/>", RDF_TYPES),
    ("CONSTRUCT { <s> <p> 1 } WHERE {}", RDF_TYPES),
], ids=["select", "ask", "describe", "construct"])
def test_protocol_query_content_type(client, query: str, types: set[str]) -> None:
    response = client.get("/sparql/", params={"query": query})
    assert 200 <= response.status_code < 300, response.text
    assert _media(response) in types


def test_protocol_bad_query_method(client) -> None:
    assert client.put("/sparql/?query=ASK%20%7B%7D",
                      headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 405


def test_protocol_bad_multiple_queries(client) -> None:
    assert client.get("/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D").status_code == 400


def test_protocol_bad_query_wrong_media_type(client) -> None:
    response = client.post("/sparql/", content="ASK {}", headers={"content-type": "text/plain"})
    assert response.status_code in (400, 415)


def test_protocol_bad_query_missing_form_type(client) -> None:
    response = client.post("/sparql/", content="query=ASK%20%7B%7D", headers={"content-type": ""})
    assert response.status_code in (400, 415)


def test_protocol_bad_query_missing_direct_type(client) -> None:
    response = client.post("/sparql/", content="ASK {}", headers={"content-type": ""})
    assert response.status_code in (400, 415)


def test_protocol_bad_query_non_utf8(client) -> None:
    response = client.post("/sparql/", content="ASK {}".encode("utf-16"),
                           headers={"content-type": "application/sparql-query; charset=UTF-16"})
    assert response.status_code == 400


def test_protocol_bad_query_non_utf8_bytes_without_charset(client) -> None:
    response = client.post("/sparql/", content="ASK { ?s ?p 'café' }".encode("latin-1"),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400


def test_protocol_bad_query_syntax(client) -> None:
    response = client.get("/sparql/?query=ASK%20%7B")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "syntax_error" and error["line"] == 1 and error["column"] > 0


UPDATES = [
    ("bad_update_get", "GET", "/sparql/?update=CLEAR%20ALL", None, None),
    ("bad_multiple_updates", "POST", "/sparql/", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
     "application/x-www-form-urlencoded"),
    ("bad_update_wrong_media_type", "POST", "/sparql/", "CLEAR NAMED", "text/plain"),
    ("bad_update_missing_form_type", "POST", "/sparql/", "update=CLEAR%20NAMED", ""),
    ("bad_update_non_utf8", "POST", "/sparql/", "CLEAR NAMED".encode("utf-16"),
     "application/sparql-update; charset=UTF-16"),
    ("bad_update_syntax", "POST", "/sparql/", "update=INSERT%20DATA%20%7B", "application/x-www-form-urlencoded"),
    ("update_post_form", "POST", "/sparql/", "update=CLEAR%20ALL", "application/x-www-form-urlencoded"),
    ("update_post_direct", "POST", "/sparql/", "CLEAR ALL", "application/sparql-update"),
    ("update_dataset_default_graph", "POST", "/sparql/?using-graph-uri=" + quote(DATA + "data1.rdf", safe=""),
     "DROP ALL", "application/sparql-update"),
    ("update_base_uri", "POST", "/sparql/", "BASE <http://example.org/> INSERT DATA { <s> <p> 1 }",
     "application/sparql-update"),
    ("update_as_query_parameter", "GET", "/sparql/?query=" + quote("INSERT DATA { <s> <p> 1 }"), None, None),
]


@pytest.mark.parametrize("name,method,path,body,content_type", UPDATES, ids=[u[0] for u in UPDATES])
def test_protocol_updates_are_refused(client, ks_service, name, method, path, body, content_type) -> None:
    before = ks_service.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").body
    headers = {} if content_type is None else {"content-type": content_type}
    response = client.request(method, path, content=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()
    assert ks_service.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").body == before


def test_protocol_service_description(client) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200 and _media(response) == "text/turtle"
    assert "sd:Service" in response.text and "sd:endpoint" in response.text
    jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert _media(jsonld) == "application/ld+json"


def test_protocol_cors_on_get(client) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D", headers={"origin": "http://example.org"})
    assert response.headers.get("access-control-allow-origin") == "*"


def test_issue_17_the_common_prefixes_need_no_prefix_line(client) -> None:
    answer = client.get("/sparql", params={"query": "SELECT ?l WHERE { ?s rdfs:label ?l ; a seikg:Region } LIMIT 1"},
                        headers={"accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json()["results"]["bindings"]
    own = client.get("/sparql", params={"query": "PREFIX rdfs: <http://example.org/> ASK { ?s rdfs:label ?o }"},
                     headers={"accept": "application/sparql-results+json"})
    assert own.json()["boolean"] is False  # the query's own PREFIX line wins


def test_issue_17_a_syntax_error_names_the_users_own_line(client) -> None:
    error = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s rdfs:label ?l"}).json()["error"]
    assert error["code"] == "syntax_error" and error["line"] == 2, error


@pytest.mark.parametrize("query,params,media", [
    ("CONSTRUCT WHERE { ?s a seikg:Unit }", [("format", "xml"), ("output", "xml"), ("format", "json")],
     "application/rdf+xml"),  # SPARQLWrapper's XML default for a CONSTRUCT, its parameters repeated
    ("CONSTRUCT WHERE { ?s a seikg:Unit }", [("format", "json")], "application/ld+json"),
    ("CONSTRUCT WHERE { ?s a seikg:Unit }", [("output", "n3")], "text/turtle"),
    ("CONSTRUCT WHERE { ?s a seikg:Unit }", [("format", "rdf")], "application/rdf+xml"),
    ("SELECT * WHERE { ?s a seikg:Unit }", [("output", "tsv")], "text/tab-separated-values"),
    ("SELECT * WHERE { ?s a seikg:Unit }", [("format", "xml"), ("output", "xml")], "application/sparql-results+xml"),
])
def test_issue_17_format_and_output_are_read_as_fuseki_reads_them(client, query: str, params: list, media: str) -> None:
    answer = client.get("/sparql", params=[("query", query), *params])
    assert answer.status_code == 200 and _media(answer) == media, answer.text


def test_issue_17_an_unknown_web_graph_is_empty_and_a_file_is_refused(client) -> None:
    ask = "ASK { ?s ?p ?o }"
    assert _true(client.get("/sparql", params={"query": ask, "default-graph-uri": ""}))  # an empty value: no graph
    assert not _true(client.get("/sparql", params={"query": ask, "default-graph-uri": "http://example.org/none"}))
    assert not _true(client.get("/sparql", params={"query": "ASK FROM <http://example.org/none> { ?s ?p ?o }"}))
    for params in ({"query": ask, "named-graph-uri": "file:///etc/passwd"},
                   {"query": "ASK FROM <file:///etc/passwd> { ?s ?p ?o }"}):
        refused = client.get("/sparql", params=params)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "query_rejected", params


def test_issue_17_sparql_with_a_trailing_slash_is_served_not_redirected(client) -> None:
    answer = client.post("/sparql/", data={"query": "ASK {}"}, follow_redirects=False)
    assert answer.status_code == 200 and _media(answer) in RESULT_TYPES


def test_issue_17_rdflibs_default_graph_id_names_the_default_graph(client) -> None:
    """rdflib's Dataset over SPARQLStore sends default-graph-uri=urn:x-rdflib:default."""
    assert _true(client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "urn:x-rdflib:default"}))


def test_issue_17_sparqlwrappers_rdf_xml_word_is_rdf_xml(client) -> None:
    answer = client.get("/sparql", params=[("query", "CONSTRUCT WHERE { ?s a seikg:Unit }"), ("format", "rdf+xml"),
                                           ("output", "rdf+xml")])
    assert answer.status_code == 200 and _media(answer) == "application/rdf+xml"

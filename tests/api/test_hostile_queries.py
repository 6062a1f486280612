"""Hostile queries: read-only, no outbound access, size and shape limits, no false positives.

A loopback listener stands where SERVICE and FROM point; it must see no
connection at all. After every hostile request the graph is unchanged.
"""
from __future__ import annotations

import pytest

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _hostile(port: int) -> list[tuple[str, str]]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        ("service", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("service-lowercase", f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}"),
        ("service-silent", f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"),
        ("service-escaped", f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("service-escaped-long", f"SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("service-in-optional", f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}"),
        ("service-in-subquery", f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}"),
        ("service-variable", f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"),
        ("service-prefixed", f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}"),
        ("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
        ("from-relative-file", "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }"),
        ("load", f"LOAD <{url}>"),
        ("load-into", f"LOAD <{url}> INTO GRAPH <http://x/>"),
        ("insert-data", "INSERT DATA { <http://x/s> <http://x/p> 1 }"),
        ("delete-where", "DELETE WHERE { ?s ?p ?o }"),
        ("clear", "CLEAR ALL"),
        ("drop", "DROP DEFAULT"),
        ("create", "CREATE GRAPH <http://x/g>"),
        ("add", "ADD DEFAULT TO <http://x/g>"),
        ("move", "MOVE DEFAULT TO <http://x/g>"),
        ("copy", "COPY DEFAULT TO <http://x/g>"),
        ("with-modify", "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"),
        ("query-then-update", "SELECT * WHERE { ?s ?p ?o } ; CLEAR ALL"),
    ]


@pytest.mark.parametrize("case", range(23))
def test_hostile_query_is_refused_and_graph_unchanged(case: int, client, ks_service, listener) -> None:
    port, _ = listener
    name, query = _hostile(port)[case]
    before = ks_service.query(COUNT).body
    for method in ("get", "post"):
        if method == "get":
            response = client.get("/sparql", params={"query": query})
        else:
            response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
        assert response.status_code == 400, f"{name}: {response.status_code} {response.text}"
        assert response.json()["error"]["code"] in ("query_rejected", "syntax_error"), name
    assert ks_service.query(COUNT).body == before


@pytest.mark.parametrize("query", ["SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                                   "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"])
def test_issue_17_from_a_web_graph_is_an_empty_graph_and_nothing_connects(query: str, client, listener) -> None:
    port, accepted = listener
    before = len(accepted)
    response = client.get("/sparql", params={"query": query.format(url=f"http://127.0.0.1:{port}/sparql")},
                          headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    assert len(accepted) == before


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("target", ["network", "file"])
def test_hostile_protocol_dataset_iris_are_refused(parameter: str, target: str, client, listener) -> None:
    """A file is refused; a web IRI (issue 17) is an empty graph, and nothing connects to it."""
    port, accepted = listener
    iri = f"http://127.0.0.1:{port}/graph" if target == "network" else "file:///etc/passwd"
    before = len(accepted)
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", parameter: iri},
                          headers={"accept": "application/sparql-results+json"})
    if target == "file":
        assert response.status_code == 400
        assert parameter in response.json()["error"]["message"]
    else:
        assert response.status_code == 200 and response.json()["boolean"] is False  # an empty graph
        assert len(accepted) == before


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "customer service" }',
    "SELECT * WHERE { ?s <http://ex/SERVICE> ?o }",
    "SELECT ?from WHERE { ?from ?p ?o } LIMIT 1",
    "SELECT * WHERE { ?s ?p '''LOAD <http://x> ; CLEAR ALL''' }",
    'SELECT * WHERE { ?s ?p "x"@add }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE and INSERT in a comment\nLIMIT 1",
    "SELECT ?service ?insert WHERE { ?service ?insert ?o } LIMIT 1",
], ids=["literal", "iri", "variable-from", "long-literal", "lang-tag", "comment", "variables"])
def test_hostile_no_false_positives(query: str, client) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_hostile_query_over_16_kib_is_413_before_parsing(client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (16 * 1024)
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "query_too_large"


@pytest.mark.parametrize("depth", [65, 3000], ids=["just-over", "pyoxigraph-segfault-depth"])
def test_hostile_deep_nesting_is_refused(depth: int, client, ks_service) -> None:
    query = "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code in (400, 413)
    assert ks_service.query("ASK {}").body  # the service still answers


def test_hostile_nesting_at_the_limit_runs(client) -> None:
    query = "SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60 + " LIMIT 1"
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_hostile_error_bodies_leak_nothing(client) -> None:
    for query in ("ASK {", "SELECT * WHERE { ?s ?p ?o FILTER(", "CLEAR ALL"):
        text = client.get("/sparql", params={"query": query}).text
        for leak in ("Traceback", "/work/", "site-packages", ".py", "pyoxigraph", "rdflib"):
            assert leak not in text, (query, leak, text)


# -- issue 12 ---------------------------------------------------------------------------------------------

def _ssrf(port: int) -> str:
    return (f'PREFIX ex: <http://ex/> SELECT ?s ?o WHERE {{ BIND(ex:a||"x y" AS ?z) '
            f'SERVICE <http://127.0.0.1:{port}/anything> {{ ?s ?p ?o }} BIND("w" AS ?w) }}')


@pytest.mark.parametrize("route", ["/sparql", "/views/query", "/api/views/query"])
def test_issue_12_service_after_a_prefixed_name_and_a_string_is_refused(route: str, client, listener) -> None:
    port, accepted = listener
    response = client.get(route, params={"query": _ssrf(port)})
    assert response.status_code == 400, response.text
    assert "SERVICE is not allowed" in response.text
    assert "os error" not in response.text and "Connection refused" not in response.text
    assert accepted == []


def test_issue_12_a_run_of_ten_thousand_nots_does_not_kill_a_worker(client, ks_service) -> None:
    import psutil
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    query = "SELECT * WHERE { FILTER(" + "!" * 10_000 + ") }"
    for _ in range(3):
        response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "query_rejected"
    assert {p.pid for p in psutil.Process().children(recursive=True)} >= before  # no worker was lost
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p }", "SELECT * WHERE { ?s ?p ?o } LIMIT x",
                                   "SELECT * WHERE { ?s nope:x ?o }", "SELECT * WHERE { FILTER(?x > ) }",
                                   'SELECT * WHERE { ?s ?p "from" '])
def test_issue_12_syntax_errors_name_line_and_column_in_plain_words(query: str, client) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "syntax_error" and error["line"] == 1 and error["column"] > 0
    for internal in ("..=", "[_]", "\\u{", "expected one of", "Expected {", "ParseException"):
        assert internal not in error["message"], error["message"]


def test_issue_12_a_huge_id_in_an_api_path_is_a_bad_parameter(client) -> None:
    response = client.get("/api/policies/" + "a" * 60_000)  # httpx refuses URLs over 64 KiB
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_parameter"
    assert "query" not in response.json()["error"]["message"]


def test_issue_12_a_body_over_the_limit_is_413_before_it_is_read(client) -> None:
    response = client.post("/sparql", content=b"query=" + b"x" * (200 * 1024),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_issue_12_a_streamed_body_over_the_limit_is_413(client) -> None:
    def chunks():
        for _ in range(100):
            yield b"x" * 8192

    response = client.post("/sparql", content=chunks(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


# -- issue 12, found by the newcomer's attack: escapes that two readers read in two ways -----------------

ROUTES = ["/sparql", "/views/query", "/api/views/query"]


def _assert_refused(route: str, query: str, client, listener, *, message: str = "") -> None:  # noqa: ANN001
    """``query`` through ``route`` is refused by the screen (never run), and nothing reached the listener."""
    _, accepted = listener
    response = client.post(route, data={"query": query}) if route == "/sparql" else \
        client.get(route, params={"query": query})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] in ("query_rejected", "syntax_error")
    assert message in response.json()["error"]["message"]
    assert accepted == []


def _escaped(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return {
        "quote": f'SELECT * WHERE {{ BIND("\\u0022" AS ?a) SERVICE SILENT <{url}> {{ ?s ?p ?o }} # """ AS ?x)\n}}',
        "newline-in-comment": f'SELECT * WHERE {{ # \\u000ABIND("""\nSERVICE <{url}> {{ ?s ?p ?o }} # """ AS ?x)\n}}',
        "from": f'SELECT ?s # \\u000A("""\nFROM <{url}> # """ AS ?x)\nWHERE {{ ?s ?p ?o }} LIMIT 1',
        "hidden-depth": 'SELECT * WHERE { # \\u000ABIND("""\nBIND(' + "(" * 5000 + "1" + ")" * 5000
                        + ' AS ?y) # """ AS ?x)\n}',
        "form": '# \\u000ASELECT ?x ("""\nASK {} # """ AS ?y) WHERE {}',
    }


@pytest.mark.parametrize("name", ["quote", "newline-in-comment", "from", "hidden-depth", "form"])
@pytest.mark.parametrize("route", ROUTES)
def test_issue_12_escapes_that_engines_read_differently_are_refused(name: str, route: str, client,
                                                                   listener) -> None:
    _assert_refused(route, _escaped(listener[0])[name], client, listener, message="engines read in different ways")


def test_issue_12_escapes_of_letters_and_chinese_still_work(client) -> None:
    query = 'SELECT * WHERE { ?s ?p "\\u6559\\u80B2\\u90E8" } LIMIT 1'
    assert client.get("/sparql", params={"query": query}).status_code == 200


@pytest.fixture(scope="module")
def one_mib_results(ks_settings, ks_snapshot):
    """A service whose user results may be at most 1 MiB (one worker, a 10 s deadline)."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from api import create_app
    from kg.runtime import QueryService
    settings = replace(ks_settings, query_workers=1, query_deadline=10.0, max_result_mb=1)
    service = QueryService.from_snapshot(settings, ks_snapshot)
    with TestClient(create_app(service=service)) as test_client:
        yield test_client
    service.close()


def test_issue_12_a_result_over_the_byte_cap_is_refused_whole(one_mib_results) -> None:
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(17))  # a 2 MiB string
    query = f'SELECT ?a17 WHERE {{ BIND("0123456789abcdef" AS ?a0) {binds} }}'
    response = one_mib_results.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert response.status_code == 400, response.text[:200]
    assert response.json()["error"]["code"] == "result_too_large" and "MiB" in response.json()["error"]["message"]
    small = query.replace("SELECT ?a17", "SELECT ?a0")  # the same work, a small result: not refused
    assert one_mib_results.get("/sparql", params={"query": small}).status_code == 200


@pytest.mark.timeout(60)  # a hang guard: a quadratic screen takes hours on these; the speed is in bench/
def test_issue_12_long_non_ascii_texts_are_screened_without_hanging(client) -> None:
    for text in ("SELECT * WHERE { ?s ?p ?o } #" + "é" * 8000, 'SELECT * WHERE { ?s ?p "' + "\u0301" * 8000 + '" }'):
        assert client.get("/sparql", params={"query": text}).status_code in (200, 400)


# -- issue 12, found by the second attack: a CR ends a comment for Oxigraph but not for rdflib ---------------

def _carriage(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return {
        "escaped-hash-name": f"PREFIX ex: <http://e/> SELECT * WHERE {{ # x\rBIND(ex:a\\#b AS ?z) "
                             f"SERVICE SILENT <{url}> {{ ?s ?p ?o }}\n}}",
        "escaped-quote-name": f"PREFIX ex: <http://e/> SELECT * WHERE {{ # x\r?s ex:a\\'b ?o "
                              f"SERVICE SILENT <{url}> {{ ?s ?p ?o }} # '\n}}",
        "depth": "PREFIX ex: <http://e/> SELECT * WHERE { # x\rBIND(ex:a\\#b AS ?z) FILTER("
                 + "(" * 1000 + "1" + ")" * 1000 + "=1)\n}",
        "from": "PREFIX ex: <http://e/> SELECT ?s # x\r(ex:a\\#b AS ?z) FROM <file:///etc/passwd>\n"
                "WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    }


@pytest.mark.parametrize("name", ["escaped-hash-name", "escaped-quote-name", "depth", "from"])
@pytest.mark.parametrize("route", ROUTES)
def test_issue_12_a_carriage_return_cannot_hide_code_from_the_screen(name: str, route: str, client,
                                                                     listener) -> None:
    _assert_refused(route, _carriage(listener[0])[name], client, listener)


def test_issue_12_escaped_characters_in_prefixed_names_still_work(client) -> None:
    query = "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a\\#b ?o } LIMIT 1"
    assert client.get("/sparql", params={"query": query}).status_code == 200


# -- issue 12, found by the third attack: names that the parser and the engine split differently ---------------

def _split_names(port: int) -> dict[str, str]:
    return {
        "two-dot-groups": (f"PREFIX w: <https://>\nPREFIX : <http://127.0.0.1:{port}/sparql>\nSELECT ?s ?svc WHERE {{\n"
                           "  ?s <https://w3id.org/seikg/ontology#partOfRegion> "
                           "w:w3id.org\\/seikg\\/id\\/region\\/example-city.SERVICESILENT:x { BIND(1 AS ?svc) }\n}"),
        "minimal": f"PREFIX e: <http://e/> PREFIX : <http://127.0.0.1:{port}/> SELECT * {{ ?s ?p e:a.b.SERVICE:x {{ }} }}",
        "keyword-glued-to-a-number": f"SELECT * {{ ?s ?p 1SERVICE<http://127.0.0.1:{port}/> {{ }} }}",
        "depth-inside-a-less-than": "SELECT * { FILTER(1<" + "(" * 130 + "1" + ")" * 130 + "*(0>1)) }",
        "nots-inside-a-less-than": "SELECT * { FILTER(1<" + "!" * 100 + "(0>1)) }",
    }


@pytest.mark.parametrize("name", ["two-dot-groups", "minimal", "keyword-glued-to-a-number",
                                  "depth-inside-a-less-than", "nots-inside-a-less-than"])
@pytest.mark.parametrize("route", ROUTES)
def test_issue_12_names_split_differently_by_parser_and_engine_are_refused(name: str, route: str, client,
                                                                          listener) -> None:
    _assert_refused(route, _split_names(listener[0])[name], client, listener)


@pytest.mark.parametrize("query", ["PREFIX e: <http://e/> SELECT * WHERE { ?s e:a.b ?o } LIMIT 1",
                                   "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) } LIMIT 1",
                                   "SELECT * WHERE { ?s ?p <http://x/a(b)> } LIMIT 1"])
def test_issue_12_ordinary_names_and_comparisons_still_work(query: str, client) -> None:
    assert client.get("/sparql", params={"query": query}).status_code == 200


# -- issue 12, found by the fourth attack: a prefixed name that fails makes Oxigraph read its pieces ----------

def _failing_names(port: int) -> dict[str, str]:
    return {
        "invalid-iri-then-service": (f"PREFIX : <http://127.0.0.1:{port}/> PREFIX p: <http://[::1]> "
                                     "PREFIX SERVICESILENT: <http://e/> SELECT * WHERE { ?s !p:_:b SERVICESILENT:x "
                                     "{ ?remote ?rp ?ro } } LIMIT 1"),
        "invalid-iri-then-service-prefix": (f"PREFIX : <http://127.0.0.1:{port}/> PREFIX p: <http://h:8> "
                                            "SELECT * WHERE { ?s !p:_:b ?o }"),
        "from-named-in-a-prefix": ("PREFIX : <http://x/> DESCRIBE <https://w3id.org/seikg/software/seikg> "
                                   "FROMNAMED:nothing WHERE { GRAPH ?g { ?s ?p ?o } }"),
        "declared-service-prefix": "PREFIX service: <http://ex/> SELECT * WHERE { ?s ?p ?o service:x { } }",
        "undeclared-a": f"PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ ?s a:b ?o }}",
    }


@pytest.mark.parametrize("name", ["invalid-iri-then-service", "invalid-iri-then-service-prefix",
                                  "from-named-in-a-prefix", "declared-service-prefix", "undeclared-a"])
@pytest.mark.parametrize("route", ROUTES)
def test_issue_12_prefixed_names_that_fail_or_read_as_keywords_are_refused(name: str, route: str, client,
                                                                          listener) -> None:
    _assert_refused(route, _failing_names(listener[0])[name], client, listener)

# -- issue 12, found by the fifth attack: escapes that rdflib takes and Oxigraph does not -------------------

def _odd_escapes(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return {
        "four-digit-capital-u": f'SELECT * WHERE {{ VALUES ?x {{ """A" }} SERVICE SILENT <{url}> {{ ?svc ?p ?o }} }} '
                                '# \\U004A""" } }',
        "four-digit-capital-u-single": f"SELECT * WHERE {{ VALUES ?x {{ '''A' }} SERVICE SILENT <{url}> "
                                       "{ ?svc ?p ?o } } # \\U004A''' } }",
        "eight-digit-small-u": 'SELECT * WHERE { ?s ?p "\\u0000004A" }',
        "escaped-backslash-before-u": 'SELECT * WHERE { ?s ?p "\\\\u0041" }',
        "hidden-from": ('CONSTRUCT { ?s ?p ( """A" ) } FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 1 '
                        '# \\U004A""" ) } WHERE { ?s ?p ?o } LIMIT 1'),
    }


@pytest.mark.parametrize("name", ["four-digit-capital-u", "four-digit-capital-u-single", "eight-digit-small-u",
                                  "escaped-backslash-before-u", "hidden-from"])
@pytest.mark.parametrize("route", ROUTES)
def test_issue_12_escapes_rdflib_takes_and_oxigraph_does_not_are_refused(name: str, route: str, client,
                                                                        listener) -> None:
    _assert_refused(route, _odd_escapes(listener[0])[name], client, listener, message="engines read in different ways")


# -- issue 12, found by the sixth attack: a second "#" that the screen's expansion of a name dropped ----------

@pytest.mark.parametrize("query", [
    "PREFIX ex: <http://e/#> PREFIX g: <file:///etc/> DESCRIBE ?s ex:FROMNAMEDg:passwd\\#x "
    "WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    "PREFIX ex: <http://e/#> PREFIX g: <file:///etc/> DESCRIBE ?s ex:FROMg:passwd\\#x WHERE { ?s ?p ?o }",
], ids=["from-named", "from"])
@pytest.mark.parametrize("route", ROUTES)
def test_issue_12_a_name_expanded_exactly_as_oxigraph_builds_it(query: str, route: str, client, listener) -> None:
    _assert_refused(route, query, client, listener, message="does not make a valid IRI")

"""Issue 12: a differential fuzz test of the query screen against the engine, with a loopback listener.

Thousands of queries, generated from fragments and mutated from the corpus in
``tests/data/hostile/sparql_corpus.txt``, go through both passes of the screen
exactly as the service runs them; every query the screen admits is then
evaluated, in a worker with its network sandbox and in one without it. The
listener that SERVICE and FROM point at must never see a connection: the
screen alone must hold, and the sandbox alone must hold.
"""
from __future__ import annotations

import socket
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import QueryError, SeikgError
from kg.store.embedded import ExecutorLimits, Job, QueryExecutor
from kg.sparql.screen import screen_query

from tests.conftest import TESTS

CORPUS = [line.replace("\\r", "\r") for line in (TESTS / "data" / "hostile" / "sparql_corpus.txt")
          .read_text(encoding="utf-8").split("\n") if line and not line.startswith("# ")]  # \r stands for a CR
FRAGMENTS = [
    "SERVICE <{url}> { ?s ?p ?o }", "service <{url}> {}", "SERVICE SILENT <{url}> {}", "\\u0053ERVICE <{url}> {}",
    "SERV\\u0049CE <{url}> {}", "SERVICE svc:x {}", "SERVICE ?svc {}", "SERVICE<{url}>{}", "BIND(<{url}> AS ?svc)",
    "VALUES ?svc { <{url}> }", "FROM <{url}>", "FROM NAMED <{url}>", "ex:a", "ex:a||\"x y\"", "ex:a&&'x'",
    "\"x y\"", "'q'", "\"\"\"a \" b\"\"\"", "# c\n", "<http://ex/a>", "?v", "!", "&&", "||", "(", ")", "{", "}",
    ".", ";", ",", "ex:", ":", "ex:a.b", "ex:%41", "\\u0022", "\\u0027", "\\u0023", "@en", "^^ex:t", "OPTIONAL",
    "UNION", "MINUS", "FILTER", "EXISTS", "GRAPH ?g", "BIND(ex:a||\"}\" AS ?z)", "FILTER(!?v)", "ex:p\"#\"",
    "?s ?p ?o .", "\n", "\\U00000053", "SELECT * WHERE", "\r", "# x\r", "ex:a\\#b", "ex:a\\'b", "ex:a\\.b",
    "\\U004A", "\\u0000004A", "\\\\u0041", "\"\"\"A\"", "e:a.b.SERVICE:x", "1SERVICE",
]


def _executor(snapshot, sandbox: bool) -> QueryExecutor:
    return QueryExecutor(snapshot, ExecutorLimits(workers=1, canned_workers=1, deadline=3.0, sandbox=sandbox,
                                                  memory_bytes=1024 * 2**20, row_cap=50))


@pytest.fixture(scope="module")
def engines(ks_snapshot):
    """Two single-worker pools over the kitchen sink: one sandboxed, one not."""
    pools = {"sandboxed": _executor(ks_snapshot, True), "open": _executor(ks_snapshot, False)}
    yield pools
    for pool in pools.values():
        pool.close()


def _run_as_the_service(query: str, snapshot, engines) -> None:
    """Screen ``query`` as the service does and, if admitted, evaluate it in both pools."""
    try:
        screened = screen_query(query, allowed_graphs=snapshot.graph_set)
    except QueryError:
        return
    for pool in engines.values():
        fmt = "json" if screened.form in ("SELECT", "ASK") else "ntriples"
        try:
            pool.run(Job(screened.text, screened.form, fmt, parse=screened.parse))
        except SeikgError:
            pass


def _mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(0, 4))):
        where = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "upper", "lower", "escape", "delete"]))
        if action == "insert":
            text = text[:where] + data.draw(st.sampled_from(FRAGMENTS)) + text[where:]
        elif action == "upper":
            text = text[:where] + text[where:].upper()
        elif action == "lower":
            text = text[:where] + text[where:].lower()
        elif action == "escape" and where < len(text) and text[where].isalpha():
            text = text[:where] + f"\\u{ord(text[where]):04X}" + text[where + 1:]
        elif action == "delete" and where < len(text):
            text = text[:where] + text[where + 1:]
    return text


FUZZ = settings(max_examples=1500, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_issue_12_fuzz_mutated_corpus_never_connects(data, ks_snapshot, engines, listener) -> None:
    port, accepted = listener
    url = f"http://127.0.0.1:{port}/sparql"
    query = _mutate(data.draw(st.sampled_from(CORPUS)), data).replace("{url}", url)
    _run_as_the_service(query, ks_snapshot, engines)
    assert accepted == [], f"a query reached the listener: {query!r}"


@FUZZ
@given(data=st.data())
def test_issue_12_fuzz_fragment_soup_never_connects(data, ks_snapshot, engines, listener) -> None:
    port, accepted = listener
    url = f"http://127.0.0.1:{port}/sparql"
    body = " ".join(data.draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12)))
    query = (f"PREFIX ex: <http://ex/> PREFIX svc: <{url}> SELECT * WHERE {{ {body} }}").replace("{url}", url)
    _run_as_the_service(query, ks_snapshot, engines)
    assert accepted == [], f"a query reached the listener: {query!r}"


def test_issue_12_the_corpus_would_connect_without_both_layers(ks_snapshot, engines) -> None:
    """The control: the test can see a connection. The open pool, given a SERVICE the screen never saw, connects
    to a listener of its own (not the suite's); the sandboxed pool, given the same, does not."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(5)
    seen: list[object] = []

    def accept() -> None:
        try:
            conn, address = server.accept()
            seen.append(address)
            conn.close()
        except OSError:
            pass

    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server.getsockname()[1]}/x> {{ ?s ?p ?o }} }}"
    try:
        with pytest.raises(QueryError) as caught:
            engines["sandboxed"].run(Job(query, "SELECT", "json"))
        assert "os error" not in str(caught.value) and "refused" not in str(caught.value).lower()
        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        with pytest.raises(QueryError):
            engines["open"].run(Job(query, "SELECT", "json"))
        thread.join(timeout=5)
        assert len(seen) == 1, "the open worker should have reached its own listener (the control failed)"
        assert engines["sandboxed"].isolation.startswith("network namespace")
    finally:
        server.close()


@pytest.mark.parametrize("form,text", [("SELECT", "ASK {}"), ("ASK", "SELECT * WHERE {}"),
                                       ("SELECT", "CONSTRUCT WHERE { ?s ?p ?o }")])
def test_issue_12_a_form_the_engine_reads_differently_is_refused(form: str, text: str, engines) -> None:
    from kg.errors import QueryRejected
    fmt = "json" if form in ("SELECT", "ASK") else "ntriples"
    with pytest.raises(QueryRejected, match="refused rather than guessed"):
        engines["sandboxed"].run(Job(text, form, fmt))

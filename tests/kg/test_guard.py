"""Unit tests of kg.guard: what the screen accepts and refuses, and what it reports."""
from __future__ import annotations

import pytest

from kg.errors import QueryRejected, QueryTooLarge
from kg.guard import MAX_DEPTH, screen_query, unescape_codepoints

GRAPHS = {"https://w3id.org/seikg/graph/data", "https://w3id.org/seikg/graph/ontology"}


@pytest.mark.parametrize("query,form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX x: <http://x/> ASK { ?s x:p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/>", "DESCRIBE"),
])
def test_guard_reports_the_query_form(query: str, form: str) -> None:
    assert screen_query(query, allowed_graphs=GRAPHS).form == form


def test_guard_resolves_from_graphs_through_prefixes_and_base() -> None:
    screened = screen_query("PREFIX g: <https://w3id.org/seikg/graph/> SELECT * FROM g:data "
                            "FROM NAMED <ontology> WHERE { ?s ?p ?o }", allowed_graphs=GRAPHS,
                            base_iri="https://w3id.org/seikg/graph/")
    assert screened.from_graphs == ("https://w3id.org/seikg/graph/data",)
    assert screened.from_named_graphs == ("https://w3id.org/seikg/graph/ontology",)


@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }", "SERVICE"),
    ("INSERT DATA { <a> <b> <c> }", "updates are not supported"),
    ("SELECT * FROM <http://elsewhere/> WHERE { ?s ?p ?o }", "not a graph of this store"),
    ("SELECT * FROM unknown:g WHERE { ?s ?p ?o }", "not a graph of this store"),
    ("PREFIX ex: <http://x/>", "not a query"),
    ("SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1), "deeper than"),
])
def test_guard_refuses(query: str, message: str) -> None:
    with pytest.raises(QueryRejected, match=message):
        screen_query(query, allowed_graphs=GRAPHS)


def test_guard_size_is_checked_in_bytes_before_anything_else() -> None:
    with pytest.raises(QueryTooLarge):
        screen_query("SELECT * WHERE { ?s ?p '" + "汉" * 6000 + "' }", allowed_graphs=GRAPHS)


def test_guard_unescape_leaves_invalid_escapes() -> None:
    assert unescape_codepoints("\\u0041\\U0010FFFF\\UFFFFFFFF") == "A\U0010ffff\\UFFFFFFFF"

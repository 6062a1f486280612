"""Unit tests of kg.sparql.screen: what the screen accepts and refuses, and what it reports."""
from __future__ import annotations


import pytest

from kg.errors import QueryRejected, QuerySyntaxError, QueryTooLarge
from kg.sparql.examples import list_examples
from kg.sparql.screen import MAX_DEPTH, MAX_TREE_DEPTH, screen_query, unescape_codepoints
from kg.sparql.parsed_screen import check_parsed, plain_syntax_message

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
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "neither a graph of this store nor an http"),
    ("PREFIX unknown: <ftp://elsewhere/> SELECT * FROM unknown:g WHERE { ?s ?p ?o }", "neither a graph of this store"),
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


# -- issue 12: a screen that parses -------------------------------------------------------------------

SSRF = ('PREFIX ex: <http://ex/> SELECT ?s ?o WHERE { BIND(ex:a||"x y" AS ?z) '
        'SERVICE <http://127.0.0.1:9/anything> { ?s ?p ?o } BIND("w" AS ?w) }')


def _screen_fully(query: str, graphs: frozenset[str] = frozenset(GRAPHS)) -> object:
    """Both passes, as a query worker runs them."""
    screened = screen_query(query, allowed_graphs=graphs)
    return check_parsed(query, form=screened.form, allowed_graphs=graphs) if screened.parse else screened


def test_issue_12_prefixed_name_before_a_string_does_not_hide_service() -> None:
    with pytest.raises(QueryRejected, match="SERVICE"):
        screen_query(SSRF, allowed_graphs=GRAPHS)
    # and the parsed check alone finds it too, whatever the lexer made of the text
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_parsed(SSRF, form="SELECT", allowed_graphs=frozenset(GRAPHS))


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "service" }',
    "SELECT * WHERE { ?s ?p ?o } # from here",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
    "SELECT ?from WHERE { ?from ?p ?o }",
])
def test_issue_12_risky_words_in_literals_go_to_the_parse_and_pass(query: str) -> None:
    screened = screen_query(query, allowed_graphs=GRAPHS)
    assert screened.parse
    assert check_parsed(query, form=screened.form, allowed_graphs=frozenset(GRAPHS)).form == "SELECT"


@pytest.mark.parametrize("family,query", [
    ("not-run", "SELECT * WHERE { FILTER(" + "!" * 10_000 + ") }"),
    ("minus-run", "SELECT * WHERE { FILTER(" + "- " * 2_000 + "1) }"),
    ("parens", "SELECT * WHERE { FILTER(" + "(" * 3_000 + "1" + ")" * 3_000 + ") }"),
    ("braces", "SELECT * WHERE " + "{" * 3_000 + "}" * 3_000),
    ("plus-chain", "SELECT * WHERE { FILTER(" + "+".join(["1"] * 4_000) + ") }"),
    ("or-chain", "SELECT * WHERE { FILTER(" + "||".join(["1"] * 3_000) + ") }"),
    ("union-chain", "SELECT * WHERE { " + " UNION ".join(["{}"] * 1_500) + " }"),
    ("path-chain", "SELECT * WHERE { ?s " + "/".join(["<p>"] * 600) + " ?o }"),
    ("optional-chain", "SELECT * WHERE { " + " ".join(["OPTIONAL {}"] * 400) + " }"),
])
@pytest.mark.timeout(60)  # a hang guard: a screen that recursed or backtracked on these would never end
def test_issue_12_deep_trees_are_refused_by_their_shape(family: str, query: str) -> None:
    with pytest.raises(QueryRejected, match="deeper than|in a row|operators"):
        _screen_fully(query)


def test_issue_12_shipped_queries_pass_both_passes(shared_dir) -> None:
    import yaml

    from kg.sparql.queries import load_query, query_names
    texts = [load_query(name) for name in query_names()]
    texts += [example.query for example in list_examples()]
    questions = yaml.safe_load((shared_dir / "competency" / "public.yaml").read_text(encoding="utf-8"))
    texts += [questions["prefixes"] + q["sparql"] for q in questions["questions"]]
    for text in texts:
        screened = screen_query(text.replace("# @values", "#"), allowed_graphs=GRAPHS)
        parsed = check_parsed(text, form=screened.form, allowed_graphs=frozenset(GRAPHS))
        assert parsed.depth <= MAX_TREE_DEPTH // 4


def test_issue_12_fast_path_texts_cannot_hold_service_or_from() -> None:
    fast = screen_query("SELECT * WHERE { ?s ?p ?o }", allowed_graphs=GRAPHS)
    assert not fast.parse
    escaped = screen_query("SELECT * WHERE { ?s ?p ?o } # \\u0066rom", allowed_graphs=GRAPHS)
    assert escaped.parse


def test_issue_12_parser_and_first_pass_must_agree_on_the_form() -> None:
    with pytest.raises(QueryRejected, match="refused rather than guessed"):
        check_parsed("ASK { ?s ?p ?o }", form="SELECT", allowed_graphs=frozenset(GRAPHS))


def test_issue_12_parsed_from_must_be_a_store_graph() -> None:
    query = 'PREFIX e: <file:///etc/> SELECT * FROM e:passwd WHERE { ?s ?p "service" }'
    with pytest.raises(QueryRejected, match="neither a graph of this store"):
        check_parsed(query, form="SELECT", allowed_graphs=frozenset(GRAPHS))


def test_issue_17_an_unknown_web_graph_passes_both_passes_as_an_empty_graph() -> None:
    query = 'PREFIX e: <http://elsewhere/> SELECT * FROM e:g WHERE { ?s ?p "service" }'
    assert screen_query(query, allowed_graphs=GRAPHS).from_graphs == ("http://elsewhere/g",)
    assert check_parsed(query, form="SELECT", allowed_graphs=frozenset(GRAPHS)).from_graphs == ("http://elsewhere/g",)


@pytest.mark.parametrize("engine,text,expected", [
    ("error at 1:25: expected one of LATERAL, SERVICE, [_]", "SELECT * WHERE { ?s ?p }", "after `}`"),
    ('error at 1:27: expected one of ",", ".", ";", "{", "}", [_]', "SELECT * WHERE { ?s ?p ?o", "expected `,`"),
    ("error at 1:35: expected one of HAVING, OFFSET, OPTIONAL, VALUES, ['0'..='9']",
     "SELECT * WHERE { ?s ?p ?o } LIMIT x", "near `x`"),
    ("error at 1:48: expected OPTIONAL", "PREFIX a: <http://a/> SELECT * WHERE { ?s b:x ?o }",
     "the prefix `b:` is not declared"),
])
def test_issue_12_syntax_errors_are_in_plain_words(engine: str, text: str, expected: str) -> None:
    message, line, column = plain_syntax_message(engine, text)
    assert expected in message
    assert line == 1 and column > 0
    for internal in ("..=", "[_]", "LATERAL", "expected one of", "\\u{"):
        assert internal not in message


def test_issue_12_parse_failures_say_where_in_plain_words() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        check_parsed('SELECT * WHERE { ?s ?p "from" ', form="SELECT", allowed_graphs=frozenset(GRAPHS))
    assert caught.value.line == 1 and caught.value.column > 0
    assert "Expected" not in str(caught.value)


def test_issue_12_an_invalid_escape_is_a_syntax_error_not_a_crash() -> None:
    query = 'SELECT * WHERE { ?s ?p "service \\U00230005" }'  # found by the fuzz test
    with pytest.raises(QueryRejected, match="engines read in different ways"):
        screen_query(query, allowed_graphs=GRAPHS)  # the first pass refuses it now; the parsed check too:
    with pytest.raises(QuerySyntaxError, match="invalid"):
        check_parsed(query, form="SELECT", allowed_graphs=frozenset(GRAPHS))


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p <http://[::1]x> }", 'SELECT * WHERE { ?s ?p "x"@e1 }'])
def test_issue_12_terms_oxigraph_refuses_are_refused_before_it_backtracks(query: str) -> None:
    with pytest.raises(QueryRejected, match="every engine reads the same way"):
        screen_query(query, allowed_graphs=GRAPHS)


def test_issue_17_a_mistyped_query_form_is_named_in_the_refusal() -> None:
    with pytest.raises(QueryRejected, match="expected SELECT, ASK, CONSTRUCT or DESCRIBE, found `SELET`"):
        screen_query("SELET * WHERE { ?s ?p ?o }", allowed_graphs=GRAPHS)

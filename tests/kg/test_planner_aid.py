"""Issue 18: the planner aid moves an OPTIONAL last only where the query stays the same, and every shipped
query gives the same rows rewritten as written."""
from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
import yaml

from kg import serialize_dataset
from kg.sparql.examples import list_examples
from kg.sparql.planner_aid import move_optionals_last
from kg.sparql.prologue import predeclare
from kg.sparql.queries import bind_values, load_query, query_names


@pytest.mark.parametrize("query,moved", [
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?c <l> ?l }", True),
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?d <l> ?l }", False),  # ?d is used after it
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d FILTER(?d > ?l) } ?c <l> ?l }", False),  # its filter reads ?l
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } FILTER(BOUND(?d)) }", False),  # only a filter follows
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } BIND(STR(?d) AS ?s) }", False),
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } BIND(STR(?c) AS ?s) }", True),
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } OPTIONAL { ?p <e> ?e } }", False),  # nothing to pass
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } MINUS { ?c <x> ?d } }", False),
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } { ?c <l> ?l } UNION { ?c <m> ?l } }", True),
    ("SELECT * { { SELECT ?p WHERE { ?p a ?c OPTIONAL { ?p <d> ?d } ?c <l> ?l } } }", False),  # sub-select
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?c <http://e/?q=1> ?l }", False),  # an IRI in doubt
    ("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?c <l> ?l", False),  # unbalanced: left alone
    ("SELECT * { ?p a ?c . ?c <l> ?l }", False),
])
def test_issue_18_an_optional_moves_only_past_what_shares_none_of_its_variables(query: str, moved: bool) -> None:
    rewritten = move_optionals_last(query)
    assert (rewritten != query) is moved, rewritten
    if moved:
        ox.Store().query(rewritten, base_iri="http://e/")  # still a query
        assert sorted(rewritten.replace(".", "").split()) == sorted(query.replace(".", "").split())


def test_issue_18_the_rewrite_keeps_every_character_of_what_it_does_not_move() -> None:
    query = 'SELECT ?x { ?x <p> "a \\"OPTIONAL {\\" b"@en # OPTIONAL { ?y }\n OPTIONAL { ?x <q> ?y } ?v <r> ?z }'
    rewritten = move_optionals_last(query)
    assert '"a \\"OPTIONAL {\\" b"@en' in rewritten and rewritten.index("<r>") < rewritten.index("<q>")


@pytest.fixture(scope="module")
def real_store(built):
    store = ox.Store()
    store.bulk_load(serialize_dataset(built.dataset, "nquads"), format=ox.RdfFormat.N_QUADS)
    return store


def _shipped_queries(shared_dir) -> dict[str, str]:
    competency = yaml.safe_load((shared_dir / "competency" / "public.yaml").read_text(encoding="utf-8"))
    queries = {f"competency {q['id']}": competency["prefixes"] + q["sparql"] for q in competency["questions"]}
    queries |= {f"example {e.name}": predeclare(e.query, declared=()) for e in list_examples()}
    queries |= {f"canned {name}": predeclare(bind_values(load_query(name), {}), declared=()) for name in query_names()}
    return queries


def _rows(store: ox.Store, text: str) -> Counter:
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return Counter([bool(result)])
    if isinstance(result, ox.QueryTriples):
        return Counter(str(t) for t in result if not isinstance(t.subject, ox.BlankNode))
    names = [v.value for v in result.variables]
    return Counter(tuple(str(row[n]) if row[n] is not None else None for n in names) for row in result)


def test_issue_18_every_shipped_query_gives_the_same_rows_rewritten(real_store, shared_dir) -> None:
    rewritten = []
    for name, text in _shipped_queries(shared_dir).items():
        aided = move_optionals_last(text)
        if aided == text:
            continue
        rewritten.append(name)
        assert _rows(real_store, aided) == _rows(real_store, text), name
    assert "competency PUB02" in rewritten, rewritten
    assert len(rewritten) >= 3, rewritten

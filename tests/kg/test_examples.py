"""The editor's example queries: every one runs on the real graph and returns rows."""
from __future__ import annotations

import pytest

from kg import run_query
from kg.sparql.examples import list_examples, render_competency_examples

EXAMPLES = list_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_examples_run_and_return_rows(example, real_graph) -> None:
    assert len(list(run_query(real_graph, example.query))) > 0, example.title


def test_examples_cover_every_contract_term() -> None:
    text = "\n".join(e.query for e in EXAMPLES if e.group == "contract")
    for term in ("seikg:PolicyDocument", "seikg:issuedBy", "dcterms:issued", "dcterms:identifier",
                 "seikg:establishesMechanism", "seikg:appliesToRegion", "seikg:proposesMechanism",
                 "seikg:identifiesProblem", "seikg:addressesProblem", "seikg:involvesActor",
                 "seikg:implementsMechanism", "seikg:locatedIn", "seikg:partOfRegion", "seikg:facesProblem",
                 "skos:broader", "org:subOrganizationOf", "rdfs:label"):
        assert term in text, term


def test_examples_include_every_public_competency_question(shared_dir) -> None:
    rendered = render_competency_examples(shared_dir / "competency" / "public.yaml")
    shipped = {e.name + ".rq": e.query for e in EXAMPLES if e.group == "competency question"}
    assert shipped == rendered, "run `seikg generate` to refresh the competency-question examples"

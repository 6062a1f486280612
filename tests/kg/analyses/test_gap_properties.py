"""Property tests of the gap analysis on random small worlds (hypothesis).

* Adding a mechanism that addresses a faced problem and is present in the region never adds a gap there,
  and removes that problem's gap.
* Removing every present mechanism's link to a covered problem creates exactly that gap.
* The Python analysis and the shipped SPARQL (region_gaps.rq) always agree.
"""
from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.analyses import find_region_gaps
from kg.projection import SEIKG, project_triples
from kg.sparql.queries import bind_values, load_query

from tests.kg.analyses.conftest import iri

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CLASSES = {"region": "Region", "problem": "Problem", "mechanism": "Mechanism", "policy": "PolicyDocument",
           "actor": "Actor"}


@st.composite
def worlds(draw):  # noqa: ANN001, ANN201
    sizes = {"region": draw(st.integers(1, 6)), "problem": draw(st.integers(1, 6)),
             "mechanism": draw(st.integers(0, 6)), "policy": draw(st.integers(0, 4)), "actor": draw(st.integers(0, 3))}
    names = {kind: [iri(kind, f"{kind[0]}{i}") for i in range(n)] for kind, n in sizes.items()}
    triples = {(e, TYPE, SEIKG + CLASSES[kind]) for kind, entities in names.items() for e in entities}
    regions = names["region"]
    for i in range(1, len(regions)):  # a forest: each region's parent comes before it
        parent = draw(st.integers(-1, i - 1))
        if parent >= 0:
            triples.add((regions[i], SEIKG + "partOfRegion", regions[parent]))

    def links(subjects: list[str], predicate: str, objects: list[str]) -> None:
        if subjects and objects:
            pairs = draw(st.sets(st.tuples(st.sampled_from(subjects), st.sampled_from(objects)), max_size=8))
            triples.update((s, SEIKG + predicate, o) for s, o in pairs)

    links(regions, "facesProblem", names["problem"])
    links(names["mechanism"], "addressesProblem", names["problem"])
    links(names["policy"], "establishesMechanism", names["mechanism"])
    links(names["policy"], "appliesToRegion", regions)
    links(names["actor"], "locatedIn", regions)
    links(names["actor"], "implementsMechanism", names["mechanism"])
    region = draw(st.sampled_from(regions))
    return sorted(triples), region


def _gaps(triples, region: str) -> set[str]:
    return {g.problem.iri for g in find_region_gaps(project_triples(triples), region, centrality={}).gaps}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_gap_property_adding_a_present_mechanism_never_adds_a_gap(world, data) -> None:
    triples, region = world
    before = _gaps(triples, region)
    problems = sorted({o for s, p, o in triples if p == SEIKG + "facesProblem"}) or [iri("problem", "p0")]
    problem = data.draw(st.sampled_from(problems))
    new, policy = iri("mechanism", "new"), iri("policy", "new")
    after = _gaps(triples + [(new, TYPE, SEIKG + "Mechanism"), (policy, TYPE, SEIKG + "PolicyDocument"),
                             (new, SEIKG + "addressesProblem", problem), (policy, SEIKG + "establishesMechanism", new),
                             (policy, SEIKG + "appliesToRegion", region)], region)
    assert after <= before
    assert after == before - {problem}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_gap_property_removing_the_last_cover_creates_exactly_that_gap(world, data) -> None:
    triples, region = world
    result = find_region_gaps(project_triples(triples), region, centrality={})
    if not result.covered:
        return
    covered = data.draw(st.sampled_from(result.covered))
    removed = {(m.iri, SEIKG + "addressesProblem", covered.problem.iri) for m in covered.mechanisms}
    after = _gaps([t for t in triples if t not in removed], region)
    assert after == {g.problem.iri for g in result.gaps} | {covered.problem.iri}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_gap_property_python_and_sparql_agree(world) -> None:
    triples, region = world
    store = ox.Store()
    store.extend([ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o)) for s, p, o in triples])
    rows = store.query(bind_values(load_query("region_gaps"), {"region": ("iri", region), "crossSource": ("boolean", "true")}))
    assert {row["problem"].value for row in rows} == _gaps(triples, region)

"""Region gaps on the toy world, answers worked out by hand (see tests/data/analyses/toy.ttl)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.analyses import find_region_gaps, present_mechanisms
from kg.analyses.gaps import region_scope
from kg.errors import NotFoundError
from kg.sparql.queries import bind_values, load_query

from tests.kg.analyses.conftest import TOY, iri


def _gap_ids(result) -> list[str]:
    return [g.problem.iri.rsplit("/", 1)[-1] for g in result.gaps]


def test_gaps_scope_walks_up_and_down_the_hierarchy(toy) -> None:
    up, down = region_scope(toy, iri("region", "x"))
    assert up == [iri("region", r) for r in ("x", "p", "c")]  # nearest first
    assert down == [iri("region", r) for r in ("x", "d")]


@pytest.mark.parametrize(("region", "gaps"), [
    ("c", []),            # faces p1 (m1 via pol1); m2 is present through a4 in D, a descendant
    ("p", []),            # p1 (m1), p2 (m2 via a4 in D)
    ("x", ["p3"]),        # m3 only applies to Y; p2 covered by a4 in D, below X
    ("y", ["p2"]),        # a4 is not in Y or below it
    ("z", ["p2"]),        # m4 present (pol4) but addresses p6, narrower than p2
    ("d", ["p5", "p3"]),  # p5 is an orphan, and D's own: it comes first (p3 is inherited from X)
])
def test_gaps_per_region(toy, region: str, gaps: list[str]) -> None:
    assert _gap_ids(find_region_gaps(toy, iri("region", region))) == gaps


def test_gaps_present_mechanisms_say_why(toy) -> None:
    present = present_mechanisms(toy, iri("region", "d"))
    assert sorted(m.rsplit("/", 1)[-1] for m in present) == ["m1", "m2", "m4"]
    (via,) = present[iri("mechanism", "m2")]
    assert (via.kind, via.through.label, via.region.label) == ("actor", "a4", "D")
    (via,) = present[iri("mechanism", "m4")]
    assert (via.kind, via.through.label, via.region.label) == ("policy", "pol3", "X")


def test_gaps_candidates_ranked_by_sources_then_policies(toy) -> None:
    (gap,) = find_region_gaps(toy, iri("region", "y")).gaps
    assert [(c.label, c.rank, len(c.proposed_by), c.established_by) for c in gap.candidates] == [
        ("m5", 1, 2, 0), ("m2", 2, 1, 0)]
    assert [f.region.label for f in gap.faced_in] == ["P"]
    assert gap.explanation.startswith("Y faces this problem (as part of P; no evidence recorded)")
    assert not gap.orphan


def test_gaps_near_miss_for_a_narrower_problem(toy) -> None:
    (gap,) = find_region_gaps(toy, iri("region", "z")).gaps
    assert [(n.mechanism.label, n.addresses.label, n.relation) for n in gap.near_misses] == [("m4", "p6", "narrower")]
    assert "broader or narrower" in gap.explanation


def test_gaps_orphan_problem_has_no_candidates(toy) -> None:
    gaps = {g.problem.label: g for g in find_region_gaps(toy, iri("region", "d")).gaps}
    assert gaps["p5"].orphan and gaps["p5"].candidates == ()
    assert "orphan" in gaps["p5"].explanation
    assert [c.label for c in gaps["p3"].candidates] == ["m3"]


def test_gaps_cite_the_evidence_of_the_faced_problem(toy) -> None:
    result = find_region_gaps(toy, iri("region", "y"))
    covered = {c.problem.label: [m.label for m in c.mechanisms] for c in result.covered}
    assert covered == {"p1": ["m1"], "p4": ["m3"]}
    present = {m.label: [p.label for p in m.addresses] for m in result.present}
    assert present == {"m1": ["p1"], "m3": ["p3", "p4"]}


def test_gaps_unknown_region(toy) -> None:
    with pytest.raises(NotFoundError, match="no region 'nowhere'"):
        find_region_gaps(toy, iri("region", "nowhere"))
    with pytest.raises(NotFoundError):
        find_region_gaps(toy, iri("problem", "p1"))  # not a region


@pytest.mark.parametrize("region", ["c", "p", "x", "y", "z", "d"])
def test_gaps_carry_sparql_that_proves_them(toy, region: str) -> None:
    store = ox.Store()
    store.load(path=str(TOY), format=ox.RdfFormat.TURTLE)
    result = find_region_gaps(toy, iri("region", region))
    rows = store.query(result.method.sparql)
    assert sorted(row["problem"].value for row in rows) == sorted(g.problem.iri for g in result.gaps)
    present = store.query(bind_values(load_query("region_present"), {"region": ("iri", iri("region", region))}))
    assert {row["mechanism"].value for row in present} == {m.iri for m in result.present}


SEIKG = "https://w3id.org/seikg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _world() -> list[tuple]:
    """A country C with a province P; P faces q1 itself, C faces q2; a case in P exemplifies k1 (for q1);
    P has a statistic with its evidence."""
    from kg.projection import Lit
    c, p, q1, q2, k1, case = (iri("region", "c"), iri("region", "p"), iri("problem", "q1"), iri("problem", "q2"),
                              iri("mechanism", "k1"), iri("case", "k1-in-p"))
    stat, ev, src = iri("quantity", "p-1"), iri("evidence", "e1"), iri("source", "s")
    return [(c, RDF + "type", SEIKG + "Region"), (p, RDF + "type", SEIKG + "Region"),
            (p, SEIKG + "partOfRegion", c), (p, SEIKG + "facesProblem", q1), (c, SEIKG + "facesProblem", q2),
            (q1, RDF + "type", SEIKG + "Problem"), (q2, RDF + "type", SEIKG + "Problem"),
            (k1, RDF + "type", SEIKG + "Mechanism"), (k1, SEIKG + "addressesProblem", q2),
            (case, RDF + "type", SEIKG + "Case"), (case, SEIKG + "caseRegion", p),
            (case, SEIKG + "exemplifiesMechanism", k1),
            (p, SEIKG + "hasQuantity", stat), (stat, RDF + "type", SEIKG + "QuantitativeFact"),
            (stat, SEIKG + "measure", Lit("share of pilot cities")), (stat, RDF + "value", Lit("19", None,
             "http://www.w3.org/2001/XMLSchema#decimal")), (stat, SEIKG + "unit", iri("unit", "percent")),
            (stat, RDFS_LABEL, Lit("share of pilot cities: 19%", "en")),
            (ev, RDF + "type", SEIKG + "Evidence"), (ev, RDF + "subject", stat), (ev, RDF + "predicate", RDF + "value"),
            (ev, RDF + "object", Lit("19")), (ev, SEIKG + "inSource", src), (ev, SEIKG + "section", Lit("2.2")),
            (ev, SEIKG + "anchor", Lit("the western region accounted for 19%"))]


def test_issue_15_a_case_there_makes_its_mechanism_present_and_the_sparql_agrees() -> None:
    from kg.projection import Lit, project_triples
    triples = _world()
    result = find_region_gaps(project_triples(triples), iri("region", "p"), centrality={})
    (present,) = result.present
    assert present.iri == iri("mechanism", "k1") and [v.kind for v in present.via] == ["case"]
    assert [c.problem.iri for c in result.covered] == [iri("problem", "q2")]
    store = ox.Store()
    store.extend([ox.Quad(ox.NamedNode(s), ox.NamedNode(p),
                          ox.Literal(o.value, language=o.language) if isinstance(o, Lit) and o.language
                          else ox.Literal(o.value) if isinstance(o, Lit) else ox.NamedNode(o)) for s, p, o in triples])
    assert {r["problem"].value for r in store.query(result.method.sparql)} == {g.problem.iri for g in result.gaps}
    rows = store.query(bind_values(load_query("region_present"), {"region": ("iri", iri("region", "p"))}))
    assert {r["mechanism"].value for r in rows} == {iri("mechanism", "k1")}


def test_issue_15_each_gap_says_why_it_applies_and_the_region_s_own_come_first(toy) -> None:
    result = find_region_gaps(toy, iri("region", "d"))
    own, inherited = result.gaps
    assert (own.problem.iri, own.layer, own.inherited_from) == (iri("problem", "p5"), "own", None)
    assert (inherited.problem.iri, inherited.layer) == (iri("problem", "p3"), "inherited")
    assert inherited.inherited_from.iri == iri("region", "x")  # the nearest containing region that states it
    assert (result.own_problems, result.own_gaps) == (1, 1)
    assert inherited.remedy_sources == 0 and own.strength == "stated"


def test_issue_15_a_region_carries_its_statistics_with_their_evidence() -> None:
    from kg.projection import project_triples
    projections = project_triples(_world())
    (item,) = find_region_gaps(projections, iri("region", "p"), centrality={}).statistics
    assert item.region.iri == iri("region", "p") and item.statistic.sentence == "share of pilot cities: 19%"
    assert (item.statistic.value, item.statistic.unit) == (19.0, "percent")
    assert item.statistic.evidence[0].anchor == "the western region accounted for 19%"
    (inside,) = find_region_gaps(projections, iri("region", "c"), centrality={}).statistics
    assert inside.region.iri == iri("region", "p")  # a place inside C: listed, and said to be P's


def test_issue_15_a_comparison_puts_the_rows_that_differ_first(toy) -> None:
    from kg.analyses.comparison import compare_regions
    result = compare_regions(toy, [iri("region", "x"), iri("region", "d")])
    differs = [row.differs for row in result.problems]
    assert differs == sorted(differs, reverse=True) and differs[0]
    shared = [len({c.status for c in row.cells}) == 1 for row in result.rows]
    assert shared == sorted(shared)


def test_issue_15_a_statistic_that_indicates_a_problem_makes_it_the_regions_own(built) -> None:
    from kg.analyses.gaps import INDICATED, find_region_gaps
    from kg.projection import project_graph
    projections = project_graph(built.dataset, version="real")
    region = "https://w3id.org/seikg/id/region/"
    northeast = find_region_gaps(projections, region + "northeastern-region")
    own = [g for g in northeast.gaps if g.layer == INDICATED]
    assert [g.problem.iri.rsplit("/", 1)[-1] for g in own] == ["regional-imbalance-of-vocational-education-resources"]
    assert northeast.gaps[0] is own[0] and northeast.own_gaps == northeast.own_problems == 1
    (faced,) = own[0].faced_in
    assert faced.statistic is not None and faced.statistic.value == 4.8 and "4.8%" in own[0].why
    assert {e.section for e in faced.evidence} == {"2.2", "3.1"} and own[0].strength == "implied"
    province = find_region_gaps(projections, region + "heilongjiang")
    row = next(g for g in province.gaps if g.problem.iri == own[0].problem.iri)
    assert row.layer == "inherited" and row.inherited_from.iri == region + "northeastern-region"
    # the east: no source states or indicates a problem of its own, so all its gaps are inherited
    east = find_region_gaps(projections, region + "eastern-region")
    assert east.own_gaps == 0 and {g.layer for g in east.gaps} == {"inherited"}


def test_issue_15_a_place_lists_the_figures_of_the_actors_and_cases_wholly_inside_it(built) -> None:
    from kg.analyses.gaps import find_region_gaps
    from kg.projection import project_graph
    projections = project_graph(built.dataset, version="real")
    region = "https://w3id.org/seikg/id/region/"
    changzhou = find_region_gaps(projections, region + "changzhou").statistics
    assert {s.through_kind for s in changzhou} == {"actor"}
    assert any(s.statistic.value == 428 for s in changzhou)  # the consortium's achievements released in 2024
    # a case that names places in two macro-regions (Hefei with Ningbo and Qingdao) counts for neither
    east = find_region_gaps(projections, region + "eastern-region").statistics
    assert not any(s.through and "Hefei" in s.through.label for s in east)
    china = find_region_gaps(projections, region + "china").statistics
    assert any(s.through_kind == "case" and s.statistic.value == 35 for s in china)
    assert len({(s.through.iri if s.through else None, s.statistic.iri) for s in china}) == len(china)  # each once

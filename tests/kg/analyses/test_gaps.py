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
    ("d", ["p3", "p5"]),  # p5 is an orphan
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
    assert sorted(row["problem"].value for row in rows) == [g.problem.iri for g in result.gaps]
    present = store.query(bind_values(load_query("region_present"), {"region": ("iri", iri("region", region))}))
    assert {row["mechanism"].value for row in present} == {m.iri for m in result.present}

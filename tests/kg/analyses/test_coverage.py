"""Problem and framework coverage, and region comparison, on the toy world (answers worked out by hand)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.analyses import compare_regions, cover_frameworks, cover_problems
from kg.errors import InvalidArgument

from tests.kg.analyses.conftest import TOY, iri


def _labels(items) -> list[str]:
    return [i.label for i in items]


def test_coverage_orphan_fragile_and_proposal_only_problems(toy) -> None:
    coverage = cover_problems(toy)
    assert coverage.problems == 6
    assert _labels(coverage.orphans) == ["p5"]
    assert _labels(coverage.fragile) == ["p1", "p3", "p4", "p6"]
    assert _labels(coverage.proposals_only) == ["p2"]
    (p2,) = coverage.proposals_only
    assert _labels(p2.mechanisms) == ["m2", "m5"] and p2.established == ()


def test_coverage_sparql_agrees(toy) -> None:
    store = ox.Store()
    store.load(path=str(TOY), format=ox.RdfFormat.TURTLE)
    rows = {r["problemLabel"].value: (int(r["mechanisms"].value), int(r["establishedMechanisms"].value))
            for r in store.query(cover_problems(toy).method.sparql)}
    assert rows == {"p1": (1, 1), "p2": (2, 0), "p3": (1, 1), "p4": (1, 1), "p5": (0, 0), "p6": (1, 1)}


def test_coverage_framework_components(toy) -> None:
    (framework,) = cover_frameworks(toy)
    assert framework.label == "F" and _labels(framework.proposed_by) == ["s1"]
    assert [(c.label, c.top, _labels(c.established_by), _labels(c.implemented_by)) for c in framework.components] == [
        ("m1", True, ["pol1"], []), ("m2", False, [], ["a4"]), ("m6", False, [], [])]
    assert _labels(framework.uncovered) == ["m6"]
    store = ox.Store()
    store.load(path=str(TOY), format=ox.RdfFormat.TURTLE)
    uncovered = [r["componentLabel"].value for r in store.query(framework.method.sparql)
                 if int(r["policies"].value) == 0 and int(r["actors"].value) == 0]
    assert uncovered == ["m6"]


def test_comparison_matrix(toy) -> None:
    result = compare_regions(toy, [iri("region", "y"), iri("region", "z")])
    assert [(c.region.label, c.problems_faced, c.mechanisms_present, c.gaps) for c in result.regions] == [
        ("Y", 3, 2, 1), ("Z", 2, 2, 1)]
    matrix = {row.mechanism.label: [c.status for c in row.cells] for row in result.rows}
    assert matrix == {"m1": ["present", "present"], "m3": ["present", "absent"], "m4": ["absent", "present"],
                      "m2": ["candidate", "candidate"], "m5": ["candidate", "candidate"]}
    m3 = next(r for r in result.rows if r.mechanism.label == "m3")
    assert m3.cells[0].via == ("pol2",)
    m5 = next(r for r in result.rows if r.mechanism.label == "m5")
    assert m5.cells[0].gaps == ("p2",)


def test_comparison_needs_two_regions(toy) -> None:
    with pytest.raises(InvalidArgument, match="at least two"):
        compare_regions(toy, [iri("region", "y"), iri("region", "y")])

"""Views as data on the toy world: caps, ego depth, gap roles, filters, parallel edges and plain-text tooltips."""
from __future__ import annotations

import pytest

from kg.analyses import find_region_gaps
from kg.errors import InvalidArgument, NotFoundError
from visualizations.views import Filters, build_bipartite, build_ego, build_overview, build_region_gaps

from kg.projection import SEIKG, Lit

from tests.kg.analyses.conftest import iri

BASE = "https://w3id.org/seikg/"


def _ids(view) -> set[str]:
    return {n.id.rsplit("/", 1)[-1] for n in view.nodes}


def test_view_overview_caps_and_says_so(toy) -> None:
    full = build_overview(toy, BASE, scores={})
    assert full.total == full.shown == toy.entity.number_of_nodes() and not full.notes
    capped = build_overview(toy, BASE, scores={iri("policy", "pol1"): 1.0}, cap=5)
    assert capped.shown == 5 and capped.total == toy.entity.number_of_nodes()
    assert capped.notes[0].startswith(f"showing 5 of {capped.total} entities")
    assert "pol1" in _ids(capped)  # the best scored is kept
    assert all(e.source in {n.id for n in capped.nodes} and e.target in {n.id for n in capped.nodes}
               for e in capped.edges)


def test_view_overview_filters_by_kind_date_and_issuer(toy) -> None:
    policies = build_overview(toy, BASE, scores={}, filters=Filters(kinds=("policy",), date_from="2020"))
    assert _ids(policies) == {"pol2", "pol3"}  # pol1 is 2019-04, pol4 undated
    issued = build_overview(toy, BASE, scores={}, filters=Filters(kinds=("policy",), issuer=iri("actor", "a3")))
    assert _ids(issued) == {"pol2", "pol4"}
    assert policies.state == {"cap": 300, "kinds": ["policy"], "date_from": "2020"}
    with pytest.raises(InvalidArgument, match="unknown kind 'dragon'"):
        build_overview(toy, BASE, scores={}, filters=Filters(kinds=("dragon",)))


def test_view_ego_depths(toy) -> None:
    one = build_ego(toy, iri("region", "y"), BASE, scores={})
    assert _ids(one) == {"y", "p", "p4", "pol2"}
    two = build_ego(toy, iri("region", "y"), BASE, depth=2, scores={})
    assert _ids(two) == {"y", "p", "p4", "pol2", "c", "x", "z", "p2", "m3", "a2", "a3", "s1"}
    assert two.state["focus"] == iri("region", "y") and two.state["depth"] == 2
    capped = build_ego(toy, iri("region", "y"), BASE, depth=2, scores={}, cap=3)
    assert capped.shown == 3 and capped.hubs and capped.hubs[0].links  # per-predicate counts of the hub
    with pytest.raises(InvalidArgument, match="depth"):
        build_ego(toy, iri("region", "y"), BASE, depth=4, scores={})
    with pytest.raises(NotFoundError, match="no entity"):
        build_ego(toy, iri("region", "nowhere"), BASE, scores={})


def test_issue_15_the_gap_view_draws_own_gaps_and_groups_the_rest(toy) -> None:
    view = build_region_gaps(toy, find_region_gaps(toy, iri("region", "z"), centrality={}), BASE)
    roles = {n.id.rsplit("/", 1)[-1]: n.role for n in view.nodes}
    assert roles == {"z": "region", "z#inherited-from-p": "inherited", "z#covered": "covered"}
    labels = {n.role: n.label for n in view.nodes}
    assert labels["inherited"] == "1 gaps inherited from P" and labels["covered"] == "1 covered problems"
    assert "p1" in next(n.title for n in view.nodes if n.role == "covered")
    assert {entry.key for entry in view.legend} == {"region", "gap", "inherited", "covered", "candidate"}
    own = build_region_gaps(toy, find_region_gaps(toy, iri("region", "x"), centrality={}), BASE)
    roles = {n.id.rsplit("/", 1)[-1]: n.role for n in own.nodes}
    assert roles["p3"] == "gap" and roles["m3"] == "candidate"  # X's own gap, drawn with its candidate
    dashed = {(e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1]) for e in own.edges if e.dashed}
    assert dashed == {("m3", "p3")}


def test_view_bipartite(toy) -> None:
    view = build_bipartite(toy, BASE)
    assert _ids(view) == {"m1", "m2", "m3", "m4", "m5", "p1", "p2", "p3", "p4", "p6"}
    assert {e.predicate for e in view.edges} == {"addressesProblem"}


def test_view_tooltips_are_plain_text_with_evidence(toy) -> None:
    view = build_ego(toy, iri("region", "y"), BASE, scores={})
    edge = next(e for e in view.edges if e.target.endswith("/p4"))
    assert edge.title == 'facesProblem\ns1, § 2.2: \u201cY faces p4\u201d (implied)\ns2, § 1: \u201cp4 in Y\u201d'
    node = next(n for n in view.nodes if n.id.endswith("/pol2"))
    assert node.title == "pol2\npolicy (Plan)\nissued 2020" and node.href == "/id/policy/pol2"


def test_view_of_a_query_result(toy) -> None:
    from visualizations.views import build_query_view
    construct = build_query_view(toy, BASE, triples=[(iri("mechanism", "m3"), SEIKG + "addressesProblem",
                                                      iri("problem", "p4")),
                                                     (iri("mechanism", "m3"), SEIKG + "note", Lit("a literal"))])
    assert _ids(construct) == {"m3", "p4"} and [e.predicate for e in construct.edges] == ["addressesProblem"]
    assert {n.kind for n in construct.nodes} == {"mechanism", "problem"}  # labels and kinds from the graph
    select = build_query_view(toy, BASE, rows=[{"m": iri("mechanism", "m1"), "p": iri("problem", "p1")},
                                               {"m": "https://example.org/elsewhere#x"}], cap=2)
    assert select.total == 3 and select.shown == 2 and [e.predicate for e in select.edges] == ["?m ?p"]


def test_view_communities_coloured_by_community() -> None:
    from kg.analyses import detect_communities
    from visualizations import render_view
    from visualizations.views import build_communities

    from tests.kg.analyses.test_network import _two_triangles
    projections = _two_triangles()
    membership: dict[str, int] = {}
    result = detect_communities(projections, "co-issuance", seed=1, membership=membership)
    assert sorted(membership.values()) == [1, 1, 1, 2, 2, 2]
    view = build_communities(projections, result, membership, BASE, scores={})
    assert {n.role for n in view.nodes} == {"community-1", "community-2"}
    assert [e.key for e in view.legend] == ["community-1", "community-2"]
    assert len(view.edges) == 7 and {e.predicate for e in view.edges} == {"co-issued 1"}
    html = render_view(view)
    assert html.count('"shape": "triangle"') == 6  # shape by kind (actors), colour by community


def test_view_expansion_counts_links_per_predicate_first_then_opens_one(toy) -> None:
    from visualizations.views import build_expansion
    a3 = iri("actor", "a3")
    counts = build_expansion(toy, a3, BASE, scores={})
    assert counts.nodes == () and counts.hubs[0].links == {"issuedBy": 2}
    opened = build_expansion(toy, a3, BASE, predicate="issuedBy", scores={iri("policy", "pol4"): 1.0}, cap=1)
    assert _ids(opened) == {"a3", "pol4"}  # the hub and its best-scored neighbour over the predicate
    assert (opened.total, opened.shown) == (2, 1)
    assert opened.notes == ("showing 1 of 2 entities linked to a3 by issuedBy",)
    assert [(e.source.rsplit("/", 1)[-1], e.predicate, e.target.rsplit("/", 1)[-1]) for e in opened.edges] == [
        ("pol4", "issuedBy", "a3")]
    with pytest.raises(InvalidArgument, match="predicate: a3 has no 'locatedIn' links; it has issuedBy"):
        build_expansion(toy, a3, BASE, predicate="locatedIn", scores={})


def test_view_date_and_issuer_filters_keep_the_selected_policies_and_what_links_to_them(toy) -> None:
    before_2020 = build_overview(toy, BASE, scores={}, filters=Filters(date_to="2019"))
    assert _ids(before_2020) == {"pol1", "a1", "a2", "c", "m1"}
    by_a3 = build_overview(toy, BASE, scores={}, filters=Filters(issuer=iri("actor", "a3")))
    assert _ids(by_a3) == {"pol2", "pol4", "a2", "a3", "y", "m3", "z", "m4"}
    mechanisms_2021 = build_overview(toy, BASE, scores={}, filters=Filters(kinds=("mechanism",), date_from="2021"))
    assert _ids(mechanisms_2021) == {"m4"}  # established by pol3 (2021-01-02); pol4 is undated

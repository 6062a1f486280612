"""Centrality, communities, structural holes and timelines, with values worked out by hand."""
from __future__ import annotations

import pytest

from kg.analyses import build_timeline, compute_centrality, detect_communities, find_structural_holes
from kg.analyses.centrality import explain
from kg.errors import InvalidArgument
from kg.projection import SEIKG, project_triples

from tests.kg.analyses.conftest import iri

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _scores(result, measure: str, kind: str = "actor") -> dict[str, tuple[float, int]]:
    (ranking,) = [r for r in result.rankings if r.measure == measure and r.kind == kind]
    return {s.label: (s.value, s.rank) for s in ranking.top}


def test_centrality_co_issuance_by_hand(toy) -> None:
    # co-issuance: a1 =2= a2 -1- a3, and a4 alone; n = 4
    result = compute_centrality(toy, "co-issuance", top=4)
    assert result.exact and (result.nodes, result.edges) == (4, 2)
    assert _scores(result, "degree") == {"a2": (0.666667, 1), "a1": (0.333333, 2), "a3": (0.333333, 2),
                                         "a4": (0.0, 4)}
    assert _scores(result, "betweenness") == {"a2": (0.333333, 1), "a1": (0.0, 2), "a3": (0.0, 2), "a4": (0.0, 2)}
    assert _scores(result, "closeness") == {"a2": (0.666667, 1), "a1": (0.5, 2), "a3": (0.5, 2), "a4": (0.0, 4)}
    pagerank = _scores(result, "pagerank")
    assert pagerank["a2"][1] == 1 and pagerank["a4"][1] == 4
    assert sum(v for v, _ in pagerank.values()) == pytest.approx(1.0, abs=1e-5)


def test_centrality_sampled_above_the_limit_is_seeded(toy) -> None:
    exact = compute_centrality(toy, "entity", top=5, measures=("betweenness",))
    sampled = compute_centrality(toy, "entity", top=5, measures=("betweenness",), exact_limit=3, samples=10, seed=7)
    again = compute_centrality(toy, "entity", top=5, measures=("betweenness",), exact_limit=3, samples=10, seed=7)
    assert exact.exact and not sampled.exact
    assert sampled.rankings == again.rankings
    assert sampled.method.parameters["samples"] == 10 and sampled.method.parameters["seed"] == 7
    full = compute_centrality(toy, "entity", top=5, measures=("betweenness",), exact_limit=3, samples=10_000)
    assert full.rankings == exact.rankings  # sampling every node is the exact computation


def test_centrality_rankings_per_class_with_explanations(toy) -> None:
    result = compute_centrality(toy, "entity", top=3)
    kinds = {r.kind for r in result.rankings}
    assert kinds == {"all", "actor", "framework", "mechanism", "policy", "problem", "region", "source"}
    for ranking in result.rankings:
        assert ranking.explanation and len(ranking.top) <= 3
        assert all(s.kind == ranking.kind for s in ranking.top) or ranking.kind == "all"
    assert explain("entity", "betweenness", "actor") == "brokers between problems, mechanisms and the policies that issue them"
    with pytest.raises(InvalidArgument):
        compute_centrality(toy, "entity", measures=("fame",))


def _two_triangles():
    actors = [iri("actor", f"b{i}") for i in range(1, 7)]
    pairs = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]
    triples = [(a, TYPE, SEIKG + "Actor") for a in actors]
    for n, (i, j) in enumerate(pairs):
        policy = iri("policy", f"q{n}")
        triples += [(policy, TYPE, SEIKG + "PolicyDocument"), (policy, SEIKG + "issuedBy", actors[i]),
                    (policy, SEIKG + "issuedBy", actors[j])]
    return project_triples(triples, version="triangles")


def test_communities_two_triangles_by_hand() -> None:
    result = detect_communities(_two_triangles(), "co-issuance", seed=1)
    assert sorted(sorted(m.label for m in c.members) for c in result.communities) == [
        ["b1", "b2", "b3"], ["b4", "b5", "b6"]]
    assert result.modularity == pytest.approx(2 * (3 / 7 - 0.25), abs=1e-6)  # 0.357143
    assert result.method.parameters["seed"] == 1
    assert detect_communities(_two_triangles(), "co-issuance", seed=1) == result


def test_structural_holes_by_hand(toy) -> None:
    holes = find_structural_holes(toy)
    brokers = [(b.label, b.constraint, b.effective_size, b.ties, b.rank) for b in holes.brokers]
    # a2: p(a1) = 2/3, p(a3) = 1/3, a1 and a3 unlinked: (2/3)^2 + (1/3)^2 = 5/9
    assert brokers == [("a2", 0.555556, 2.0, 2, 1), ("a1", 1.0, 1.0, 1, 2), ("a3", 1.0, 1.0, 1, 2)]
    assert holes.isolated == 1  # a4 never co-issues


def test_timeline_by_hand(toy) -> None:
    timeline = build_timeline(toy)
    assert [(y.year, y.policies, y.by_genre) for y in timeline.years] == [
        ("2019", 1, {"Notice": 1}), ("2020", 1, {"Plan": 1}), ("2021", 1, {"Opinions": 1})]
    assert timeline.years[0].by_issuer == {"a1": 1, "a2": 1}
    assert timeline.undated_policies == (iri("policy", "pol4"),)
    assert [(c.year, c.actors, c.ties, c.new_ties, c.joint_policies, c.density) for c in timeline.co_issuance] == [
        ("2019", 2, 1, 1, 1, 1.0), ("2020", 3, 2, 1, 1, 0.666667), ("2021", 3, 2, 0, 1, 0.666667)]
    spans = {m.label: (m.first_date, m.first_policy_label, m.last_date, m.last_policy_label, m.policies)
             for m in timeline.mechanisms}
    assert spans == {"m1": ("2019-04", "pol1", "2019-04", "pol1", 1), "m3": ("2020", "pol2", "2020", "pol2", 1),
                     "m4": ("2021-01-02", "pol3", "2021-01-02", "pol3", 1)}


@pytest.mark.parametrize("seed", range(6))
def test_structural_holes_matrix_form_equals_networkx(seed: int) -> None:
    import random

    import networkx as nx

    from kg.analyses.communities import burt_measures
    rng = random.Random(seed)
    graph = nx.gnp_random_graph(25, 0.2, seed=seed)
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.randint(1, 4)
    constraint, effective = burt_measures(graph)
    # networkx's node-by-node definitions (its nodes=None matrix path for effective size is off: networkx#8906)
    assert constraint == pytest.approx(nx.constraint(graph, nodes=list(graph), weight="weight"))
    assert effective == pytest.approx(nx.effective_size(graph, nodes=list(graph), weight="weight"))


def test_closeness_by_scipy_equals_networkx_harmonic(toy) -> None:
    import networkx as nx

    from kg.analyses.centrality import score_nodes, undirected_weighted
    graph = undirected_weighted(toy.entity)
    n = graph.number_of_nodes()
    expected = {v: c / (n - 1) for v, c in nx.harmonic_centrality(graph).items()}
    assert score_nodes(graph, "closeness") == pytest.approx(expected)
    pivots_scores = score_nodes(graph, "closeness", exact_limit=3, samples=5, seed=3)
    import random
    pivots = random.Random(3).sample(sorted(graph), 5)
    expected = {v: c / 5 for v, c in nx.harmonic_centrality(graph, sources=pivots).items()}
    assert pivots_scores == pytest.approx(expected)


def test_policy_timeline_keeps_precision_and_filters(toy) -> None:
    from kg.analyses.timeline import list_policies_by_date
    timeline = list_policies_by_date(toy)
    assert [(e.label, e.date, e.precision) for e in timeline.entries] == [
        ("pol1", "2019-04", "month"), ("pol2", "2020", "year"), ("pol3", "2021-01-02", "day"), ("pol4", None, None)]
    assert timeline.genres == ("Notice", "Opinions", "Plan", "PolicyDocument")
    assert [e.label for e in list_policies_by_date(toy, issuer=iri("actor", "a3")).entries] == ["pol2", "pol4"]
    assert [e.label for e in list_policies_by_date(toy, genre="Plan").entries] == ["pol2"]

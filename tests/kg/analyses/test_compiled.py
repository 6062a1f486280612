"""The compiled kernels give NetworkX's own answers: the same sampled betweenness, a Louvain partition as good."""
from __future__ import annotations

import networkx as nx
import pytest

from kg.analyses.compiled import louvain_partition, sampled_betweenness


@pytest.mark.parametrize(("n", "k", "seed"), [(40, 5, 1), (300, 20, 42), (1500, 100, 7)])
def test_compiled_betweenness_equals_networkx_sampled_estimate(n: int, k: int, seed: int) -> None:
    graph = nx.relabel_nodes(nx.gnm_random_graph(n, 3 * n, seed=seed), lambda i: f"node-{i}")
    expected = nx.betweenness_centrality(graph, k=k, seed=seed)
    assert sampled_betweenness(graph, k, seed) == pytest.approx(expected, abs=1e-12)


def test_compiled_louvain_is_seeded_and_as_good_as_networkx() -> None:
    graph = nx.les_miserables_graph()
    first, again = louvain_partition(graph, seed=42), louvain_partition(graph, seed=42)
    assert first == again and set().union(*first) == set(graph)
    ours = nx.community.modularity(graph, first, weight="weight")
    theirs = nx.community.modularity(graph, nx.community.louvain_communities(graph, weight="weight", seed=42),
                                     weight="weight")
    assert ours >= theirs - 0.01


def test_compiled_louvain_finds_two_triangles() -> None:
    graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")])
    nx.set_edge_attributes(graph, 1, "weight")
    assert sorted(map(sorted, louvain_partition(graph, seed=1))) == [["a", "b", "c"], ["d", "e", "f"]]

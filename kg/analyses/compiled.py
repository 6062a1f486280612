"""Compiled kernels (igraph) for the two analyses that NetworkX's pure Python makes slow on large graphs.

Both give NetworkX's own definitions, so results do not depend on which path ran:

- :func:`sampled_betweenness` is ``networkx.betweenness_centrality(graph, k, seed=seed)``: the same pivots
  (NetworkX draws them with ``random.Random(seed).sample(list(graph), k)``), the same path counting
  (igraph's subset betweenness from those sources to every node), and the same rescaling;
- :func:`louvain_partition` is Louvain modularity optimisation (igraph's multilevel algorithm, seeded),
  whose partition can differ from NetworkX's Louvain run but is scored by the same
  ``networkx.community.modularity``.

The analyses use them above their exact limit (1,000 nodes); below it they use NetworkX itself.
"""
from __future__ import annotations

import random

import igraph
import networkx as nx

__all__ = ["louvain_partition", "sampled_betweenness", "to_igraph"]


def to_igraph(graph: nx.Graph, weight: str | None = "weight") -> tuple[igraph.Graph, list[str]]:
    """``graph`` (undirected, simple) as an igraph graph, with the node order used for its vertex ids."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges()]
    converted = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    if weight is not None:
        converted.es["weight"] = [float(data.get(weight, 1)) for _, _, data in graph.edges(data=True)]
    return converted, nodes


def sampled_betweenness(graph: nx.Graph, k: int, seed: int) -> dict[str, float]:
    """Normalised betweenness estimated from ``k`` pivots, exactly as NetworkX computes it with ``k`` and
    ``seed`` on an undirected, unweighted graph.

    Raises
    ------
    ValueError
        If ``k`` is larger than the number of nodes.
    """
    n = graph.number_of_nodes()
    pivots = random.Random(seed).sample(list(graph.nodes()), k)
    converted, nodes = to_igraph(graph, weight=None)
    index = {node: i for i, node in enumerate(nodes)}
    # igraph counts each (source, target) path once and halves it on an undirected graph; NetworkX's
    # Brandes accumulation counts it once per source without halving, then rescales
    raw = converted.betweenness(directed=False, sources=[index[p] for p in pivots], targets=None)
    # NetworkX (3.5+) rescales a sampled estimate per node: a pivot cannot lie on its own paths, so it is
    # divided by (k - 1)(N - 1), any other node by k(N - 1), with N = n - 1 (endpoints excluded)
    big_n, sampled = n - 1, set(pivots)
    if big_n < 2:
        return dict.fromkeys(nodes, 0.0)
    scale_pivot = 1 / ((k - 1) * (big_n - 1)) if k > 1 else float("nan")
    scale_other = 1 / (k * (big_n - 1))
    return {node: 2 * value * (scale_pivot if node in sampled else scale_other) for node, value in zip(nodes, raw)}


def louvain_partition(graph: nx.Graph, *, seed: int, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities of the weighted, undirected ``graph`` by igraph's multilevel algorithm, seeded."""
    converted, nodes = to_igraph(graph)
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = converted.community_multilevel(weights="weight", resolution=resolution)
    finally:
        igraph.set_random_number_generator(previous or random)
    return [{nodes[i] for i in members} for members in clustering]

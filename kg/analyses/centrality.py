"""Centrality per projection and per class: degree, betweenness, PageRank and (harmonic) closeness.

Scores are computed on the projection taken as an undirected simple graph
(parallel links become an edge weight), because the direction of a link here
is a naming choice (policy -> mechanism -> problem), not a flow. Betweenness is
exact up to ``exact_limit`` nodes and estimated from ``samples`` seeded pivots
above it; so is closeness, which is the harmonic variant (defined on
disconnected graphs), computed by breadth-first search in scipy.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import shortest_path

from kg.errors import InvalidArgument
from kg.projection import PROJECTIONS, Projections
from kg.analyses.compiled import sampled_betweenness
from kg.analyses.method import Method

__all__ = ["MEASURES", "CentralityResult", "Ranking", "Score", "compute_centrality", "explain", "score_nodes",
           "undirected_weighted"]

MEASURES = ("degree", "betweenness", "pagerank", "closeness")

_MEANING = {
    "degree": "linked directly to many others",
    "betweenness": "lies on many shortest paths between others",
    "pagerank": "linked to entities that are themselves well linked",
    "closeness": "few steps from everything else",
}
# (projection, measure, kind) -> what a high score means there; missing entries fall back to _MEANING
_SPECIFIC = {
    ("entity", "degree", "policy"): "establishes, targets and is issued by many entities: a broad policy",
    ("entity", "degree", "actor"): "issues many policies or takes part in many mechanisms",
    ("entity", "degree", "mechanism"): "established, proposed, implemented or addressing problems widely",
    ("entity", "degree", "problem"): "named by many sources and addressed by many mechanisms",
    ("entity", "degree", "region"): "many policies apply there and many actors are based there",
    ("entity", "betweenness", "actor"): "brokers between problems, mechanisms and the policies that issue them",
    ("entity", "betweenness", "mechanism"): "bridges the policies that establish it and the problems it addresses",
    ("entity", "betweenness", "problem"): "connects groups of mechanisms that otherwise stay apart",
    ("entity", "betweenness", "policy"): "links issuers, regions and mechanisms that no other policy joins",
    ("entity", "betweenness", "region"): "joins the region hierarchy to the policies and actors placed in it",
    ("entity", "betweenness", "source"): "the paper whose claims connect otherwise separate parts of the graph",
    ("co-issuance", "degree", "actor"): "issues policies jointly with many other bodies",
    ("co-issuance", "betweenness", "actor"): "brokers between bodies that never issue a policy together",
    ("co-issuance", "pagerank", "actor"): "co-issues with bodies that themselves co-issue widely",
    ("co-issuance", "closeness", "actor"): "few co-issuance steps from every other issuer",
    ("policy-mechanism", "degree", "policy"): "establishes many mechanisms",
    ("policy-mechanism", "degree", "mechanism"): "established by many policies",
    ("policy-mechanism", "betweenness", "policy"): "joins mechanisms that no other policy establishes together",
    ("policy-mechanism", "betweenness", "mechanism"): "shared by groups of policies that otherwise share nothing",
    ("mechanism-problem", "degree", "mechanism"): "addresses many problems",
    ("mechanism-problem", "degree", "problem"): "addressed by many mechanisms",
    ("mechanism-problem", "betweenness", "mechanism"): "links problems that no other mechanism links",
    ("mechanism-problem", "betweenness", "problem"): "shared by groups of mechanisms that otherwise share nothing",
    ("region-hierarchy", "degree", "region"): "contains many regions",
    ("region-hierarchy", "betweenness", "region"): "an intermediate level joining its sub-regions to the country",
}


@dataclass(frozen=True)
class Score:
    """One entity's score and rank (ties share a rank)."""

    iri: str
    label: str
    kind: str | None
    value: float
    rank: int


@dataclass(frozen=True)
class Ranking:
    """The top entities of one class (or ``all``) by one measure, and what a high score means."""

    measure: str
    kind: str
    explanation: str
    top: tuple[Score, ...]


@dataclass(frozen=True)
class CentralityResult:
    """Centrality rankings on one projection."""

    projection: str
    nodes: int
    edges: int
    exact: bool
    rankings: tuple[Ranking, ...]
    method: Method


def explain(projection: str, measure: str, kind: str) -> str:
    """One line on what a high ``measure`` score of a ``kind`` node means on ``projection``.

    >>> explain("entity", "betweenness", "actor")
    'brokers between problems, mechanisms and the policies that issue them'
    """
    return _SPECIFIC.get((projection, measure, kind), _MEANING[measure])


def undirected_weighted(graph: nx.Graph) -> nx.Graph:
    """``graph`` as an undirected simple graph; ``weight`` counts the parallel links (or keeps the weight)."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = data.get("weight", 1)
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


def score_nodes(graph: nx.Graph, measure: str, *, exact_limit: int = 1000, samples: int = 100,
                seed: int = 42) -> dict[str, float]:
    """Every node's ``measure`` score on the undirected simple ``graph``.

    Raises
    ------
    kg.errors.InvalidArgument
        If ``measure`` is not one of :data:`MEASURES`.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    exact = n <= exact_limit
    if measure == "degree":
        return nx.degree_centrality(graph) if n > 1 else {node: 0.0 for node in graph}
    if measure == "betweenness":
        if exact:
            return nx.betweenness_centrality(graph)
        return sampled_betweenness(graph, min(samples, n), seed)  # NetworkX's estimate, compiled
    if measure == "pagerank":
        return nx.pagerank(graph, weight="weight")
    if measure == "closeness":
        if n == 1:
            return {node: 0.0 for node in graph}
        nodes = list(graph)
        pivots = nodes if exact else random.Random(seed).sample(sorted(graph), min(samples, n))
        return dict(zip(nodes, _harmonic(graph, nodes, pivots) / (n - 1 if exact else len(pivots))))
    raise InvalidArgument(f"measure: no centrality measure {measure!r}; one of: {', '.join(MEASURES)}")


def _harmonic(graph: nx.Graph, nodes: list[str], pivots: list[str]) -> np.ndarray:
    """Sum over ``pivots`` of 1 / hop distance to each node (what networkx.harmonic_centrality(sources=) sums),
    by breadth-first search in scipy's compiled csgraph."""
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    index = {node: i for i, node in enumerate(nodes)}
    distances = shortest_path(matrix, unweighted=True, directed=False, indices=[index[p] for p in pivots])
    with np.errstate(divide="ignore"):
        inverse = np.where(np.isfinite(distances) & (distances > 0), 1.0 / distances, 0.0)
    return inverse.sum(axis=0)


def compute_centrality(projections: Projections, projection: str = "entity", *, top: int = 10,
                       measures: tuple[str, ...] = MEASURES, exact_limit: int = 1000, samples: int = 100,
                       seed: int = 42, keep: dict[str, dict[str, float]] | None = None) -> CentralityResult:
    """Top ``top`` entities per class (and over all classes) by each measure on ``projection``.

    ``keep``, if given, receives every node's score per measure (for sizing nodes in views); a measure
    already in it is reused, not computed again.

    Raises
    ------
    kg.errors.InvalidArgument
        If the projection or a measure is unknown.
    """
    graph = undirected_weighted(projections.get(projection))
    exact = graph.number_of_nodes() <= exact_limit
    kinds = sorted({k for _, k in graph.nodes(data="kind") if k})
    rankings = []
    for measure in measures:
        scores = (keep or {}).get(measure)
        if scores is None:
            scores = score_nodes(graph, measure, exact_limit=exact_limit, samples=samples, seed=seed)
        if keep is not None:
            keep[measure] = scores
        for kind in (["all"] if len(kinds) > 1 else []) + kinds:
            rankings.append(Ranking(measure, kind, explain(projection, measure, kind) if kind != "all"
                                    else _MEANING[measure], _top(graph, scores, kind, top)))
    parameters = {"measures": list(measures), "top": top, "exact_limit": exact_limit, "seed": seed}
    if not exact:
        parameters["samples"] = samples
    return CentralityResult(projection, graph.number_of_nodes(), graph.number_of_edges(), exact, tuple(rankings),
                            Method(f"centrality on the {projection} projection ({PROJECTIONS[projection]}), "
                                   "taken as an undirected graph with parallel links as weights",
                                   projection=projection,
                                   algorithm="networkx degree_centrality, betweenness_centrality(k, seed) (when "
                                             "sampled, the same estimate computed by igraph), "
                                             "pagerank(weight); harmonic closeness (networkx.harmonic_centrality "
                                             "by scipy breadth-first search) / (n - 1)",
                                   parameters=parameters))


def _top(graph: nx.Graph, scores: Mapping[str, float], kind: str, top: int) -> tuple[Score, ...]:
    nodes = [n for n, k in graph.nodes(data="kind") if kind == "all" or k == kind]
    ordered = sorted(nodes, key=lambda n: (-scores.get(n, 0.0), graph.nodes[n].get("label", n), n))
    result, rank, previous = [], 0, None
    for position, node in enumerate(ordered[:top], start=1):
        value = round(scores.get(node, 0.0), 6)
        if value != previous:
            rank, previous = position, value
        data = graph.nodes[node]
        result.append(Score(node, data.get("label", node), data.get("kind"), value, rank))
    return tuple(result)

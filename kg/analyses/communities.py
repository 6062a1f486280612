"""Communities (Louvain, seeded, with modularity) and structural holes (Burt's constraint) for actors."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from kg.projection import PROJECTIONS, Projections
from kg.analyses.centrality import undirected_weighted
from kg.analyses.compiled import louvain_partition
from kg.analyses.method import Method

__all__ = ["Broker", "Community", "CommunityResult", "Member", "StructuralHoles", "burt_measures",
           "detect_communities", "find_structural_holes"]


@dataclass(frozen=True)
class Member:
    """An entity in a community, with its weighted degree inside the projection."""

    iri: str
    label: str
    kind: str | None
    degree: float


@dataclass(frozen=True)
class Community:
    """One community: its size, how many of each kind, and its best-linked members first."""

    index: int
    size: int
    kinds: dict[str, int]
    members: tuple[Member, ...]


@dataclass(frozen=True)
class CommunityResult:
    """A Louvain partition of one projection."""

    projection: str
    modularity: float
    communities: tuple[Community, ...]
    method: Method


@dataclass(frozen=True)
class Broker:
    """An actor's position among its co-issuers: low constraint and high effective size span structural holes."""

    iri: str
    label: str
    constraint: float
    effective_size: float
    ties: int
    rank: int


@dataclass(frozen=True)
class StructuralHoles:
    """Burt's constraint for every actor with at least one tie in the projection, lowest (most brokerage) first."""

    projection: str
    brokers: tuple[Broker, ...]
    isolated: int
    explanation: str
    method: Method


def detect_communities(projections: Projections, projection: str = "entity", *, seed: int = 42,
                       resolution: float = 1.0, members: int = 10, membership: dict[str, int] | None = None,
                       compiled_above: int = 1000) -> CommunityResult:
    """Louvain communities of ``projection`` (undirected, weighted), largest first, with modularity.

    Nodes without any link are left out (each would be a community of its own). ``membership``, if
    given, receives every node's community index (the result itself lists the best-linked members).
    Above ``compiled_above`` linked nodes, igraph's multilevel Louvain runs instead of NetworkX's (same
    method, compiled; the partition may differ, the modularity is computed the same way).

    Raises
    ------
    kg.errors.NotFoundError
        If the projection is unknown.
    """
    graph = undirected_weighted(projections.get(projection))
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    if graph.number_of_edges() == 0:
        parts: list[set[str]] = []
        modularity = 0.0
    else:
        compiled = graph.number_of_nodes() > compiled_above
        parts = (louvain_partition(graph, seed=seed, resolution=resolution) if compiled else
                 nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed))
        modularity = nx.community.modularity(graph, parts, weight="weight", resolution=resolution)
    degree = dict(graph.degree(weight="weight"))
    ordered = sorted(parts, key=lambda part: (-len(part), min(part)))
    communities = []
    for index, part in enumerate(ordered, start=1):
        if membership is not None:
            membership.update(dict.fromkeys(part, index))
        best = sorted(part, key=lambda n: (-degree[n], graph.nodes[n].get("label", n), n))[:members]
        communities.append(Community(index, len(part), dict(sorted(Counter(
            graph.nodes[n].get("kind") or "other" for n in part).items())), tuple(
            Member(n, graph.nodes[n].get("label", n), graph.nodes[n].get("kind"), float(degree[n])) for n in best)))
    return CommunityResult(projection, round(modularity, 6), tuple(communities), Method(
        f"Louvain communities of the {projection} projection ({PROJECTIONS[projection]}), undirected, "
        "parallel links as weights, unlinked nodes left out", projection=projection,
        algorithm="networkx.community.louvain_communities(weight='weight', resolution, seed), or above "
                  f"{compiled_above} nodes igraph's community_multilevel (seeded); networkx.community.modularity",
        parameters={"seed": seed, "resolution": resolution, "members_shown": members,
                    "compiled_above": compiled_above}))


def burt_measures(graph: nx.Graph) -> tuple[dict[str, float], dict[str, float]]:
    """Burt's constraint and effective size of every node of an undirected weighted ``graph`` with no isolates.

    Constraint is ``networkx.constraint`` over the whole graph (its sparse-matrix path). Effective size is
    Burt's formula as ``networkx.effective_size(nodes=..., weight=...)`` computes it node by node, in
    matrix form: with P the mutual weights normalised by each node's total and M by each node's largest,
    effective size(i) = sum over neighbours j of 1 - (P @ M.T)[i, j]. networkx's own matrix path
    (``nodes=None``) normalises M by columns instead of rows and gives other values for weighted graphs
    (networkx/networkx#8906, open), and its node-by-node path takes minutes on a dense co-issuance network
    of a few hundred bodies. The tests compare both measures with networkx's node-by-node results.
    """
    nodes = list(graph)
    if not nodes:
        return {}, {}
    constraint = nx.constraint(graph, weight="weight")
    weights = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr").astype(float)
    pattern = (weights > 0).astype(float)
    p = sparse.diags_array(1.0 / np.asarray(weights.sum(axis=1)).ravel()) @ weights
    m = sparse.diags_array(1.0 / weights.max(axis=1).toarray().ravel()) @ weights
    redundancy = np.asarray((p @ m.T).multiply(pattern).sum(axis=1)).ravel()
    effective = np.asarray(pattern.sum(axis=1)).ravel() - redundancy
    return {n: constraint[n] for n in nodes}, dict(zip(nodes, effective.tolist()))


def find_structural_holes(projections: Projections, *, top: int = 20) -> StructuralHoles:
    """Burt's constraint and effective size of each actor in the co-issuance projection."""
    graph = projections.co_issuance
    linked = [n for n in graph if graph.degree(n) > 0]
    constraint, effective = burt_measures(graph.subgraph(linked))
    ordered = sorted(linked, key=lambda n: (constraint[n], -effective[n], graph.nodes[n].get("label", n)))
    brokers, rank, previous = [], 0, None
    for position, node in enumerate(ordered[:top], start=1):
        value = round(constraint[node], 6)
        if value != previous:
            rank, previous = position, value
        size = effective[node]
        brokers.append(Broker(node, graph.nodes[node].get("label", node), value,
                              round(size, 6) if not math.isnan(size) else 0.0, graph.degree(node), rank))
    return StructuralHoles("co-issuance", tuple(brokers), graph.number_of_nodes() - len(linked),
                           "low constraint: the actor's co-issuers are not tied to each other, so it spans a "
                           "structural hole between bodies that do not otherwise issue policies together",
                           Method("Burt's constraint and effective size in the co-issuance projection "
                                  f"({PROJECTIONS['co-issuance']})", projection="co-issuance",
                                  algorithm="networkx.constraint(weight='weight'); effective size as "
                                            "networkx.effective_size(nodes, weight='weight') defines it, in matrix "
                                            "form (kg.analyses.communities.burt_measures)",
                                  parameters={"top": top}))

"""Views as plain data: which nodes and edges to draw, how, and what was left out.

A :class:`View` is the JSON twin of the HTML view that :func:`visualizations.render.render_view`
draws. Every builder caps the node count (``cap``, default :data:`DEFAULT_CAP`), keeps the best-ranked
nodes, and says so ("showing N of M") with ways to narrow. Tooltips are plain text; the renderer
never interprets them as HTML.
"""
from __future__ import annotations

from collections import Counter
from itertools import chain
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import networkx as nx

from kg.analyses.communities import CommunityResult
from kg.analyses.gaps import RegionGaps
from kg.errors import InvalidArgument, NotFoundError
from kg.model.kinds import view_kinds
from kg.model.records import Evidence
from kg.projection import Projections
from kg.model.iris import entity_prefix

from visualizations.styles import LegendEntry, legend_for

__all__ = ["DEFAULT_CAP", "EXPANSION_CAP", "Filters", "HubSummary", "View", "ViewEdge", "ViewNode", "build_bipartite",
           "build_communities", "build_ego", "build_expansion", "build_overview", "build_query_view",
           "build_region_gaps"]

DEFAULT_CAP = 300
EXPANSION_CAP = 50
KINDS = view_kinds()  # the kinds drawn as nodes, from the registry


@dataclass(frozen=True)
class ViewNode:
    """A node: its IRI, label, kind (or gap-view role), size, plain-text tooltip and entity page."""

    id: str
    label: str
    kind: str
    role: str
    size: float
    title: str
    href: str | None
    date: str | None = None


@dataclass(frozen=True)
class ViewEdge:
    """An edge, labelled by its predicate, with its evidence as plain text."""

    source: str
    target: str
    predicate: str
    title: str
    dashed: bool = False


@dataclass(frozen=True)
class HubSummary:
    """A node with more links than the view shows: its links counted per predicate."""

    id: str
    label: str
    links: dict[str, int]


@dataclass(frozen=True)
class Filters:
    """What a view may be narrowed by; every field is optional."""

    kinds: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    issuer: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class View:
    """Everything a rendered view shows, and its state (for the URL)."""

    name: str
    title: str
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    total: int
    shown: int
    legend: tuple[LegendEntry, ...]
    notes: tuple[str, ...] = ()
    hubs: tuple[HubSummary, ...] = ()
    state: dict[str, object] = field(default_factory=dict)


def _href(iri: str, base_iri: str) -> str | None:
    return "/" + iri[len(base_iri):] if iri.startswith(entity_prefix(base_iri)) else None


def _evidence_text(evidence: tuple[Evidence, ...]) -> str:
    return "\n".join(f"{e.source_label}, § {e.section}: \u201c{e.anchor}\u201d"
                     + ("" if e.support == "stated" else f" ({e.support})") for e in evidence)


def _node(projections: Projections, iri: str, base_iri: str, size: float, role: str | None = None,
          extra: str = "") -> ViewNode:
    data = projections.entity.nodes.get(iri, {})
    kind = data.get("kind") or "other"
    types = ", ".join(t.rsplit("#", 1)[-1] for t in data.get("types", ()))
    lines = [data.get("label", iri), kind + (f" ({types})" if types else "")]
    if data.get("date"):
        lines.append("issued " + " / ".join(data.get("dates") or (data["date"],)))
    if extra:
        lines.append(extra)
    return ViewNode(iri, data.get("label", iri), kind, role or kind, round(size, 2), "\n".join(lines),
                    _href(iri, base_iri), data.get("date"))


def _edges(projections: Projections, nodes: set[str]) -> tuple[ViewEdge, ...]:
    edges = []
    for u, v, key, data in projections.entity.edges(keys=True, data=True):
        if u in nodes and v in nodes:
            edges.append(ViewEdge(u, v, key, f"{key}\n{_evidence_text(data['evidence'])}".strip()))
    return tuple(sorted(edges, key=lambda e: (e.source, e.predicate, e.target)))


def _sizes(nodes: list[str], scores: Mapping[str, float]) -> dict[str, float]:
    top = max((scores.get(n, 0.0) for n in nodes), default=0.0) or 1.0
    return {n: 10 + 30 * scores.get(n, 0.0) / top for n in nodes}


def _policy_passes(projections: Projections, data: Mapping[str, object], node: str, filters: Filters) -> bool:
    date = data.get("date")
    if (filters.date_from or filters.date_to) and not date:
        return False
    if filters.date_from and date[:len(filters.date_from)] < filters.date_from:
        return False
    if filters.date_to and date[:len(filters.date_to)] > filters.date_to:
        return False
    return not filters.issuer or filters.issuer in projections.targets(node, "issuedBy")


def _passes(projections: Projections, filters: Filters) -> set[str]:
    """The nodes that the filters keep.

    Dates and issuers belong to policies: with a date range or an issuer, the policies issued then (or by
    that actor) are kept, and every other entity only if it is linked to one of them, so the view shows
    that period's (or that issuer's) policies with their mechanisms, regions and co-issuers. A source keeps
    the entities with a link cited from it. Kinds are applied last.
    """
    graph = projections.entity
    policies = [n for n, data in graph.nodes(data=True) if data.get("kind") == "policy"]
    by_policy = bool(filters.date_from or filters.date_to or filters.issuer)
    selected = {n for n in policies if _policy_passes(projections, graph.nodes[n], n, filters)}
    keep = set()
    for node, data in graph.nodes(data=True):
        kind = data.get("kind") or "other"
        if filters.kinds and kind not in filters.kinds:
            continue
        if by_policy and node not in selected and (kind == "policy" or not any(
                m in selected for m in chain(graph.predecessors(node), graph.successors(node)))):
            continue
        links = chain(graph.in_edges(node, data="evidence"), graph.out_edges(node, data="evidence"))
        if filters.source and kind != "source" and not any(
                e.source == filters.source for _, _, evidence in links for e in evidence):
            continue
        keep.add(node)
    return keep


def _state(filters: Filters, **extra: object) -> dict[str, object]:
    state = {k: v for k, v in extra.items() if v not in (None, (), "")}
    state.update({k: list(v) if isinstance(v, tuple) else v for k, v in filters.__dict__.items() if v})
    return state


def build_overview(projections: Projections, base_iri: str, *, scores: Mapping[str, float],
                   filters: Filters = Filters(), cap: int = DEFAULT_CAP) -> View:
    """The whole graph, or what the filters keep, capped at the ``cap`` best-scored nodes.

    Raises
    ------
    kg.errors.InvalidArgument
        If a filter names an unknown kind.
    """
    unknown = set(filters.kinds) - set(KINDS)
    if unknown:
        raise InvalidArgument(f"kind: unknown kind {sorted(unknown)[0]!r}; one of: {', '.join(KINDS)}")
    kept = _passes(projections, filters)
    ranked = sorted(kept, key=lambda n: (-scores.get(n, 0.0), projections.label(n), n))[:cap]
    sizes = _sizes(ranked, scores)
    nodes = tuple(_node(projections, n, base_iri, sizes[n]) for n in sorted(ranked))
    notes = () if len(kept) <= cap else (
        f"showing {len(ranked)} of {len(kept)} entities, the best connected (PageRank); narrow by kind, "
        "date, issuer or source, or open an entity's ego view",)
    return View("overview", "Overview of the graph", nodes, _edges(projections, set(ranked)), len(kept),
                len(ranked), legend_for({n.kind for n in nodes}), notes, (), _state(filters, cap=cap))


def build_ego(projections: Projections, iri: str, base_iri: str, *, depth: int = 1,
              scores: Mapping[str, float], filters: Filters = Filters(), cap: int = DEFAULT_CAP) -> View:
    """The entity and everything within ``depth`` (1 to 3) links of it, nearest and best-scored first.

    Raises
    ------
    kg.errors.InvalidArgument
        If ``depth`` is not 1, 2 or 3.
    kg.errors.NotFoundError
        If the entity is not in the graph.
    """
    if iri not in projections.entity:
        raise NotFoundError(f"id: no entity {iri.rsplit('/', 1)[-1]!r} in the graph")
    if depth not in (1, 2, 3):
        raise InvalidArgument("depth: must be 1, 2 or 3")
    kept = _passes(projections, filters) | {iri}
    undirected = projections.entity.to_undirected(as_view=True).subgraph(kept)
    distance = nx.single_source_shortest_path_length(undirected, iri, cutoff=depth)
    ranked = sorted(distance, key=lambda n: (distance[n], -scores.get(n, 0.0), projections.label(n), n))[:cap]
    shown = set(ranked)
    hubs = []
    for node in ranked:
        hidden = sum(1 for m in undirected.neighbors(node) if m not in shown)
        if hidden and (node == iri or distance[node] < depth):
            hubs.append(HubSummary(node, projections.label(node), _links_per_predicate(projections, node)))
    sizes = _sizes(ranked, scores)
    nodes = tuple(_node(projections, n, base_iri, sizes[n] + (10 if n == iri else 0)) for n in sorted(ranked))
    notes = () if len(distance) <= cap else (
        f"showing {len(ranked)} of {len(distance)} entities within {depth} link(s); the hubs' links are "
        "counted per predicate below; narrow by kind, date, issuer or source",)
    return View("ego", f"{projections.label(iri)} and its neighbourhood (depth {depth})", nodes,
                _edges(projections, shown), len(distance), len(ranked), legend_for({n.kind for n in nodes}),
                notes, tuple(hubs), _state(filters, focus=iri, depth=depth, cap=cap))


def _links_per_predicate(projections: Projections, iri: str) -> dict[str, int]:
    graph = projections.entity
    links = Counter(key for _, _, key in graph.in_edges(iri, keys=True))
    links.update(key for _, _, key in graph.out_edges(iri, keys=True))
    return dict(sorted(links.items()))


def build_expansion(projections: Projections, iri: str, base_iri: str, *, predicate: str | None = None,
                    scores: Mapping[str, float], cap: int = EXPANSION_CAP) -> View:
    """One step of expanding a hub: without ``predicate``, only its links counted per predicate (in
    ``hubs``, no nodes drawn); with one, the hub and its neighbours over that predicate, best-scored first,
    capped at ``cap``, so a hub with thousands of links is opened one predicate and one page at a time.

    Raises
    ------
    kg.errors.InvalidArgument
        If it has no link over ``predicate``.
    kg.errors.NotFoundError
        If the entity is not in the graph.
    """
    if iri not in projections.entity:
        raise NotFoundError(f"id: no entity {iri.rsplit('/', 1)[-1]!r} in the graph")
    label = projections.label(iri)
    links = _links_per_predicate(projections, iri)
    hub = HubSummary(iri, label, links)
    if predicate is None:
        return View("expand", f"Links of {label}", (), (), sum(links.values()), 0, (),
                    (f"{sum(links.values())} links over {len(links)} predicates; expand one predicate at a time",),
                    (hub,), {"focus": iri, "cap": cap})
    if predicate not in links:
        raise InvalidArgument(f"predicate: {label} has no {predicate!r} links; it has "
                            + (", ".join(links) or "no links"))
    graph = projections.entity
    neighbours = {v for _, v, key in graph.out_edges(iri, keys=True) if key == predicate}
    neighbours |= {u for u, _, key in graph.in_edges(iri, keys=True) if key == predicate}
    ranked = sorted(neighbours, key=lambda n: (-scores.get(n, 0.0), projections.label(n), n))[:cap]
    sizes = _sizes(ranked, scores)
    nodes = (_node(projections, iri, base_iri, 30),) + tuple(
        _node(projections, n, base_iri, sizes[n]) for n in sorted(ranked) if n != iri)
    shown = set(ranked)
    edges = tuple(e for e in _edges(projections, shown | {iri}) if e.predicate == predicate
                  and iri in (e.source, e.target))
    notes = (f"showing {len(ranked)} of {len(neighbours)} entities linked to {label} by {predicate}",)
    return View("expand", f"{label}: {predicate}", nodes, edges, len(neighbours), len(ranked),
                legend_for({n.kind for n in nodes}), notes, (hub,), {"focus": iri, "predicate": predicate, "cap": cap})


def build_bipartite(projections: Projections, base_iri: str, *, cap: int = DEFAULT_CAP) -> View:
    """Mechanisms and the problems they address, the most linked first."""
    graph = projections.mechanism_problem
    linked = [n for n in graph if graph.degree(n) > 0]
    degree = dict(graph.degree(linked))
    ranked = sorted(linked, key=lambda n: (-degree[n], projections.label(n), n))[:cap]
    sizes = _sizes(ranked, {n: float(d) for n, d in degree.items()})
    nodes = tuple(_node(projections, n, base_iri, sizes[n]) for n in sorted(ranked))
    shown = set(ranked)
    edges = tuple(e for e in _edges(projections, shown) if e.predicate == "addressesProblem")
    notes = (f"{graph.number_of_nodes() - len(linked)} mechanisms and problems with no address link are not drawn",)
    if len(linked) > cap:
        notes += (f"showing {len(ranked)} of {len(linked)}, the most linked first",)
    return View("bipartite", "Mechanisms and the problems they address", nodes, edges, len(linked), len(ranked),
                legend_for({"mechanism", "problem"}), notes, (), {"cap": cap})


def build_region_gaps(projections: Projections, gaps: RegionGaps, base_iri: str, *, candidates: int = 3,
                      cap: int = DEFAULT_CAP) -> View:
    """A region's gaps drawn to be read: each of the region's own gaps with up to ``candidates`` candidate
    mechanisms (dashed: missing here), the inherited gaps grouped into one node per region they come from,
    and the covered problems into one node (its tooltip names the mechanisms that cover them). At most ``cap`` nodes;
    the table (``/api/regions/{id}/gaps``) lists every row."""
    region = gaps.region.iri
    nodes: dict[str, ViewNode] = {region: _node(projections, region, base_iri, 40)}
    edges: list[ViewEdge] = []
    own = [g for g in gaps.gaps if g.layer in ("own", "indicated")]
    for gap in own:
        nodes[gap.problem.iri] = _node(projections, gap.problem.iri, base_iri, 26, "gap", gap.explanation)
        edges.append(ViewEdge(region, gap.problem.iri, "facesProblem",
                              "facesProblem\n" + "\n".join(_evidence_text(f.evidence) for f in gap.faced_in
                                                            if f.layer in ("own", "indicated"))))
        for candidate in gap.candidates[:candidates]:
            nodes.setdefault(candidate.iri, _node(projections, candidate.iri, base_iri, 16, "candidate",
                                                  f"candidate, rank {candidate.rank}; not present in "
                                                  + gaps.region.label))
            edges.append(ViewEdge(candidate.iri, gap.problem.iri, "addressesProblem",
                                  _evidence_text(candidate.evidence) or "addressesProblem", dashed=True))
    inherited: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for gap in gaps.gaps:
        if gap.layer == "inherited" and gap.inherited_from is not None:
            inherited.setdefault(gap.inherited_from.iri, []).append(gap.problem.label)
            names[gap.inherited_from.iri] = gap.inherited_from.label
    for source, problems in sorted(inherited.items()):
        group = f"{region}#inherited-from-{source.rsplit('/', 1)[-1]}"
        nodes[group] = ViewNode(group, f"{len(problems)} gaps inherited from {names[source]}", "problem", "inherited",
                                22, "\n".join([f"{len(problems)} gaps inherited from {names[source]}:"]
                                              + [f"- {label}" for label in sorted(problems)[:20]]
                                              + (["..."] if len(problems) > 20 else [])), None)
        edges.append(ViewEdge(region, group, "facesProblem", f"faced as part of {names[source]}"))
    if gaps.covered:
        group = f"{region}#covered"
        nodes[group] = ViewNode(group, f"{len(gaps.covered)} covered problems", "problem", "covered", 20,
                                "\n".join(f"- {c.problem.label} (by {'; '.join(m.label for m in c.mechanisms[:3])})"
                                          for c in gaps.covered[:20]), None)
        edges.append(ViewEdge(region, group, "facesProblem", "faced, and covered by mechanisms present there"))
    total = len(nodes)
    priority = {"region": 0, "gap": 1, "inherited": 2, "covered": 3, "candidate": 4, "present": 5}
    keep = set(sorted(nodes, key=lambda iri: (priority.get(nodes[iri].role, 6), nodes[iri].label))[:cap])
    drawn = tuple(n for iri, n in sorted(nodes.items()) if iri in keep)
    notes = (f"{len(own)} of the region's own gaps (each drawn, with up to {candidates} candidates), "
             f"{len(gaps.gaps) - len(own)} inherited gaps grouped by the region they come from, "
             f"{len(gaps.covered)} covered problems grouped; {gaps.problems_faced} faced in all",)
    if total > cap:
        notes += (f"showing {len(drawn)} of {total} nodes",)
    return View("region-gaps", f"Gaps of {gaps.region.label}", drawn,
                tuple(e for e in edges if e.source in keep and e.target in keep), total, len(drawn),
                legend_for({"region", "gap", "inherited", "covered", "candidate"}), notes, (),
                {"focus": region, "cap": cap})


def build_query_view(projections: Projections, base_iri: str, *, triples: list[tuple[str, str, object]] = (),
                     rows: list[dict[str, str]] = (), cap: int = DEFAULT_CAP) -> View:
    """The view of a query result: a CONSTRUCT's triples between IRIs (``triples``), or, for a SELECT, the
    IRIs of each row (``rows``: variable -> IRI) linked in the order of the variables. Labels and kinds
    come from the graph where the IRIs are entities."""
    links: list[tuple[str, str, str]] = []
    for s, p, o in triples:
        if isinstance(o, str) and not s.startswith("_:") and not o.startswith("_:"):
            links.append((s, p.rsplit("#", 1)[-1].rsplit("/", 1)[-1], o))
    for row in rows:
        names = sorted(row)
        links += [(row[a], f"?{a} ?{b}", row[b]) for a, b in zip(names, names[1:]) if row[a] != row[b]]
    order = list(dict.fromkeys([s for s, _, _ in links] + [o for _, _, o in links] + [v for r in rows for v in r.values()]))
    shown = set(order[:cap])
    nodes = []
    for iri in order[:cap]:
        if iri in projections.entity:
            nodes.append(_node(projections, iri, base_iri, 16))
        else:
            nodes.append(ViewNode(iri, iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1], "other", "other", 12,
                                  iri, _href(iri, base_iri)))
    edges = tuple(ViewEdge(s, o, p, p) for s, p, o in dict.fromkeys(links) if s in shown and o in shown)
    notes = () if len(order) <= cap else (f"showing {len(shown)} of {len(order)} IRIs of the result",)
    return View("query", "Query result", tuple(sorted(nodes, key=lambda n: n.id)), edges, len(order), len(shown),
                legend_for({n.kind for n in nodes}), notes, (), {"cap": cap})


_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
            "#7f7f7f", "#aec7e8", "#ffbb78")


def build_communities(projections: Projections, result: CommunityResult, membership: Mapping[str, int],
                      base_iri: str, *, scores: Mapping[str, float], cap: int = DEFAULT_CAP) -> View:
    """The entities of a community partition, coloured by community (the 12 largest; the rest grey), shape
    by kind, capped at the ``cap`` best-scored."""
    ranked = sorted(membership, key=lambda n: (-scores.get(n, 0.0), projections.label(n), n))[:cap]
    sizes = _sizes(ranked, scores)
    nodes = []
    for node in sorted(ranked):
        index = membership[node]
        drawn = _node(projections, node, base_iri, sizes[node], extra=f"community {index}")
        nodes.append(replace(drawn, role=f"community-{index}" if index <= len(_PALETTE) else "community-other"))
    shown = set(ranked)
    legend = tuple(LegendEntry(f"community-{c.index}", f"community {c.index} ({c.size})", _PALETTE[c.index - 1],
                               "by kind") for c in result.communities[:len(_PALETTE)])
    if len(result.communities) > len(_PALETTE):
        legend += (LegendEntry("community-other", "smaller communities", "#dddddd", "by kind"),)
    notes = (f"Louvain communities of the {result.projection} projection, modularity {result.modularity:.4f}",)
    if len(membership) > cap:
        notes += (f"showing {len(ranked)} of {len(membership)} linked entities, the best connected",)
    if result.projection == "co-issuance":  # actors are linked through the policies they issued together
        edges = tuple(ViewEdge(a, b, f"co-issued {data['weight']}", "jointly issued:\n" + "\n".join(
            projections.label(p) for p in data["policies"])) for a, b, data in sorted(
            projections.co_issuance.edges(data=True)) if a in shown and b in shown)
    else:
        edges = _edges(projections, shown)
    return View("communities", f"Communities of the {result.projection} projection", tuple(nodes),
                edges, len(membership), len(ranked), legend, notes, (),
                {"projection": result.projection, "cap": cap})

"""Gap analysis for a region: the problems it faces that no mechanism present there addresses, and what
the literature offers for each.

* Problems faced, in layers: *own* (``facesProblem`` stated for the region itself), *indicated* (a statistic
  about the region itself indicates it, ``hasQuantity``/``indicatesProblem``: the region's own too, with the
  figure named) and *inherited* (stated or indicated for a region containing it, ``partOfRegion``, which is
  named).
* Mechanisms present: established by a policy that applies to the region or a region containing it,
  implemented by an actor located in the region or a region inside it, or exemplified by a case there
  (``caseRegion``); each present mechanism says which, with the evidence.
* A gap is a faced problem that no present mechanism addresses (``addressesProblem``, taken literally:
  a mechanism for a broader or narrower problem is reported as a near miss, not as cover).
* Links that rest only on cross-paper inferences (``seikg:crossSource``) count unless the projections
  leave them out (:meth:`kg.projection.Projections.without_cross_source`); the method says which.
* Gaps are ranked with the region's own first, then by the strength of the evidence that the region
  faces the problem (stated before implied), then by how many sources propose a remedy.
* Candidates for a gap are every mechanism that addresses the problem, ranked by how many sources
  propose it, how many policies establish it anywhere, and its PageRank in the entity projection.

The SPARQL in ``region_gaps.rq`` returns the same gap set; each result carries it with the region bound.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from kg.errors import NotFoundError
from kg.model.records import Evidence, Statistic
from kg.projection import Projections
from kg.sparql.queries import bind_values, load_query, strip_comments
from kg.analyses.centrality import score_nodes, undirected_weighted
from kg.analyses.method import Method, cross_source_note

__all__ = ["INDICATED", "INHERITED", "OWN", "Candidate", "Covered", "FacedIn", "Gap", "NearMiss", "PlaceStatistic",
           "PresentMechanism", "Ref", "RegionGaps", "Via", "find_region_gaps", "present_mechanisms", "region_scope"]


@dataclass(frozen=True)
class Ref:
    """An entity by IRI and label."""

    iri: str
    label: str


#: the layers of a faced problem: stated for the region itself, indicated by a statistic about the region
#: itself, or stated or indicated for a region containing it; the first two are the region's own
OWN, INDICATED, INHERITED = "own", "indicated", "inherited"
_OWN_LAYERS = (OWN, INDICATED)

#: evidence support, strongest first (how firmly a source says the region faces the problem)
_STRENGTH = ("stated", "resolved", "implied")


@dataclass(frozen=True)
class FacedIn:
    """Where a faced problem comes from: the region (itself, layer ``own``, or one containing it, layer
    ``inherited``) and the evidence; for a problem a statistic indicates, the statistic (layer ``indicated``
    when it is about the region itself)."""

    region: Ref
    evidence: tuple[Evidence, ...]
    layer: str = OWN
    statistic: Statistic | None = None


@dataclass(frozen=True)
class Via:
    """Why a mechanism is present: a policy applying to ``region``, an actor located in it, or a case there,
    with evidence."""

    kind: str  # "policy", "actor" or "case"
    through: Ref
    region: Ref
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class PresentMechanism:
    """A mechanism present in the region, how it got there, and the problems it addresses."""

    iri: str
    label: str
    via: tuple[Via, ...]
    addresses: tuple[Ref, ...]


@dataclass(frozen=True)
class Covered:
    """A faced problem that present mechanisms address."""

    problem: Ref
    mechanisms: tuple[Ref, ...]


@dataclass(frozen=True)
class NearMiss:
    """A present mechanism that addresses a problem broader or narrower than the gap, which is not cover."""

    mechanism: Ref
    addresses: Ref
    relation: str  # "broader" or "narrower"


@dataclass(frozen=True)
class Candidate:
    """A mechanism from the literature that addresses a gap, with what ranks it."""

    iri: str
    label: str
    rank: int
    proposed_by: tuple[Ref, ...]
    established_by: int
    centrality: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Gap:
    """A problem the region faces that no present mechanism addresses.

    ``layer`` is ``own`` if a source states it for the region itself, ``indicated`` if a statistic about the
    region itself indicates it, else ``inherited`` (``inherited_from`` names the nearest containing region it
    is stated or indicated for); ``strength`` is the strongest support of that
    evidence (stated, resolved, implied); ``remedy_sources`` counts the sources that propose a candidate.
    """

    problem: Ref
    faced_in: tuple[FacedIn, ...]
    explanation: str
    near_misses: tuple[NearMiss, ...]
    candidates: tuple[Candidate, ...]
    orphan: bool
    layer: str = OWN
    inherited_from: Ref | None = None
    strength: str = "stated"
    remedy_sources: int = 0
    why: str = ""  # the layer in words: "stated for ... (source §section)", "indicated by ..." (the statistic)
    #               or "inherited from ..."


@dataclass(frozen=True)
class PlaceStatistic:
    """A quantitative fact the sources give about the region or a place inside it (``region`` says which), or
    about an actor located there or a case there (``through``, of ``through_kind`` ``actor`` or ``case``; a case
    counts for a region when every place it names lies in the region)."""

    region: Ref
    statistic: Statistic
    through: Ref | None = None
    through_kind: str | None = None


@dataclass(frozen=True)
class RegionGaps:
    """The gap analysis of one region."""

    region: Ref
    ancestors: tuple[Ref, ...]
    descendants: int
    problems_faced: int
    present: tuple[PresentMechanism, ...]
    covered: tuple[Covered, ...]
    gaps: tuple[Gap, ...]  # the region's own first (see the module docstring)
    method: Method
    own_problems: int = 0  # faced problems stated for the region itself or indicated by its own statistics
    own_gaps: int = 0
    statistics: tuple[PlaceStatistic, ...] = ()  # of the region first, then of the places inside it


def region_scope(projections: Projections, region: str) -> tuple[list[str], list[str]]:
    """``(region and the regions containing it, region and the regions inside it)``, nearest first.

    Raises
    ------
    kg.errors.NotFoundError
        If ``region`` is not a region of the graph.
    """
    hierarchy = projections.region_hierarchy
    if region not in hierarchy:
        raise NotFoundError(f"region: no region {region.rsplit('/', 1)[-1]!r} in the graph")
    up = nx.single_source_shortest_path_length(hierarchy, region)
    down = nx.single_source_shortest_path_length(hierarchy.reverse(copy=False), region)
    return (sorted(up, key=lambda r: (up[r], r)), sorted(down, key=lambda r: (down[r], r)))


#: the ways a mechanism is present in a region: (kind, whether the place is the region or one containing it
#: (else the region or one inside it), the link from the bearer to the place, the link to the mechanism);
#: region_gaps.rq and region_present.rq spell out the same three
_PRESENCE = (("policy", True, "appliesToRegion", "establishesMechanism"),
             ("actor", False, "locatedIn", "implementsMechanism"),
             ("case", False, "caseRegion", "exemplifiesMechanism"))


def present_mechanisms(projections: Projections, region: str) -> dict[str, list[Via]]:
    """Each mechanism present in ``region`` (see the module docstring) and every reason it is there.

    Raises
    ------
    kg.errors.NotFoundError
        If ``region`` is not a region of the graph.
    """
    up, down = region_scope(projections, region)
    present: dict[str, list[Via]] = {}
    for kind, upward, placed, brings in _PRESENCE:
        for where in up if upward else down:
            for through in projections.sources(where, placed):
                for mechanism in projections.targets(through, brings):
                    present.setdefault(mechanism, []).append(Via(
                        kind, _ref(projections, through), _ref(projections, where),
                        projections.evidence(through, placed, where) + projections.evidence(through, brings, mechanism)))
    return present


def find_region_gaps(projections: Projections, region: str, *, centrality: Mapping[str, float] | None = None,
                     candidates: int = 10) -> RegionGaps:
    """The explained, cited gaps of ``region`` (an IRI); see the module docstring.

    ``centrality`` maps IRIs to PageRank in the entity projection (computed here if not given);
    ``candidates`` caps the candidates listed per gap.

    Raises
    ------
    kg.errors.NotFoundError
        If ``region`` is not a region of the graph.
    """
    up, down = region_scope(projections, region)
    if centrality is None:
        centrality = score_nodes(undirected_weighted(projections.entity), "pagerank")
    faced: dict[str, list[FacedIn]] = {}
    for where in up:
        for problem in projections.targets(where, "facesProblem"):
            faced.setdefault(problem, []).append(FacedIn(_ref(projections, where),
                                                         projections.evidence(where, "facesProblem", problem),
                                                         OWN if where == region else INHERITED))
        for statistic in projections.entity.nodes[where].get("statistics", ()):
            for problem, evidence in statistic.indicates:
                faced.setdefault(problem, []).append(FacedIn(
                    _ref(projections, where), evidence,
                    INDICATED if where == region else INHERITED, statistic))
    present = present_mechanisms(projections, region)
    addressed = {m: projections.targets(m, "addressesProblem") for m in present}
    covering: dict[str, list[str]] = {}
    for mechanism, problems in addressed.items():
        for problem in problems:
            covering.setdefault(problem, []).append(mechanism)
    gaps, covered = [], []
    for problem in sorted(faced, key=lambda p: (projections.label(p), p)):
        if covering.get(problem):
            covered.append(Covered(_ref(projections, problem),
                                   tuple(_ref(projections, m) for m in sorted(covering[problem]))))
            continue
        gaps.append(_gap(projections, region, problem, faced[problem], covering, len(present), centrality,
                         candidates))
    gaps.sort(key=lambda g: (g.layer not in _OWN_LAYERS, _STRENGTH.index(g.strength) if g.strength in _STRENGTH else 9,
                             -g.remedy_sources, g.problem.label, g.problem.iri))
    own = [p for p, found in faced.items() if any(f.layer in _OWN_LAYERS for f in found)]
    return RegionGaps(
        _ref(projections, region), tuple(_ref(projections, r) for r in up[1:]), len(down) - 1, len(faced),
        tuple(PresentMechanism(m, projections.label(m), tuple(present[m]),
                               tuple(_ref(projections, p) for p in addressed[m]))
              for m in sorted(present, key=lambda m: (projections.label(m), m))),
        tuple(covered), tuple(gaps),
        Method("problems faced by the region (own: stated for it, or indicated by a statistic about it) or a "
               "region containing it (inherited), minus those addressed "
               "by a mechanism that a policy applying to the region (or a region containing it) establishes, an "
               "actor located in the region (or a region inside it) implements, or a case there exemplifies; "
               "gaps ranked own first, then by the strength of the evidence, then by the sources proposing a "
               "remedy; " + cross_source_note(projections),
               projection="entity", algorithm="kg.analyses.gaps.find_region_gaps over the region-hierarchy and "
                                              "entity projections",
               parameters={"region": region, "candidates": candidates,
                           "cross_source": "include" if projections.cross_source else "exclude"},
               sparql=strip_comments(bind_values(load_query("region_gaps"), {
                   "region": ("iri", region),
                   "crossSource": ("boolean", "true" if projections.cross_source else "false")}))),
        len(own), sum(1 for g in gaps if g.layer in _OWN_LAYERS),
        _place_statistics(projections, down))


def _place_statistics(projections: Projections, down: list[str]) -> tuple[PlaceStatistic, ...]:
    """The figures of the region and the places inside it (``down``, the region first), then those of the actors
    located there and of the cases that lie wholly in it, each once, under the first of its places."""
    inside = set(down)
    found = [PlaceStatistic(_ref(projections, where), s) for where in down
             for s in projections.entity.nodes[where].get("statistics", ())]
    seen: set[str] = set()
    for kind, placed in (("actor", "locatedIn"), ("case", "caseRegion")):
        for where in down:
            for bearer in sorted(projections.sources(where, placed)):
                if bearer in seen or not set(projections.targets(bearer, placed)) <= inside:
                    continue
                seen.add(bearer)
                found += [PlaceStatistic(_ref(projections, where), s, _ref(projections, bearer), kind)
                          for s in projections.entity.nodes[bearer].get("statistics", ())]
    return tuple(found)


def _gap(projections: Projections, region: str, problem: str, faced_in: list[FacedIn], covering: dict[str, list[str]],
         present_count: int, centrality: Mapping[str, float], limit: int) -> Gap:
    broader = set(projections.targets(problem, "broader"))
    narrower = set(projections.sources(problem, "broader"))
    near = [NearMiss(_ref(projections, m), _ref(projections, other), "broader" if other in broader else "narrower")
            for other in sorted(broader | narrower) for m in sorted(covering.get(other, ()))]
    ranked = sorted(projections.sources(problem, "addressesProblem"), key=lambda m: (
        -len(projections.sources(m, "proposesMechanism")), -len(projections.sources(m, "establishesMechanism")),
        -centrality.get(m, 0.0), projections.label(m), m))
    found = []
    for rank, mechanism in enumerate(ranked[:limit], start=1):
        found.append(Candidate(mechanism, projections.label(mechanism), rank,
                               tuple(_ref(projections, s) for s in projections.sources(mechanism, "proposesMechanism")),
                               len(projections.sources(mechanism, "establishesMechanism")),
                               round(centrality.get(mechanism, 0.0), 6),
                               projections.evidence(mechanism, "addressesProblem", problem)))
    own = [f for f in faced_in if f.layer in _OWN_LAYERS]
    layer_of = own or faced_in  # the evidence that decides the layer and the strength
    supports = [e.support for f in layer_of for e in f.evidence] or ["stated"]
    strength = min(supports, key=lambda s: _STRENGTH.index(s) if s in _STRENGTH else 9)
    remedy = {s for m in ranked for s in projections.sources(m, "proposesMechanism")}
    where = ", ".join(("indicated by its statistic: " + f.statistic.sentence if f.statistic else "directly")
                      if f.region.iri == region else f"as part of {f.region.label}" for f in faced_in)
    sources = sorted({f"{e.source.rsplit('/', 1)[-1]} §{e.section}" for f in faced_in for e in f.evidence})
    text = (f"{projections.label(region)} faces this problem ({where}; "
            f"{', '.join(sources) if sources else 'no evidence recorded'}), and none of the {present_count} "
            f"mechanisms present there addresses it")
    text += (f"; {len(ranked)} mechanism{'s' if len(ranked) != 1 else ''} in the literature "
             f"address{'es' if len(ranked) == 1 else ''} it" if ranked
             else "; no mechanism in the graph addresses it at all (an orphan problem)")
    if near:
        text += f"; {len(near)} present mechanism{'s' if len(near) != 1 else ''} address a broader or narrower problem"
    layer = (OWN if any(f.layer == OWN for f in own) else INDICATED) if own else INHERITED
    indicated = [f.statistic.sentence for f in own if f.statistic is not None]
    stated = sorted({f"{e.source.rsplit('/', 1)[-1]} §{e.section}" for f in own if f.layer == OWN for e in f.evidence})
    why = (f"stated for {projections.label(region)} ({', '.join(stated)})" if layer == OWN
           else f"indicated by {'; '.join(indicated)}" if layer == INDICATED
           else f"inherited from {faced_in[0].region.label}")
    return Gap(_ref(projections, problem), tuple(faced_in), text + ".", tuple(near), tuple(found), not ranked,
               layer, None if own else faced_in[0].region, strength, len(remedy), why)


def _ref(projections: Projections, iri: str) -> Ref:
    return Ref(iri, projections.label(iri))

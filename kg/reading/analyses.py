"""Reading the served graph's precomputed analyses by id: what the API routes call.

Nothing here computes an analysis; each function reads the
:class:`~kg.analyses.suite.AnalysisSuite` that the query service built when it
loaded the graph, and filters or assembles it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kg.errors import InvalidArgument
from kg.model.iris import entity_iri
from kg.analyses.centrality import CentralityResult
from kg.analyses.communities import CommunityResult
from kg.analyses.comparison import RegionComparison
from kg.analyses.gaps import Ref, RegionGaps
from kg.analyses.region_measures import RegionMap, select_measure
from kg.analyses.rdf import analysis_graph_iri, serialize_analyses
from kg.analyses.timeline import PolicyTimeline, list_policies_by_date

if TYPE_CHECKING:
    from kg.runtime import QueryService

__all__ = ["whole_result", "analysis_index", "analysis_rdf", "centrality", "communities", "compare", "policy_timeline",
           "region_gaps", "region_map", "region_siblings", "sibling_comparison"]

def _iri(service: QueryService, slug: str, ident: str, parameter: str) -> str:
    return entity_iri(service.settings.base_iri, slug, ident, parameter)


def region_gaps(service: QueryService, ident: str, *, cross_source: bool = True) -> RegionGaps:
    """The gap analysis of the region ``ident``, with or without the links that rest only on cross-paper
    inferences.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no such region.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    return service.analyses().gaps(_iri(service, "region", ident, "id"), cross_source=cross_source)


def compare(service: QueryService, idents: list[str], *, cross_source: bool = True) -> RegionComparison:
    """The mechanism-by-region matrix of the regions ``idents``, with or without the links that rest only on
    cross-paper inferences.

    Raises
    ------
    kg.errors.InvalidArgument
        If fewer than two distinct regions are given.
    kg.errors.NotFoundError
        If a region does not exist.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    return service.analyses().compare([_iri(service, "region", i, "region") for i in idents],
                                      cross_source=cross_source)


def centrality(service: QueryService, projection: str, *, measure: str | None = None, kind: str | None = None,
               top: int | None = None) -> CentralityResult:
    """Centrality rankings on ``projection``, optionally for one measure and kind, cut to ``top`` entries.

    Raises
    ------
    kg.errors.InvalidArgument
        If the projection is unknown, or no ranking matches ``measure`` and ``kind``.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    result = service.analyses().centrality_of(projection)
    rankings = tuple(replace(r, top=r.top[:top] if top else r.top) for r in result.rankings
                     if (measure is None or r.measure == measure) and (kind is None or r.kind == kind))
    if not rankings:
        raise InvalidArgument(f"kind: no {kind!r} entities on the {projection} projection")
    return replace(result, rankings=rankings)


def communities(service: QueryService, projection: str) -> CommunityResult:
    """The Louvain communities of ``projection``.

    Raises
    ------
    kg.errors.InvalidArgument
        If communities are not computed for ``projection``.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    return service.analyses().communities_of(projection)


def whole_result(service: QueryService, name: str, *, cross_source: bool = True) -> object:
    """The whole result of the analysis ``name`` of the registry, as computed at load (for an analysis marked
    ``cross_source``, optionally without the links that rest only on cross-paper inferences).

    Raises
    ------
    kg.errors.NotFoundError
        If no analysis has that name.
    kg.errors.InvalidArgument
        If ``cross_source`` is False for an analysis that does not count such links.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    return service.analyses().result(name, cross_source=cross_source)


def analysis_index(service: QueryService) -> dict[str, object]:
    """What was computed, for which graph version, when, and how long each part took.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    return {"version": suite.version, "started_at": suite.started_at, "ended_at": suite.ended_at,
            "seconds": suite.seconds, "parameters": suite.parameters.__dict__,
            "graph": str(analysis_graph_iri(service.settings.base_iri)),
            "regions": len(suite.region_gaps)}


def analysis_rdf(service: QueryService, fmt: str) -> bytes:
    """The analysis results as RDF with PROV metadata: ``turtle``, ``nquads`` (in the analysis graph) or ``jsonld``.

    Raises
    ------
    kg.errors.InvalidArgument
        If ``fmt`` is not one of those.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    return serialize_analyses(service.analysis_rdf(), service.settings.base_iri, fmt)


def policy_timeline(service: QueryService, *, issuer: str | None = None, genre: str | None = None
                    ) -> PolicyTimeline:
    """Policies by date, optionally of one issuer (an actor id) or genre (a class name such as Notice).

    Raises
    ------
    kg.errors.InvalidArgument
        If the issuer id is malformed or the genre unknown.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    projections = service.analyses().projections
    issuer_iri = _iri(service, "actor", issuer, "issuer") if issuer else None
    timeline = list_policies_by_date(projections, issuer=issuer_iri, genre=genre)
    if genre and genre not in timeline.genres:
        raise InvalidArgument(f"genre: no policy of genre {genre!r}; one of: {', '.join(timeline.genres)}")
    return timeline


def region_siblings(service: QueryService, ident: str) -> tuple[Ref, ...]:
    """The regions that share a parent with the region ``ident`` (the other macro-regions, the other provinces
    of its macro-region, ...), by label.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no such region.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    region = _iri(service, "region", ident, "id")
    suite.gaps(region)
    projections = suite.projections
    hierarchy = projections.region_hierarchy
    siblings = {child for parent in hierarchy.successors(region) for child in hierarchy.predecessors(parent)
                if child != region}
    return tuple(Ref(r, projections.label(r)) for r in sorted(siblings, key=lambda r: (projections.label(r), r)))


def sibling_comparison(service: QueryService, ident: str, *, limit: int = 6) -> RegionComparison | None:
    """The region side by side with up to ``limit`` regions that share a parent with it (None if it has none).

    Raises
    ------
    kg.errors.NotFoundError
        If there is no such region.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    siblings = region_siblings(service, ident)[:limit]
    region = _iri(service, "region", ident, "id")
    return service.analyses().compare([region, *(s.iri for s in siblings)]) if siblings else None


def region_map(service: QueryService, measure: str, level: str, *, cross_source: bool = True) -> RegionMap:
    """One measure over every province and macro-region, shading the places of ``level``.

    Raises
    ------
    kg.errors.InvalidArgument
        If the measure or the level is unknown.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    return select_measure(service.analyses().result("region-measures", cross_source=cross_source), measure, level)

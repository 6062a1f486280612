"""The policy timeline and the analyses that have pages: each page and its JSON twin read one ``kg`` function
and are registered once (:mod:`api.twins`)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from kg.reading import analyses as lookup
from kg.analyses import registry
from kg.analyses.centrality import CentralityResult
from kg.analyses.comparison import RegionComparison
from kg.analyses.region_measures import LEVELS, MEASURES, RegionMap
from kg.analyses.communities import CommunityResult
from kg.analyses.timeline import PolicyTimeline
from visualizations.tilemap import draw_tile_map
from visualizations.timeline import draw_timeline

from api.deps import ServiceDep
from api.routes.analysis import CrossSource, whole_reader
from api.twins import Twin, add_twins

Issuer = Annotated[str | None, Query(pattern=r"^([a-z0-9]+(?:-[a-z0-9]+)*)?$", max_length=200,
                                     examples=["ministry-of-education"],
                                     description="only policies this actor issued (empty: any)")]


Genre = Annotated[str | None, Query(pattern=r"^[A-Za-z]*$", examples=["Notice"],
                                    description="only this genre (empty: any)")]


Projection = Literal["entity", "co-issuance", "policy-mechanism", "mechanism-problem", "region-hierarchy"]


__all__ = ["build_router"]


def _timeline(service: ServiceDep, issuer: Issuer = None, genre: Genre = None) -> PolicyTimeline:
    return lookup.policy_timeline(service, issuer=issuer or None, genre=genre or None)


def _timeline_context(request: Request, timeline: PolicyTimeline) -> dict[str, object]:
    return {"drawing": draw_timeline(timeline), "issuer": request.query_params.get("issuer", ""),
            "genre": request.query_params.get("genre", "")}


def _centrality(service: ServiceDep, projection: Projection = "entity",
                measure: Literal["degree", "betweenness", "pagerank", "closeness"] | None = None,
                kind: Annotated[str | None, Query(pattern=r"^[a-z]+$", examples=["actor"],
                                                  description="policy, actor, mechanism, problem, region, source, "
                                                              "case, framework, or all")] = None,
                top: Annotated[int, Query(ge=1, le=25)] = 10) -> CentralityResult:
    return lookup.centrality(service, projection, measure=measure, kind=kind, top=top)


def _communities(service: ServiceDep,
                 projection: Literal["entity", "co-issuance", "mechanism-problem"] = "entity") -> CommunityResult:
    return lookup.communities(service, projection)


Measure = Annotated[str, Query(pattern=r"^[a-z-]{1,40}$", examples=["gaps"],
                               description="what shades the map: " + "; ".join(f"{m.name} ({m.description})"
                                                                               for m in MEASURES))]


Level = Annotated[str, Query(pattern=r"^[a-z-]{1,40}$", examples=["province"],
                             description="which places are shaded: " + " or ".join(LEVELS.values()))]


def _map(service: ServiceDep, measure: Measure = "gaps", level: Level = "province",
         cross_source: CrossSource = "include") -> RegionMap:
    return lookup.region_map(service, measure, level, cross_source=cross_source == "include")


def _map_context(request: Request, region_map: RegionMap) -> dict[str, object]:
    return {"drawing": draw_tile_map(region_map), "measures": MEASURES, "levels": tuple(LEVELS.values())}


Regions = Annotated[list[str], Query(min_length=2, max_length=12, description="region ids (repeat the parameter)",
                                     examples=[["eastern-region", "western-region"]])]


def _compare(service: ServiceDep, region: Regions, cross_source: CrossSource = "include") -> RegionComparison:
    return lookup.compare(service, region, cross_source=cross_source == "include")


def _whole(entry: registry.AnalysisDef) -> Twin:
    return Twin(f"/analysis/{entry.name}", f"/api/analysis/{entry.name}", whole_reader(entry), entry.template or "",
                entry.title, response_model=entry.result_type, name=f"analysis-{entry.name}")


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["pages"])
    add_twins(router, Twin("/timeline", "/api/timeline", _timeline, "timeline.html",
                           "Policies by date, at the precision the sources give, filterable by issuer and genre",
                           response_model=PolicyTimeline, context=_timeline_context, variable="timeline"))
    add_twins(router, Twin("/map", "/api/map", _map, "map.html",
                           "A tile map of the provinces and macro-regions, shaded by gaps, own problems, present "
                           "mechanisms, named pilot cities or cases", response_model=RegionMap, context=_map_context,
                           variable="region_map"))
    add_twins(router, Twin("/analysis/compare", "/api/analysis/compare", _compare, "compare.html",
                           "Two or more regions side by side: statistics, problems and mechanisms, the rows in which "
                           "they differ first", response_model=RegionComparison, variable="comparison"))
    add_twins(router, Twin("/analysis/centrality", "/api/analysis/centrality", _centrality, "centrality.html",
                           "Top entities per class by degree, betweenness, PageRank and closeness",
                           response_model=CentralityResult))
    add_twins(router, Twin("/analysis/communities", "/api/analysis/communities", _communities,
                           "communities.html", "Louvain communities (seeded) with modularity",
                           response_model=CommunityResult))
    for entry in registry.served_analyses():
        if entry.template:  # an analysis with a page; the others are served as JSON only (kg.analyses.registry)
            add_twins(router, _whole(entry))
    return router

"""The analysis API: ``/api/analysis/...`` and ``/api/regions/{id}/gaps``.

Every result was computed when the graph was loaded (``kg.analyses.suite``);
these routes only read and filter it, and each result says how to re-run it.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kg.analyses import lookup
from kg.analyses.centrality import CentralityResult
from kg.analyses.communities import CommunityResult, StructuralHoles
from kg.analyses.comparison import RegionComparison
from kg.analyses.coverage import FrameworkCoverage, ProblemCoverage
from kg.analyses.gaps import RegionGaps
from kg.analyses.rdf import ANALYSIS_FORMATS
from kg.analyses.rdf import ANALYSIS_FORMATS
from kg.analyses.timeline import Timeline
from kg.model.formats import format_named
from kg.model.formats import format_named

from ..deps import ServiceDep

_REGION = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, description="the region's id", examples=["tangshan"])


Projection = Literal["entity", "co-issuance", "policy-mechanism", "mechanism-problem", "region-hierarchy"]


_RDF_TYPES = {name: format_named(name).media_type for name in ANALYSIS_FORMATS}


__all__ = ["build_router"]

#: where each analysis is served (the analyses themselves know no URLs)
_ANALYSIS_URLS = {"centrality": "/api/analysis/centrality", "communities": "/api/analysis/communities",
                  "structural_holes": "/api/analysis/structural-holes", "timeline": "/api/analysis/timeline",
                  "problem_coverage": "/api/analysis/coverage", "framework_coverage": "/api/analysis/frameworks",
                  "region_gaps": "/api/regions/{id}/gaps", "compare": "/api/analysis/compare?region=A&region=B",
                  "rdf": "/api/analysis/rdf"}


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(prefix="/api", tags=["analysis"])

    @router.get("/analysis", summary="What was computed, for which graph version, and how long it took")
    def analysis_index(service: ServiceDep) -> dict[str, object]:
        return {**lookup.analysis_index(service), "analyses": _ANALYSIS_URLS}

    @router.get("/regions/{id}/gaps", summary="The region's gaps: faced problems no present mechanism addresses, "
                                              "with cited evidence and ranked candidates")
    def region_gaps(service: ServiceDep, id: Annotated[str, _REGION]) -> RegionGaps:  # noqa: A002
        return lookup.region_gaps(service, id)

    @router.get("/analysis/compare", summary="Two or more regions side by side: a mechanism-by-region matrix")
    def compare(service: ServiceDep, region: Annotated[list[str], Query(
            min_length=2, max_length=12, description="region ids (repeat the parameter)",
            examples=[["tangshan", "jinjiang"]])]) -> RegionComparison:
        return lookup.compare(service, region)

    @router.get("/analysis/centrality", summary="Top entities per class by degree, betweenness, PageRank and closeness")
    def centrality(service: ServiceDep, projection: Projection = "entity",
                   measure: Literal["degree", "betweenness", "pagerank", "closeness"] | None = None,
                   kind: Annotated[str | None, Query(pattern=r"^[a-z]+$", examples=["actor"],
                                                     description="policy, actor, mechanism, problem, region, source, "
                                                                 "case, framework, or all")] = None,
                   top: Annotated[int, Query(ge=1, le=25)] = 10) -> CentralityResult:
        return lookup.centrality(service, projection, measure=measure, kind=kind, top=top)

    @router.get("/analysis/communities", summary="Louvain communities (seeded) with modularity")
    def communities(service: ServiceDep,
                    projection: Literal["entity", "co-issuance", "mechanism-problem"] = "entity") -> CommunityResult:
        return lookup.communities(service, projection)

    @router.get("/analysis/structural-holes", summary="Burt's constraint of co-issuing actors, lowest first")
    def structural_holes(service: ServiceDep) -> StructuralHoles:
        return service.analyses().structural_holes

    @router.get("/analysis/timeline", summary="Policies per year, issuer and genre; co-issuance over time; "
                                              "first and last policy per mechanism")
    def timeline(service: ServiceDep) -> Timeline:
        return service.analyses().timeline

    @router.get("/analysis/coverage", summary="Orphan, fragile and proposal-only problems")
    def coverage(service: ServiceDep) -> ProblemCoverage:
        return service.analyses().problems

    @router.get("/analysis/frameworks", summary="Each mechanism framework's components that no policy establishes "
                                                "and no actor implements")
    def frameworks(service: ServiceDep) -> list[FrameworkCoverage]:
        return list(service.analyses().frameworks)

    @router.get("/analysis/rdf", summary="The analysis results as RDF with PROV metadata",
                responses={200: {"content": {t: {} for t in _RDF_TYPES.values()}}})
    def analysis_rdf(service: ServiceDep, format: Annotated[str, Query(  # noqa: A002
            description="turtle, nquads or jsonld (json-ld also accepted)", examples=["turtle"])] = "turtle") -> Response:
        chosen = format_named(format, among=ANALYSIS_FORMATS)
        return Response(lookup.analysis_rdf(service, chosen.name), media_type=chosen.media_type)

    return router

"""The analysis API: ``/api/analysis/...`` and ``/api/regions/{id}/gaps``.

Every result was computed when the graph was loaded (``kg.analyses.suite``);
these routes only read and filter it, and each result says how to re-run it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kg.reading import analyses as lookup
from kg.analyses import registry
from kg.analyses.gaps import RegionGaps
from kg.analyses.rdf import ANALYSIS_FORMATS
from kg.analyses.tables import gap_rows, tables_to_csv
from kg.model.formats import format_named

from api.deps import ServiceDep

_REGION = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, description="the region's id", examples=["tangshan"])




_RDF_TYPES = {name: format_named(name).media_type for name in ANALYSIS_FORMATS}


__all__ = ["CrossSource", "build_router", "whole_reader"]

#: where the analyses that take parameters are read (the analyses themselves know no URLs)
_PARAMETERISED_URLS = {"centrality": "/api/analysis/centrality?projection=entity",
                       "communities": "/api/analysis/communities?projection=entity",
                       "region-gaps": "/api/regions/{id}/gaps", "compare": "/api/analysis/compare?region=A&region=B",
                       "rdf": "/api/analysis/rdf"}


def analysis_urls() -> dict[str, str]:
    """Where each analysis of the registry is served: ``/api/analysis/NAME`` for a whole result."""
    return {**{entry.name: f"/api/analysis/{entry.name}" for entry in registry.served_analyses()},
            **_PARAMETERISED_URLS}


#: ``cross_source``: whether an analysis counts the links that rest only on cross-paper inferences
CrossSource = Annotated[Literal["include", "exclude"], Query(
    description="include (default) or exclude the addressesProblem links that rest only on cross-paper "
                "inferences (seikg:crossSource): one source's mechanism linked to a problem only other sources "
                "identify")]


def whole_reader(entry: registry.AnalysisDef) -> Callable[..., object]:
    """The FastAPI handler that reads the whole result of ``entry`` (with ``cross_source`` if it counts such
    links); the JSON route here and the page twins (:mod:`api.routes.analysis_pages`) both use it."""
    if entry.cross_source:
        def read_either(service: ServiceDep, cross_source: CrossSource = "include") -> object:
            return lookup.whole_result(service, entry.name, cross_source=cross_source == "include")
        return read_either

    def read(service: ServiceDep) -> object:
        return lookup.whole_result(service, entry.name)
    return read


def _add_served(router: APIRouter, entry: registry.AnalysisDef) -> None:
    """The route of an analysis served whole: ``/api/analysis/NAME``."""
    router.add_api_route(f"/analysis/{entry.name}", whole_reader(entry), methods=["GET"], summary=entry.title,
                         response_model=entry.result_type, name=f"analysis-{entry.name}")


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(prefix="/api", tags=["analysis"])

    @router.get("/analysis", summary="What was computed, for which graph version, and how long it took")
    def analysis_index(service: ServiceDep) -> dict[str, object]:
        return {**lookup.analysis_index(service), "analyses": analysis_urls()}

    @router.get("/regions/{id}/gaps", summary="The region's gaps: faced problems no present mechanism addresses, "
                                              "with cited evidence and ranked candidates")
    def region_gaps(service: ServiceDep, id: Annotated[str, _REGION],  # noqa: A002
                    cross_source: CrossSource = "include") -> RegionGaps:
        return lookup.region_gaps(service, id, cross_source=cross_source == "include")

    @router.get("/regions/{id}/gaps.csv", summary="The region's gaps as CSV: a field per column (problem, why "
                                                  "it applies, evidence, candidates and their sources, near misses)",
                response_class=Response, responses={200: {"content": {"text/csv": {}}}})
    def region_gaps_csv(service: ServiceDep, id: Annotated[str, _REGION],  # noqa: A002
                        cross_source: CrossSource = "include") -> Response:
        result = lookup.region_gaps(service, id, cross_source=cross_source == "include")
        return Response(tables_to_csv([gap_rows(result)], titled=False), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="gaps-{id}.csv"'})

    for entry in registry.served_analyses():
        if not entry.template:  # one with a page is registered with it, as twins (api.routes.analysis_pages)
            _add_served(router, entry)

    @router.get("/analysis/rdf", summary="The analysis results as RDF with PROV metadata",
                responses={200: {"content": {t: {} for t in _RDF_TYPES.values()}}})
    def analysis_rdf(service: ServiceDep, format: Annotated[str, Query(  # noqa: A002
            description="turtle, nquads or jsonld (json-ld also accepted)", examples=["turtle"])] = "turtle") -> Response:
        chosen = format_named(format, among=ANALYSIS_FORMATS)
        return Response(lookup.analysis_rdf(service, chosen.name), media_type=chosen.media_type)

    return router

"""Pages for the policy timeline and the analyses; each has a JSON twin built by the same ``kg`` function."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from kg.analyses import lookup
from kg.analyses.timeline import PolicyTimeline
from visualizations.timeline import draw_timeline

from ..deps import ServiceDep

Issuer = Annotated[str | None, Query(pattern=r"^([a-z0-9]+(?:-[a-z0-9]+)*)?$", max_length=200, examples=["ministry-of-education"],
                                     description="only policies this actor issued (empty: any)")]


Genre = Annotated[str | None, Query(pattern=r"^[A-Za-z]*$", examples=["Notice"],
                                    description="only this genre (empty: any)")]


Projection = Literal["entity", "co-issuance", "policy-mechanism", "mechanism-problem", "region-hierarchy"]


def _render(request: Request, name: str, **context: object) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context)


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["pages"])

    @router.get("/api/timeline", summary="Policies by date, at the precision the sources give (the timeline's twin)")
    def timeline_json(service: ServiceDep, issuer: Issuer = None, genre: Genre = None) -> PolicyTimeline:
        return lookup.policy_timeline(service, issuer=issuer or None, genre=genre or None)

    @router.get("/timeline", response_class=HTMLResponse, summary="Policy timeline, filterable by issuer and genre")
    def timeline_page(request: Request, service: ServiceDep, issuer: Issuer = None, genre: Genre = None) -> HTMLResponse:
        timeline = lookup.policy_timeline(service, issuer=issuer or None, genre=genre or None)
        query = "&".join(f"{k}={v}" for k, v in (("issuer", issuer), ("genre", genre)) if v)
        return _render(request, "timeline.html", timeline=timeline, drawing=draw_timeline(timeline), json_url="/api/timeline" + (f"?{query}" if query else ""),
                       base_iri=service.settings.base_iri, issuer=issuer or "", genre=genre or "")

    @router.get("/analysis/centrality", response_class=HTMLResponse,
                summary="Centrality tables of a projection (JSON twin: /api/analysis/centrality)")
    def centrality_page(request: Request, service: ServiceDep, projection: Projection = "entity") -> HTMLResponse:
        result = lookup.centrality(service, projection, top=10)
        return _render(request, "centrality.html", result=result, base_iri=service.settings.base_iri,
                       json_url=f"/api/analysis/centrality?projection={projection}")

    @router.get("/analysis/communities", response_class=HTMLResponse,
                summary="Louvain communities of a projection (JSON twin: /api/analysis/communities)")
    def communities_page(request: Request, service: ServiceDep,
                         projection: Literal["entity", "co-issuance", "mechanism-problem"] = "entity") -> HTMLResponse:
        result = lookup.communities(service, projection)
        return _render(request, "communities.html", result=result, base_iri=service.settings.base_iri,
                       json_url=f"/api/analysis/communities?projection={projection}")

    return router

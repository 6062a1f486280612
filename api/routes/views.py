"""Interactive graph views (``/views/...``, HTML) and their JSON twins (``/api/views/...``).

The same ``visualizations.catalog`` function builds both; the HTML draws it with the vendored
vis-network served at ``/static/views``. View state (focus, depth, filters) lives in the URL.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from visualizations import render_view
from visualizations.render import vis_elements
from visualizations import catalog as views
from visualizations.views import View

from api.deps import ServiceDep

_ID = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, examples=["tangshan"])


_SLUG = Path(pattern=r"^[a-z]+$", max_length=40, examples=["region"],
             description="the kind's slug: a kind drawn in views (kg.model.kinds), checked when the view is built")


_DATE = r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"  # empty: no bound (an empty form field)


Kinds = Annotated[str | None, Query(alias="kind", pattern=r"^([a-z]+(,[a-z]+)*)?$", examples=["policy,mechanism"],
                                    description="comma-separated kinds to keep")]


DateFrom = Annotated[str | None, Query(alias="from", pattern=_DATE, examples=["2019"])]


DateTo = Annotated[str | None, Query(alias="to", pattern=_DATE, examples=["2024-10"])]


Issuer = Annotated[str | None, Query(pattern=r"^([a-z0-9]+(?:-[a-z0-9]+)*)?$", max_length=200, examples=["ministry-of-education"],
                                     description="keep only policies issued by this actor")]


SourceId = Annotated[str | None, Query(pattern=r"^([a-z0-9]+(?:-[a-z0-9]+)*)?$", max_length=200, examples=["fu-huang-sun-2025"],
                                       description="keep only entities with a link cited from this source")]


Cap = Annotated[int, Query(ge=1, le=2000, description="most nodes drawn")]


Depth = Annotated[int, Query(ge=1, le=3)]


Embed = Annotated[bool, Query(description="the bare view, for embedding in a page")]


Size = Annotated[Literal["pagerank", "degree", "betweenness", "closeness"],
                 Query(description="the centrality (on the entity projection) that sizes the nodes and picks the capped ones")]


def _overview(service, kind, date_from, date_to, issuer, source, cap, size) -> View:  # noqa: ANN001
    filters = views.make_filters(service, kinds=kind, date_from=date_from, date_to=date_to, issuer=issuer,
                                 source=source)
    return views.overview_view(service, filters, cap=cap, size=size)


def _ego(service, slug, ident, depth, kind, date_from, date_to, issuer, source, cap) -> View:  # noqa: ANN001
    filters = views.make_filters(service, kinds=kind, date_from=date_from, date_to=date_to, issuer=issuer,
                                 source=source)
    return views.ego_view(service, slug, ident, depth=depth, filters=filters, cap=cap)


class Expansion(BaseModel):
    """A step of expanding a hub: the view data, and its elements as the page draws them."""

    view: View
    elements: dict[str, list[dict[str, Any]]]


Predicate = Annotated[str | None, Query(pattern=r"^([A-Za-z]+)?$", examples=["issuedBy"],
                                        description="the link to expand (empty: count the links per predicate)")]


QueryText = Annotated[str, Query(min_length=1, max_length=16 * 1024, description="a CONSTRUCT, DESCRIBE or SELECT query",
                                 examples=["PREFIX seikg: <https://w3id.org/seikg/ontology#> CONSTRUCT WHERE "
                                           "{ ?m seikg:addressesProblem ?p }"])]


CommunityProjection = Literal["entity", "co-issuance", "mechanism-problem"]


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["views"])

    @router.get("/api/views/overview", summary="The overview view's data (JSON twin of /views/overview)")
    def overview_json(service: ServiceDep, kind: Kinds = None, date_from: DateFrom = None, date_to: DateTo = None,
                      issuer: Issuer = None, source: SourceId = None, cap: Cap = 300, size: Size = "pagerank") -> View:
        return _overview(service, kind, date_from, date_to, issuer, source, cap, size)

    @router.get("/views/overview", response_class=HTMLResponse, summary="The whole graph, filtered and capped")
    def overview_page(service: ServiceDep, kind: Kinds = None, date_from: DateFrom = None, date_to: DateTo = None,
                      issuer: Issuer = None, source: SourceId = None, cap: Cap = 300, size: Size = "pagerank",
                      embed: Embed = False) -> HTMLResponse:
        return HTMLResponse(render_view(_overview(service, kind, date_from, date_to, issuer, source, cap, size),
                                        embedded=embed))

    @router.get("/api/views/ego/{slug}/{id}", summary="An entity's ego-network view data")
    def ego_json(service: ServiceDep, slug: Annotated[str, _SLUG], id: Annotated[str, _ID],  # noqa: A002
                 depth: Depth = 1, kind: Kinds = None, date_from: DateFrom = None, date_to: DateTo = None,
                 issuer: Issuer = None, source: SourceId = None, cap: Cap = 300) -> View:
        return _ego(service, slug, id, depth, kind, date_from, date_to, issuer, source, cap)

    @router.get("/views/ego/{slug}/{id}", response_class=HTMLResponse, summary="An entity's ego network, depth 1-3")
    def ego_page(service: ServiceDep, slug: Annotated[str, _SLUG], id: Annotated[str, _ID],  # noqa: A002
                 depth: Depth = 1, kind: Kinds = None, date_from: DateFrom = None, date_to: DateTo = None,
                 issuer: Issuer = None, source: SourceId = None, cap: Cap = 300, embed: Embed = False) -> HTMLResponse:
        return HTMLResponse(render_view(_ego(service, slug, id, depth, kind, date_from, date_to, issuer, source, cap),
                                        embedded=embed))

    @router.get("/api/views/expand/{slug}/{id}", summary="Expand a hub: its links per predicate, then one predicate's")
    def expand_json(service: ServiceDep, slug: Annotated[str, _SLUG], id: Annotated[str, _ID],  # noqa: A002
                    predicate: Predicate = None, cap: Annotated[int, Query(ge=1, le=500)] = 50) -> Expansion:
        view = views.expansion_view(service, slug, id, predicate=predicate or None, cap=cap)
        return Expansion(view=view, elements=vis_elements(view))

    @router.get("/api/views/region-gaps/{id}", summary="A region's gap view data")
    def region_gaps_json(service: ServiceDep, id: Annotated[str, _ID], cap: Cap = 300) -> View:  # noqa: A002
        return views.region_gaps_view(service, id, cap=cap)

    @router.get("/views/region-gaps/{id}", response_class=HTMLResponse,
                summary="A region's gaps: unaddressed problems and missing mechanisms drawn distinctly")
    def region_gaps_page(service: ServiceDep, id: Annotated[str, _ID], cap: Cap = 300,  # noqa: A002
                         embed: Embed = False) -> HTMLResponse:
        return HTMLResponse(render_view(views.region_gaps_view(service, id, cap=cap), embedded=embed))

    @router.get("/api/views/bipartite", summary="The mechanism-problem view data")
    def bipartite_json(service: ServiceDep, cap: Cap = 300) -> View:
        return views.bipartite_view(service, cap=cap)

    @router.get("/views/bipartite", response_class=HTMLResponse, summary="Mechanisms and the problems they address")
    def bipartite_page(service: ServiceDep, cap: Cap = 300, embed: Embed = False) -> HTMLResponse:
        return HTMLResponse(render_view(views.bipartite_view(service, cap=cap), embedded=embed))

    @router.get("/api/views/query", summary="The view data of a query result (CONSTRUCT, or SELECT with IRIs)")
    def query_json(service: ServiceDep, query: QueryText, cap: Cap = 300) -> View:
        return views.query_view(service, query, cap=cap)

    @router.get("/views/query", response_class=HTMLResponse, summary="A query result as a graph view")
    def query_page(service: ServiceDep, query: QueryText, cap: Cap = 300, embed: Embed = False) -> HTMLResponse:
        return HTMLResponse(render_view(views.query_view(service, query, cap=cap), embedded=embed))

    @router.get("/api/views/communities", summary="The communities view's data")
    def communities_json(service: ServiceDep, projection: CommunityProjection = "entity", cap: Cap = 300) -> View:
        return views.communities_view(service, projection, cap=cap)

    @router.get("/views/communities", response_class=HTMLResponse, summary="Louvain communities, coloured")
    def communities_page(service: ServiceDep, projection: CommunityProjection = "entity", cap: Cap = 300,
                         embed: Embed = False) -> HTMLResponse:
        return HTMLResponse(render_view(views.communities_view(service, projection, cap=cap), embedded=embed))

    return router

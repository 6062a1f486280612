"""HTML pages and Linked Data: every minted IRI ``/id/{kind}/{id}`` resolves; pages have JSON twins.

A page and its JSON twin are built by the same ``kg.catalog`` function.
Browsers get HTML, RDF clients get RDF (``Accept`` or ``format=``), JSON clients get the entity as JSON.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from fastapi.encoders import jsonable_encoder

from kg import catalog
from kg.analyses import lookup
from kg.model.formats import formats_holding
from kg.model.formats import formats_holding

from ..deps import ServiceDep
from ..negotiation import parse_accept

_SLUG = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200)


_RDF = {fmt.media_type: fmt.name for fmt in formats_holding("graph")}  # entity pages in every graph syntax


def _templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


def _render(request: Request, name: str, **context: object) -> HTMLResponse:
    return _templates(request).TemplateResponse(request, name, context)


def _wants(request: Request) -> str:
    fmt = request.query_params.get("format")
    if fmt in _RDF.values():
        return fmt
    if fmt == "json":
        return "json"
    for media, q in parse_accept(request.headers.get("accept")):
        if q <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml", "*/*"):
            return "html"
        if media in _RDF:
            return _RDF[media]
        if media == "application/json":
            return "json"
    return "html"


def _page(request: Request, entity: object, *, json_url: str) -> HTMLResponse:
    service = request.app.state.service
    comparison = None
    kind = catalog.kind_of_iri(entity.iri, service.settings.base_iri)  # type: ignore[attr-defined]
    if kind and kind[0] == "region":
        comparison = lookup.sibling_comparison(service, entity.id)  # type: ignore[attr-defined]
    response = _render(request, "entity.html", entity=entity, json_url=json_url,
                       base_iri=service.settings.base_iri, comparison=comparison,
                       sparql=catalog.evidence_query(entity.iri))  # type: ignore[attr-defined]
    response.headers["Vary"] = "Accept"
    return response


def _page_endpoint(spec: catalog.KindSpec):  # noqa: ANN202
    def endpoint(request: Request, service: ServiceDep, id: Annotated[str, _SLUG]) -> HTMLResponse:  # noqa: A002
        entity = catalog.get_entity(service, spec.slug, id)
        return _page(request, entity, json_url=f"/api/{spec.plural}/{id}")
    endpoint.__name__ = f"{spec.slug}_page"
    return endpoint


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["pages"])

    @router.get("/", response_class=HTMLResponse, summary="Home page (JSON twin: /api)")
    def home(request: Request, service: ServiceDep) -> HTMLResponse:
        return _render(request, "home.html", counts=catalog.overview(service), json_url="/api")

    @router.get("/api", summary="What the graph holds: entities per kind (the home page's JSON twin)")
    def home_json(service: ServiceDep) -> dict[str, int]:
        return catalog.overview(service)

    @router.get("/id/{slug}/{ident}", summary="Linked Data: the entity as HTML, RDF or JSON by Accept or format=",
                response_class=Response)
    def resolve(request: Request, service: ServiceDep, slug: Annotated[str, _SLUG],
                ident: Annotated[str, _SLUG]) -> Response:
        wanted = _wants(request)
        if wanted in _RDF.values():
            media_type, body = catalog.entity_rdf(service, slug, ident, wanted)
            return Response(body, media_type=media_type, headers={"Vary": "Accept"})
        entity = catalog.get_entity(service, slug, ident)
        if wanted == "json":
            return JSONResponse(jsonable_encoder(entity), headers={"Vary": "Accept"})
        return _page(request, entity, json_url=f"/id/{slug}/{ident}?format=json")

    for _spec in catalog.KINDS.values():
        router.add_api_route(f"/{_spec.plural}/{{id}}", _page_endpoint(_spec), methods=["GET"],
                             response_class=HTMLResponse,
                             summary=f"Page of one of the {_spec.title} (JSON twin: /api/{_spec.plural}/{{id}})")

    return router

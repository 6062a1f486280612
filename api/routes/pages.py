"""HTML pages and Linked Data: every minted IRI ``/id/{kind}/{id}`` resolves; pages have JSON twins.

A page and its JSON twin are built by the same ``kg.reading.entities`` function.
Browsers get HTML, RDF clients get RDF (``Accept`` or ``format=``), JSON clients get the entity as JSON.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.encoders import jsonable_encoder

from kg.reading import entities as catalog
from kg.reading import analyses as lookup
from kg.reading.citations import cite_graph, cite_sources, sources_cited_by
from kg.reading.search import SearchHit, search
from kg.model.formats import formats_holding, media_types
from kg.model.records import EntityDetail

from api.deps import ServiceDep
from api.errors import NotAcceptable
from api.negotiation import negotiate
from api.twins import Twin, add_twins, render

_SLUG = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200)
_ID = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, description="the entity's id (ASCII kebab-case)",
           examples=["national-pilot-implementation-plan-industry-education-integration-2019"])


#: media type -> representation of an entity: its page, its JSON, or its RDF in every graph syntax (and the
#: other names of those syntaxes, as text/n3 for Turtle); the page first, as a browser's */* gets it
_OFFERS = {"text/html": "html", "application/json": "json",
           **{media: name for media, name in media_types("graph").items() if media != "application/json"}}
_RDF_FORMATS = {fmt.name: fmt for fmt in formats_holding("graph")}


def _wants(request: Request) -> str:
    """The representation asked for by ``format=`` (a name), else by ``Accept`` (RFC 9110 q-values).

    Raises
    ------
    api.errors.NotAcceptable
        For a ``format`` or an ``Accept`` that no representation fits (406).
    """
    fmt = request.query_params.get("format")
    if fmt:
        if fmt in ("html", "json") or fmt in _RDF_FORMATS:
            return fmt
        raise NotAcceptable(f"format={fmt} is not a representation of an entity; one of: html, json, "
                            f"{', '.join(_RDF_FORMATS)}")
    chosen = negotiate(request.headers.get("accept"), list(_OFFERS))
    if chosen is None:
        raise NotAcceptable("none of the Accept media types is a representation of an entity; try one of: "
                            f"{', '.join(_OFFERS)}")
    return _OFFERS[chosen]


def _iri_path(entity: EntityDetail, base: str) -> str:
    """Where the entity's IRI resolves on this server: ``/id/<slug>/<id>``."""
    return "/" + entity.iri.removeprefix(base)


def _rdf_alternates(path: str) -> list[dict[str, str]]:
    """The entity's RDF representations (``path`` is its ``/id/...`` path), as the page's ``<link>``s list them."""
    return [{"href": f"{path}?format={name}", "type": fmt.media_type, "title": name} for name, fmt in _RDF_FORMATS.items()]


def _link_header(path: str) -> str:
    """The ``Link`` header value naming every representation of the entity at ``path``: its JSON and its RDF."""
    alternates = [{"href": f"{path}?format=json", "type": "application/json"}, *_rdf_alternates(path)]
    return ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"' for a in alternates)


def _entity_context(request: Request, entity: EntityDetail) -> dict[str, object]:
    """What an entity's page shows beside the entity: a region's siblings, the SPARQL of its evidence."""
    service = request.app.state.service
    comparison = gaps = None
    siblings: tuple = ()
    kind = catalog.kind_of_iri(entity.iri, service.settings.base_iri)
    if kind and kind[0] == "region":
        comparison = lookup.sibling_comparison(service, entity.id)
        gaps = lookup.region_gaps(service, entity.id)
        siblings = lookup.region_siblings(service, entity.id)
    return {"comparison": comparison, "gaps": gaps, "siblings": siblings, "sparql": catalog.evidence_query(entity.iri),
            "alternates": _rdf_alternates(_iri_path(entity, service.settings.base_iri)),
            "citations": cite_sources(service, sources_cited_by(entity, service.settings.base_iri)),
            "graph_citation": cite_graph(service, software_version=request.app.version)}


def _page(request: Request, entity: EntityDetail, *, json_url: str) -> HTMLResponse:
    base = request.app.state.service.settings.base_iri
    response = render(request, "entity.html", entity=entity, json_url=json_url, base_iri=base,
                      **_entity_context(request, entity))
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = _link_header(_iri_path(entity, base))
    return response


def _entity_twin(spec: catalog.KindSpec) -> Twin:
    def read(service: ServiceDep, id: Annotated[str, _ID]) -> EntityDetail:  # noqa: A002
        return catalog.get_entity(service, spec.slug, id)
    return Twin(f"/{spec.plural}/{{id}}", f"/api/{spec.plural}/{{id}}", read, "entity.html",
                f"One of the {spec.title}: every link and value with its evidence", response_model=EntityDetail,
                context=_entity_context, name=spec.slug, variable="entity")


def _overview(service: ServiceDep) -> dict[str, int]:
    return catalog.overview(service)


KindName = Literal[("", *catalog.KINDS)]  # type: ignore[valid-type]  # the plurals; "" (a form's "every kind"): all


def _search(service: ServiceDep,
            q: Annotated[str | None, Query(max_length=200, examples=["pilot city"],
                                           description="words in any English, Chinese or alternative name")] = None,
            kind: Annotated[KindName | None, Query(description="only entities of this kind (its plural)")] = None,
            limit: Annotated[int, Query(ge=1, le=100, description="most results")] = 20) -> list[SearchHit]:
    return list(search(service, q or "", limit=limit, kind=kind or None))


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["pages"])

    add_twins(router, Twin("/", "/api", _overview, "home.html", "What the graph holds: entities per kind",
                           response_model=dict[str, int], name="home", variable="counts"))
    add_twins(router, Twin("/search", "/api/search", _search, "search.html",
                           "Entities with a name matching q, best match first (exact, prefix, words, substring)",
                           response_model=list[SearchHit], name="search", variable="hits"))

    @router.get("/id/{slug}/{ident}", summary="Linked Data: the entity as HTML, RDF or JSON by Accept or format=",
                response_class=Response)
    def resolve(request: Request, service: ServiceDep, slug: Annotated[str, _SLUG],
                ident: Annotated[str, _SLUG]) -> Response:
        wanted = _wants(request)
        path = f"/id/{slug}/{ident}"
        headers = {"Vary": "Accept", "Link": _link_header(path)}
        if wanted in _RDF_FORMATS:
            media_type, body = catalog.entity_rdf(service, slug, ident, wanted)
            if wanted == "jsonld":  # pyld's document loader fails on a Link header with several alternates
                headers.pop("Link")
            return Response(body, media_type=media_type,
                            headers={**headers, "Content-Location": f"{path}?format={wanted}"})
        entity = catalog.get_entity(service, slug, ident)
        if wanted == "json":
            return JSONResponse(jsonable_encoder(entity), headers={**headers, "Content-Location": f"{path}?format=json"})
        return _page(request, entity, json_url=f"{path}?format=json")

    for spec in catalog.KINDS.values():
        add_twins(router, _entity_twin(spec))
        if spec.slug != spec.plural:  # /region/x, as the IRI spells it, is /regions/x
            router.add_api_route(f"/{spec.slug}/{{ident}}", _to_plural(spec.plural), methods=["GET"],
                                 include_in_schema=False, response_class=RedirectResponse)

    return router


def _to_plural(plural: str):
    def redirect(request: Request, ident: Annotated[str, _SLUG]) -> RedirectResponse:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/{plural}/{ident}{query}", status_code=301)
    return redirect

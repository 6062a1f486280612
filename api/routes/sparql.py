"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: query via GET, URL-encoded POST or direct POST.

Without a query, GET returns the service description. Updates are refused.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request, Response

from kg.errors import QueryRejected
from kg.sparql.examples import list_examples
from kg.model.formats import formats_holding
from kg.model.prefixes import PREDECLARED_PREFIXES
from kg.reading.dataset import describe_service

from api.deps import ServiceDep, read_body
from api.routes.downloads import void_url
from api.errors import BadRequest, UnsupportedMediaType
from api.negotiation import GRAPH_MEDIA, choose_format, negotiate

_DATASET_PARAMETERS = [
    {"name": "default-graph-uri", "in": "query", "required": False, "schema": {"type": "array", "items": {
        "type": "string"}}, "description": "a graph of the store to use as the default graph (repeatable)"},
    {"name": "named-graph-uri", "in": "query", "required": False, "schema": {"type": "array", "items": {
        "type": "string"}}, "description": "a graph of the store to use as a named graph (repeatable)"},
    {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": [
        "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"]},
     "description": "result format; overrides Accept"},
]


_RESULT_CONTENT = {media: {"schema": {} if media.endswith("json") else {"type": "string"}} for media in (
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")}


_GET_OPENAPI = {
    "parameters": [{"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                    "description": "the SPARQL query; without it, the service description is returned",
                    "example": "ASK { ?s ?p ?o }"}] + _DATASET_PARAMETERS,
    "responses": {"200": {"description": "the result, or the service description", "content": _RESULT_CONTENT}},
}


_POST_OPENAPI = {
    "parameters": _DATASET_PARAMETERS,
    "requestBody": {"required": True, "content": {
        "application/sparql-query": {"schema": {"type": "string"}, "example": "ASK { ?s ?p ?o }"},
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"], "properties": {
            "query": {"type": "string", "example": "ASK { ?s ?p ?o }"}}}}}},
    "responses": {"200": {"description": "the result", "content": _RESULT_CONTENT}},
}


_GRAPH_FORMATS = {fmt.name: (fmt.rdflib, fmt.media_type) for fmt in formats_holding("graph")}


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"more than one {name} parameter")
    return values[0] if values else None


#: the id rdflib gives a dataset's default graph, which its SPARQLStore sends as a default-graph-uri: the
#: endpoint's own default graph (the union), as Fuseki reads urn:x-arq:DefaultGraph
_RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"


def _format_parameter(params: dict[str, list[str]]) -> str | None:
    """The ``format`` (else ``output``) parameter's first value, as Fuseki reads them: SPARQLWrapper sends both,
    and repeats them."""
    values = [v for v in params.get("format", []) + params.get("output", []) if v.strip()]
    return values[0] if values else None


def _answer(service, request: Request, params: dict[str, list[str]], query: str | None) -> Response:  # noqa: ANN001
    if params.get("update"):
        raise QueryRejected("updates are not supported: this endpoint is read-only")
    if query is None:
        return _service_description(request, params)
    # an empty value is no graph; rdflib's Dataset over SPARQLStore names the default graph by its own id
    default_graphs = [iri for iri in params.get("default-graph-uri", []) if iri and iri != _RDFLIB_DEFAULT_GRAPH]
    named_graphs = [iri for iri in params.get("named-graph-uri", []) if iri]
    endpoint = str(request.url.replace(query=""))
    screened = service.screen(query, default_graph_uris=default_graphs, named_graph_uris=named_graphs,
                              base_iri=endpoint)
    kind = "results" if screened.form in ("SELECT", "ASK") else "graph"
    fmt = choose_format(request.headers.get("accept"), _format_parameter(params), kind)
    answer = service.execute(screened, fmt, default_graph_uris=default_graphs, named_graph_uris=named_graphs)
    headers = {"Vary": "Accept"} if answer.deterministic else {"Vary": "Accept", "Cache-Control": "no-store"}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _prefers_html(request: Request, params: dict[str, list[str]]) -> bool:
    """Whether the client ranks the editor page above the service description's RDF (``*/*`` alone: RDF)."""
    if _format_parameter(params):
        return False
    return negotiate(request.headers.get("accept"), [*GRAPH_MEDIA, "text/html"]) == "text/html"


def _service_description(request: Request, params: dict[str, list[str]]) -> Response:
    if _prefers_html(request, params):
        examples = [example.__dict__ for example in list_examples()]
        response = request.app.state.templates.TemplateResponse(
            request, "sparql.html", {"examples": examples, "json_url": None, "prefixes": PREDECLARED_PREFIXES,
                                     "base_iri": request.app.state.service.settings.base_iri})
        response.headers["Vary"] = "Accept"
        return response
    fmt = choose_format(request.headers.get("accept"), _format_parameter(params), "graph")
    rdflib_format, media_type = _GRAPH_FORMATS[fmt]
    endpoint = str(request.url.replace(query=""))
    body = describe_service(request.app.state.service, endpoint, void_url=void_url(request)).serialize(
        format=rdflib_format, encoding="utf-8")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["sparql"])

    @router.get("/sparql", summary="SPARQL query via GET; without a query, the service description",
                response_class=Response, openapi_extra=_GET_OPENAPI)
    @router.get("/sparql/", include_in_schema=False)  # served, not redirected: urllib POST clients follow no 307
    def sparql_get(request: Request, service: ServiceDep) -> Response:
        params = parse_qs(request.url.query, keep_blank_values=True)
        return _answer(service, request, params, _one(params.get("query", []), "query"))

    @router.post("/sparql", summary="SPARQL query via URL-encoded POST or direct POST (application/sparql-query)",
                 response_class=Response, openapi_extra=_POST_OPENAPI)
    @router.post("/sparql/", include_in_schema=False)
    def sparql_post(request: Request, service: ServiceDep, body: Annotated[bytes, Depends(read_body)]) -> Response:
        content_type = request.headers.get("content-type", "")
        media, _, parameters = content_type.partition(";")
        media = media.strip().lower()
        charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in parameters.split(";")
                        if p.strip().lower().startswith("charset=")), "utf-8")
        params = parse_qs(request.url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            raise QueryRejected("updates are not supported: this endpoint is read-only")
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise UnsupportedMediaType("POST a query as application/x-www-form-urlencoded (query=...) "
                                     "or as application/sparql-query")
        if charset not in ("utf-8", "utf8"):
            raise BadRequest(f"the request body must be UTF-8, not {charset}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the request body is not valid UTF-8") from None
        if media == "application/sparql-query":
            if "query" in params:
                raise BadRequest("a direct POST carries the query in the body, not as a parameter")
            return _answer(service, request, params, text)
        form = parse_qs(text, keep_blank_values=True)
        for name, values in form.items():
            params.setdefault(name, []).extend(values)
        query = _one(params.get("query", []), "query")
        if query is None and not params.get("update"):
            raise BadRequest("missing the query parameter")
        return _answer(service, request, params, query)

    return router

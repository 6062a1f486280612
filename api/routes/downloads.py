"""``/downloads`` (the graph as files, with sizes and checksums; JSON twin ``/api/downloads``), each file at
``/downloads/{name}``, the VoID description of the dataset at ``/void`` (and ``/.well-known/void``), and what
the graph IRIs resolve to: ``/graph/{name}`` each named graph, ``/ontology`` (every ``seikg:`` term) the ontology."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, Response

from kg.model.formats import formats_holding
from kg.reading.dataset import describe_dataset, graph_rdf
from kg.reading.downloads import Downloads, download_file, dump_names, list_downloads

from api.deps import ServiceDep
from api.negotiation import choose_format
from api.twins import Twin, add_twins

__all__ = ["build_router", "void_url"]

_NAME = Path(pattern=r"^[a-z0-9-]+\.[a-z]+$", max_length=100, examples=["seikg.nq"],
             description="a file named on /downloads")
_GRAPH_FORMATS = {fmt.name: fmt for fmt in formats_holding("graph")}
_GRAPH = Path(pattern=r"^[a-z]+$", max_length=40, examples=["data"], description="the graph's name: data, ontology, analysis")


def void_url(request: Request) -> str:
    """The URL of the VoID description on this server."""
    return str(request.base_url).rstrip("/") + "/void"


def _read(service: ServiceDep) -> Downloads:
    return list_downloads(service)


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["downloads"])
    add_twins(router, Twin("/downloads", "/api/downloads", _read, "downloads.html",
                           "The whole graph (N-Quads, TriG, Turtle, JSON-LD) and each kind (CSV, JSON), with sizes, "
                           "SHA-256 checksums, the graph version and the licence", response_model=Downloads,
                           name="downloads", variable="downloads"))

    @router.get("/downloads/{name}", summary="One file of /downloads (its ETag is its SHA-256)",
                response_class=FileResponse)
    def download(request: Request, service: ServiceDep, name: Annotated[str, _NAME]) -> Response:
        path, found = download_file(service, name)
        etag = f'"{found.sha256}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return FileResponse(path, media_type=found.media_type, filename=name,
                            headers={"ETag": etag, "Cache-Control": "public, max-age=3600"})

    @router.get("/void", summary="The VoID description of the dataset (RDF, by Accept or format=)",
                response_class=Response)
    @router.get("/.well-known/void", include_in_schema=False)
    def void(request: Request, service: ServiceDep) -> Response:
        fmt = choose_format(request.headers.get("accept"), request.query_params.get("format"), "graph")
        base = str(request.base_url).rstrip("/")
        graph = describe_dataset(service, void_url=void_url(request), endpoint=f"{base}/sparql",
                                 dumps=[f"{base}/downloads/{name}" for name in dump_names()],
                                 version=str(service.status()["store"]["version"]))
        spec = _GRAPH_FORMATS[fmt]
        return Response(graph.serialize(format=spec.rdflib, encoding="utf-8"), media_type=spec.media_type,
                        headers={"Vary": "Accept"})

    @router.get("/graph/{name}", summary="A named graph of the store, as its IRI resolves (RDF, by Accept or format=)",
                response_class=Response)
    def named_graph(request: Request, service: ServiceDep, name: Annotated[str, _GRAPH]) -> Response:
        return _graph(request, service, name)

    @router.get("/ontology", summary="The ontology, as every seikg: term resolves (RDF, by Accept or format=)",
                response_class=Response)
    def ontology(request: Request, service: ServiceDep) -> Response:
        return _graph(request, service, "ontology")

    return router


def _graph(request: Request, service: ServiceDep, name: str) -> Response:
    fmt = choose_format(request.headers.get("accept"), request.query_params.get("format"), "graph")
    media_type, body = graph_rdf(service, name, fmt)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})

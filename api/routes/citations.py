"""Citations: a source's, or the graph's with its version, in GB/T 7714-2015, APA, BibTeX, RIS and CSL-JSON.

``/api/sources/{id}/cite`` and ``/api/cite`` answer every format as JSON, or one format (``format=bibtex``)
in its own media type, as reference managers import it. The formats are ``kg.reading.citations``'s registry.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from kg.reading.citations import CITATION_FORMATS, Citation, cite_graph, cite_sources

from api.deps import ServiceDep

_ID = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, examples=["fu-huang-sun-2025"])


Format = Annotated[Literal[tuple(CITATION_FORMATS)] | None,  # type: ignore[valid-type]
                   Query(alias="format", description="one format, in its own media type (default: all, as JSON)")]


def _answer(citation: Citation, fmt: str | None) -> Citation | Response:
    if fmt is None:
        return citation
    suffix = {"bibtex": "bib", "ris": "ris", "csl-json": "json"}.get(fmt, "txt")
    return Response(citation.texts[fmt], media_type=f"{CITATION_FORMATS[fmt].media_type}; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{citation.id}.{suffix}"'})


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(prefix="/api", tags=["citations"])

    @router.get("/sources/{id}/cite", summary="A source cited in GB/T 7714-2015, APA, BibTeX, RIS and CSL-JSON",
                response_model=Citation, responses={200: {"content": {
                    fmt.media_type: {} for fmt in CITATION_FORMATS.values()}}})
    def cite_source(service: ServiceDep, id: Annotated[str, _ID], fmt: Format = None):  # noqa: A002, ANN201
        return _answer(cite_sources(service, [id])[0], fmt)

    @router.get("/cite", summary="The graph itself cited as a dataset, with the version being served",
                response_model=Citation, responses={200: {"content": {
                    fmt.media_type: {} for fmt in CITATION_FORMATS.values()}}})
    def cite_this_graph(request: Request, service: ServiceDep, fmt: Format = None):  # noqa: ANN201
        return _answer(cite_graph(service, software_version=request.app.version), fmt)

    return router

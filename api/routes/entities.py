"""The JSON API over entities: ``/api/{kind}`` lists with filters, ``/api/{kind}/{id}`` details (search is a page and its twin, in ``api.routes.pages``).

Every item carries its evidence (source, section, anchor). The list routes are
built from the kinds registry (``kg.model.kinds.KINDS``), one per kind, with each filter a documented
query parameter.
"""
from __future__ import annotations

import inspect
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from kg.reading import entities as catalog
from kg.model.records import Page

from kg.analyses.tables import tables_to_csv

from api.deps import ServiceDep
from api.twins import Twin, add_twins

_ID = Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, description="the entity's id (ASCII kebab-case)",
           examples=["national-pilot-implementation-plan-industry-education-integration-2019"])


_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


_EXAMPLE_IDS = {spec.slug: spec.example_id for spec in catalog.KINDS.values()}


def _list_endpoint(spec: catalog.KindSpec):  # noqa: ANN202 - FastAPI reads the built signature
    def endpoint(service, **params):  # noqa: ANN001, ANN003, ANN202
        filters = {name: params[name] for name in spec.filter_map if params.get(name)}
        return catalog.list_entities(service, spec.plural, q=params.get("q"), filters=filters,
                                     date_from=params.get("from_"), date_to=params.get("to"),
                                     type_name=params.get("type"), sort=params["sort"],
                                     page=params["page"], per_page=params["per_page"])

    kw = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter("service", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=ServiceDep),
        inspect.Parameter("q", kw, default=None, annotation=Annotated[
            str | None, Query(max_length=200, examples=["pilot"], description="text in any English or Chinese label")]),
    ]
    for name, (predicate, target, direction) in spec.filter_map.items():
        verb = "linked from" if direction == "in" else "linked to"
        parameters.append(inspect.Parameter(name, kw, default=None, annotation=Annotated[
            str | None, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200, examples=[_EXAMPLE_IDS[target]],
                              description=f"id of a {target} {verb} through {predicate.rsplit('#', 1)[-1]}"
                                          " (or of anything above it in its hierarchy)")]))
    if spec.dated:
        parameters += [
            inspect.Parameter("from_", kw, default=None, annotation=Annotated[
                str | None, Query(alias="from", pattern=_DATE, examples=["2019"],
                                  description="issued on or after (YYYY[-MM[-DD]])")]),
            inspect.Parameter("to", kw, default=None, annotation=Annotated[
                str | None, Query(pattern=_DATE, examples=["2024-10"], description="issued on or before (YYYY[-MM[-DD]])")]),
        ]
    parameters += [
        inspect.Parameter("type", kw, default=None, annotation=Annotated[
            str | None, Query(pattern=r"^[A-Za-z]+$", description="most specific class, e.g. Notice, University")]),
        inspect.Parameter("sort", kw, default="label", annotation=Annotated[
            Literal["label", "date", "-date"], Query(description="order of the items")]),
        inspect.Parameter("page", kw, default=1, annotation=Annotated[int, Query(ge=1, le=100_000)]),
        inspect.Parameter("per_page", kw, default=50, annotation=Annotated[int, Query(ge=1, le=200)]),
    ]
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Page)  # type: ignore[attr-defined]
    endpoint.__name__ = f"list_{spec.plural}"
    return endpoint


def _list_context(spec: catalog.KindSpec):  # noqa: ANN202
    def context(request: Request, page: Page) -> dict[str, object]:
        return {"kind": spec, "csv_url": f"/api/{spec.plural}.csv" + (f"?{request.url.query}" if request.url.query else "")}
    return context


def _csv_endpoint(spec: catalog.KindSpec, read):  # noqa: ANN001, ANN202
    def csv_list(page: Page = Depends(read)) -> Response:  # noqa: B008 - FastAPI's idiom
        return Response(tables_to_csv([catalog.list_table(spec, page)], titled=False),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{spec.plural}.csv"'})
    return csv_list


__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["entities"])
    for spec in catalog.KINDS.values():
        read = _list_endpoint(spec)
        add_twins(router, Twin(f"/{spec.plural}", f"/api/{spec.plural}", read, "browse.html",
                               f"List {spec.title}, filtered, faceted, sorted and paged, each with its evidence",
                               response_model=Page, context=_list_context(spec), name=f"{spec.plural}-list",
                               variable="page"))
        router.add_api_route(f"/api/{spec.plural}.csv", _csv_endpoint(spec, read), methods=["GET"],
                             response_class=Response, responses={200: {"content": {"text/csv": {}}}},
                             summary=f"The same list of {spec.title} as CSV (this page of it, with the same filters)")
    return router

"""The views of the served graph, by name and id: what the API's view routes call.

Each function reads the projections and scores that the query service computed when it loaded the
graph (``service.analyses()``); none recomputes an analysis.
"""
from __future__ import annotations

import re

from kg.errors import NotFoundError
from kg.service import QueryService

from .views import DEFAULT_CAP, Filters, View, build_bipartite, build_ego, build_overview, build_region_gaps

__all__ = ["bipartite_view", "ego_view", "make_filters", "overview_view", "region_gaps_view"]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _iri(service: QueryService, slug: str, ident: str, parameter: str) -> str:
    if not _ID.match(ident):
        raise NotFoundError(f"{parameter}: {ident!r} is not an id (ASCII kebab-case)")
    return f"{service.settings.base_iri}id/{slug}/{ident}"


def make_filters(service: QueryService, *, kinds: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, issuer: str | None = None, source: str | None = None) -> Filters:
    """Filters from the query parameters: ``kinds`` comma-separated, ``issuer`` and ``source`` as ids.

    Raises
    ------
    kg.errors.NotFoundError
        If an id is malformed.
    """
    return Filters(tuple(k.strip() for k in (kinds or "").split(",") if k.strip()), date_from or None,
                   date_to or None, _iri(service, "actor", issuer, "issuer") if issuer else None,
                   _iri(service, "source", source, "source") if source else None)


def overview_view(service: QueryService, filters: Filters, *, cap: int = DEFAULT_CAP) -> View:
    """The overview, filtered and capped.

    Raises
    ------
    kg.errors.NotFoundError
        If a filter names an unknown kind.
    kg.errors.StoreUnavailable
        If the graph is still loading or the store is remote.
    """
    suite = service.analyses()
    return build_overview(suite.projections, service.settings.base_iri, scores=suite.pagerank, filters=filters,
                          cap=cap)


def ego_view(service: QueryService, slug: str, ident: str, *, depth: int = 1, filters: Filters = Filters(),
             cap: int = DEFAULT_CAP) -> View:
    """The ego network of the entity ``slug/ident``.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no such entity or the depth is not 1-3.
    kg.errors.StoreUnavailable
        If the graph is still loading or the store is remote.
    """
    suite = service.analyses()
    return build_ego(suite.projections, _iri(service, slug, ident, "id"), service.settings.base_iri, depth=depth,
                     scores=suite.pagerank, filters=filters, cap=cap)


def region_gaps_view(service: QueryService, ident: str, *, cap: int = DEFAULT_CAP) -> View:
    """The gap view of the region ``ident``.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no such region.
    kg.errors.StoreUnavailable
        If the graph is still loading or the store is remote.
    """
    suite = service.analyses()
    gaps = suite.gaps(_iri(service, "region", ident, "id"))
    return build_region_gaps(suite.projections, gaps, service.settings.base_iri, cap=cap)


def bipartite_view(service: QueryService, *, cap: int = DEFAULT_CAP) -> View:
    """The mechanism-problem view.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the graph is still loading or the store is remote.
    """
    suite = service.analyses()
    return build_bipartite(suite.projections, service.settings.base_iri, cap=cap)

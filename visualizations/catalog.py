"""The views of the served graph, by name and id: what the API's view routes call.

Each function reads the projections and scores that the query service computed when it loaded the
graph (``service.analyses()``); none recomputes an analysis.
"""
from __future__ import annotations

import json
from dataclasses import replace

from kg.reading import analyses as lookup
from kg.reading.entities import entity_iri
from kg.errors import InvalidArgument, QueryRejected
from kg.model.kinds import KINDS, view_kinds
from kg.projection import parse_ntriples
from kg.runtime import QueryService

from visualizations.views import (DEFAULT_CAP, EXPANSION_CAP, Filters, View, build_bipartite, build_communities, build_ego,
                    build_expansion, build_overview, build_query_view, build_region_gaps)

__all__ = ["bipartite_view", "communities_view", "ego_view", "expansion_view", "make_filters", "overview_view",
           "query_view", "region_gaps_view"]

def _iri(service: QueryService, slug: str, ident: str, parameter: str) -> str:
    return entity_iri(service.settings.base_iri, slug, ident, parameter)


def make_filters(service: QueryService, *, kinds: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, issuer: str | None = None, source: str | None = None) -> Filters:
    """Filters from the query parameters: ``kinds`` comma-separated, ``issuer`` and ``source`` as ids.

    Raises
    ------
    kg.errors.InvalidArgument
        If an id is malformed.
    """
    return Filters(tuple(k.strip() for k in (kinds or "").split(",") if k.strip()), date_from or None,
                   date_to or None, _iri(service, "actor", issuer, "issuer") if issuer else None,
                   _iri(service, "source", source, "source") if source else None)


def overview_view(service: QueryService, filters: Filters, *, cap: int = DEFAULT_CAP, size: str = "pagerank") -> View:
    """The overview, filtered and capped; nodes sized (and the cap chosen) by the centrality ``size``.

    Raises
    ------
    kg.errors.InvalidArgument
        If a filter names an unknown kind.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    if size not in suite.entity_scores:
        raise InvalidArgument(f"size: {size!r} is not one of {', '.join(sorted(suite.entity_scores))}")
    scores = suite.entity_scores[size]
    view = build_overview(suite.projections, service.settings.base_iri, scores=scores, filters=filters, cap=cap)
    return replace(view, state={**view.state, "size": size})


def _view_slug(slug: str) -> str:
    """The kind's slug, given its slug or its plural (``sources``, as page and API paths write it)."""
    kind = KINDS.get(slug)
    slug = kind.slug if kind is not None else slug
    if slug not in view_kinds():
        raise InvalidArgument(f"slug: {slug!r} is not a kind drawn in views; one of: {', '.join(view_kinds())}")
    return slug


def ego_view(service: QueryService, slug: str, ident: str, *, depth: int = 1, filters: Filters = Filters(),
             cap: int = DEFAULT_CAP) -> View:
    """The ego network of the entity ``slug/ident``.

    Raises
    ------
    kg.errors.InvalidArgument
        If the depth is not 1-3, or ``slug`` is not a kind drawn in views (its slug or plural).
    kg.errors.NotFoundError
        If there is no such entity.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    slug = _view_slug(slug)
    return build_ego(suite.projections, _iri(service, slug, ident, "id"), service.settings.base_iri, depth=depth,
                     scores=suite.pagerank, filters=filters, cap=cap)


def expansion_view(service: QueryService, slug: str, ident: str, *, predicate: str | None = None,
                   cap: int = EXPANSION_CAP) -> View:
    """One step of expanding the hub ``slug/ident``: its links per predicate, or its neighbours over one.

    Raises
    ------
    kg.errors.InvalidArgument
        If it has no link over ``predicate``, or ``slug`` is not a kind drawn in views.
    kg.errors.NotFoundError
        If there is no such entity.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    slug = _view_slug(slug)
    return build_expansion(suite.projections, _iri(service, slug, ident, "id"), service.settings.base_iri,
                           predicate=predicate, scores=suite.pagerank, cap=cap)


def region_gaps_view(service: QueryService, ident: str, *, cap: int = DEFAULT_CAP) -> View:
    """The gap view of the region ``ident``.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no such region.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    gaps = lookup.region_gaps(service, ident)
    return build_region_gaps(service.analyses().projections, gaps, service.settings.base_iri, cap=cap)


def bipartite_view(service: QueryService, *, cap: int = DEFAULT_CAP) -> View:
    """The mechanism-problem view.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    return build_bipartite(suite.projections, service.settings.base_iri, cap=cap)


def query_view(service: QueryService, text: str, *, cap: int = DEFAULT_CAP) -> View:
    """The view of a user's CONSTRUCT, DESCRIBE or SELECT query, run through the same screen and limits as
    ``/sparql`` (so a view can never do what the endpoint refuses).

    Raises
    ------
    kg.errors.QueryRejected
        If the query is an ASK (nothing to draw) or the screen refuses it.
    kg.errors.QueryError, kg.errors.Overloaded, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    screened = service.screen(text)
    projections = service.analyses().projections
    base = service.settings.base_iri
    if screened.form in ("CONSTRUCT", "DESCRIBE"):
        answer = service.execute(screened, "ntriples")
        return build_query_view(projections, base, triples=parse_ntriples(answer.body), cap=cap)
    if screened.form != "SELECT":
        raise QueryRejected(f"query: a {screened.form} query has nothing to draw; use CONSTRUCT or SELECT")
    rows = json.loads(service.execute(screened, "json").body)["results"]["bindings"]
    return build_query_view(projections, base, rows=[{k: v["value"] for k, v in row.items() if v["type"] == "uri"}
                                                     for row in rows], cap=cap)


def communities_view(service: QueryService, projection: str, *, cap: int = DEFAULT_CAP) -> View:
    """The Louvain communities of ``projection``, coloured by community.

    Raises
    ------
    kg.errors.InvalidArgument
        If communities are not computed for ``projection``.
    kg.errors.StoreUnavailable
        If the graph is still loading, or a remote store could not be read for analysis.
    """
    suite = service.analyses()
    result = suite.communities_of(projection)
    return build_communities(suite.projections, result, suite.membership[projection], service.settings.base_iri,
                             scores=suite.pagerank, cap=cap)

"""Facets of a list: for each filter of a kind, how many of the listed entities link to each value.

Datasette counts a table's facets over the rows its filters kept; so do these. As the filters do, a value
counts the entities linked to it or, for an outgoing link, to anything below it in its hierarchy (an actor
located in Tangshan counts under Hebei and under China too), so a value's count is what choosing it keeps. Dated kinds have a ``year`` facet first, then
every kind a ``type`` facet (the most specific class), then one facet per filter.
"""
from __future__ import annotations

from collections import Counter

from kg.model.iris import kind_of_iri
from kg.model.kinds import KindDef
from kg.model.records import EntitySummary, Facet, FacetValue
from kg.runtime import QueryService

__all__ = ["FacetLinks", "count_facets", "read_facet_links", "read_descendants"]

#: facet name -> entity IRI -> {value IRI: (English label, Chinese label or None)}
FacetLinks = dict[str, dict[str, dict[str, tuple[str, str | None]]]]


def read_facet_links(service: QueryService, kind: KindDef) -> tuple[FacetLinks, FacetLinks]:
    """The links of every entity of ``kind`` through each of its filters' predicates: what the filters match
    (an outgoing link's target and everything above it in its hierarchy), and the direct links alone. Read
    once per graph version (:meth:`kg.runtime.QueryService.remember`).

    Raises
    ------
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    if not kind.filters:
        return {}, {}
    return service.remember(f"facet-links:{kind.plural}", lambda: _read_links(service, kind))


def _read_links(service: QueryService, kind: KindDef) -> tuple[FacetLinks, FacetLinks]:
    counted: FacetLinks = {f.name: {} for f in kind.filters}
    direct: FacetLinks = {f.name: {} for f in kind.filters}
    parents = _parents(service) if any(f.direction == "out" for f in kind.filters) else {}
    for query, direction in (("facet_links", "out"), ("facet_links_in", "in")):
        filters = [f for f in kind.filters if f.direction == direction]
        if not filters:
            continue
        rows = service.select(query, [{"class": ("iri", kind.rdf_class), "p": ("iri", f.predicate),
                                       "facet": ("literal", f.name)} for f in filters])
        for row in rows:
            facet, entity, value = row["facet"]["value"], row["entity"]["value"], row["value"]["value"]
            label = (row.get("valueLabel", {}).get("value", value.rsplit("/", 1)[-1]),
                     row.get("valueLabelZh", {}).get("value"))
            direct[facet].setdefault(entity, {})[value] = label
            counted[facet].setdefault(entity, {})[value] = label
            if direction == "out":  # as the filters do: anything above the value matches too
                counted[facet][entity].update(_ancestors(value, parents))
    return counted, direct


def read_descendants(service: QueryService, iri: str) -> tuple[str, ...]:
    """``iri`` and everything below it in the hierarchies (hierarchy.rq: partOfRegion, skos:broader,
    org:subOrganizationOf), sorted: what the path ``(…)* <iri>`` matches, computed from the hierarchy read
    once per graph version, so that a list filtered by a link joins from these values rather than walk the
    path for every entity (Oxigraph joins a path's output by hashing the whole other side).

    Raises
    ------
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    children = service.remember("hierarchy-children", lambda: _children(_parents(service)))
    return tuple(sorted({iri, *_ancestors(iri, children)}))  # the same walk as up the hierarchy, downwards


def _children(parents: dict[str, dict[str, tuple[str, str | None]]]) -> dict[str, dict[str, tuple[str, str | None]]]:
    """The hierarchy turned over: each entity's direct children (the labels are the parents' and unused)."""
    below: dict[str, dict[str, tuple[str, str | None]]] = {}
    for child, above in parents.items():
        for parent, label in above.items():
            below.setdefault(parent, {})[child] = label
    return below


def _parents(service: QueryService) -> dict[str, dict[str, tuple[str, str | None]]]:
    """Each entity's direct parents in the hierarchies, with their labels (read once per graph version)."""
    return service.remember("hierarchy-parents", lambda: _read_parents(service))


def _read_parents(service: QueryService) -> dict[str, dict[str, tuple[str, str | None]]]:
    parents: dict[str, dict[str, tuple[str, str | None]]] = {}
    for row in service.select("hierarchy"):
        parent = row["parent"]["value"]
        parents.setdefault(row["child"]["value"], {})[parent] = (
            row.get("parentLabel", {}).get("value", parent.rsplit("/", 1)[-1]), row.get("parentLabelZh", {}).get("value"))
    return parents


def _ancestors(iri: str, parents: dict[str, dict[str, tuple[str, str | None]]]) -> dict[str, tuple[str, str | None]]:
    """Everything above ``iri`` (a cycle stops the walk).

    >>> _ancestors("a", {"a": {"b": ("B", None)}, "b": {"c": ("C", "丙")}})
    {'b': ('B', None), 'c': ('C', '丙')}
    """
    found: dict[str, tuple[str, str | None]] = {}
    todo = [iri]
    while todo:
        for parent, label in parents.get(todo.pop(), {}).items():
            if parent not in found and parent != iri:
                found[parent] = label
                todo.append(parent)
    return found


def count_facets(kind: KindDef, items: list[EntitySummary], links: FacetLinks, base: str) -> tuple[Facet, ...]:
    """The facets of ``items`` (the entities a list kept, before paging), values by count then label.

    >>> from kg.model.kinds import KINDS
    >>> item = EntitySummary("a", "regions", "https://x/id/region/a", "A", type="Province")
    >>> links = {"parent": {item.iri: {"https://x/id/region/east": ("East", "东部")}}, "problem": {}}
    >>> [(f.name, [(v.value, v.count) for v in f.values]) for f in count_facets(KINDS["regions"], [item], links, "https://x/")]
    [('type', [('Province', 1)]), ('parent', [('east', 1)])]
    """
    facets = []
    if kind.dated:
        years = Counter(year for item in items for year in {d[:4] for d in item.dates})
        if years:
            facets.append(Facet("year", tuple(FacetValue(y, y, n) for y, n in sorted(years.items(), reverse=True))))
    types = Counter(item.type for item in items if item.type)
    if types:
        facets.append(Facet("type", tuple(FacetValue(t, t, n) for t, n in sorted(types.items(), key=_by_count))))
    kept = {item.iri for item in items}
    for name, by_entity in links.items():
        counts: Counter[str] = Counter()
        labels: dict[str, tuple[str, str | None]] = {}
        for entity, values in by_entity.items():
            if entity in kept:
                counts.update(values.keys())
                labels.update(values)
        if counts:
            facets.append(Facet(name, _values(counts, labels, base)))
    return tuple(facets)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _values(counts: Counter[str], labels: dict[str, tuple[str, str | None]], base: str) -> tuple[FacetValue, ...]:
    out = []
    for iri, count in counts.items():
        _, ident = kind_of_iri(iri, base) or ("", iri)
        out.append(FacetValue(ident, labels[iri][0], count, labels[iri][1]))
    return tuple(sorted(out, key=lambda v: (-v.count, v.label.lower())))

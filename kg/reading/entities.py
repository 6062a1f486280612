"""Entities for the JSON API and pages: lists with filters, details with evidence, search.

Every query here is a named ``.rq`` file run through the query service with
bound values. Sorting and paging happen on the filtered rows.
"""
from __future__ import annotations

import re
from dataclasses import astuple, replace
from typing import Any

from kg.errors import InvalidArgument, NotFoundError
from kg.model.kinds import KINDS, LINKS, KindDef, counted_classes, kind_by_slug
from kg.model.records import Description, EntityDetail, EntitySummary, Evidence, Link, Page, Value
from kg.sparql.queries import bind_values, load_query
from kg.analyses.tables import Table
from kg.reading.facets import FacetLinks, count_facets, read_descendants, read_facet_links
from kg.runtime import QueryService
from kg.model import iris
from kg.model.iris import entity_iri, kind_of_iri

__all__ = ["KINDS", "KindSpec", "entity_iri", "entity_rdf", "evidence_query", "get_entity", "kind_of_iri", "list_entities", "list_table",
           "overview", "VALUE_TITLES", "words"]

SEIKG = "https://w3id.org/seikg/ontology#"
_VALUE_NAMES = {"http://purl.org/dc/terms/issued": "issued", "http://purl.org/dc/terms/identifier": "identifiers",
                "http://purl.org/dc/terms/date": "dates", SEIKG + "issuerCount": "issuer_count",
                SEIKG + "seedFile": "seed_file", SEIKG + "doi": "doi", "http://purl.org/dc/terms/creator": "authors",
                "http://www.w3.org/2000/01/rdf-schema#seeAlso": "see_also"}


#: value field -> its heading on pages (a field not here is headed by its name)
VALUE_TITLES = {"issued": "Issued", "dates": "Dates", "issuer_count": "Number of issuers the source states",
                 "number": "Document number", "doi": "DOI", "authors": "Authors", "identifiers": "Identifiers",
                 "measure": "What is measured", "value": "Value", "bound": "Bound", "isTarget": "A target",
                 "referencePeriod": "Period", "approximate": "Approximate", "seed_file": "Seed file",
                 "curatedOutsideSeeds": "Curated from outside the seed papers", "altLabel": "Also called",
                 "bibliographicCitation": "Bibliographic citation"}
#: value fields that describe the record rather than the entity: pages fold them away, JSON keeps them
_RECORD_FIELDS = ("seed_file", "curatedOutsideSeeds", "approximate", "identifiers")


KindSpec = KindDef  # the API builds its routes from these


def _plural(slug: str) -> str:
    kind = kind_by_slug(slug)
    return kind.plural if kind is not None else slug


def list_entities(service: QueryService, kind: str, *, q: str | None = None, filters: dict[str, str] | None = None,
                  date_from: str | None = None, date_to: str | None = None, type_name: str | None = None,
                  sort: str = "label", page: int = 1, per_page: int = 50) -> Page:
    """One page of ``kind`` entities matching every given filter.

    ``filters`` maps a filter name of the kind (see :data:`kg.model.kinds.KINDS`) to an entity id; a
    link to that entity or to anything below it in its hierarchy matches.

    Raises
    ------
    kg.errors.InvalidArgument
        If ``kind`` or a filter name is unknown, or an id is malformed.
    """
    spec = KINDS.get(kind)
    if spec is None:
        raise InvalidArgument(f"no kind {kind!r}")
    base = service.settings.base_iri
    bindings: dict[str, tuple[str, str] | None] = {"class": ("iri", spec.rdf_class),
                                                   "q": ("literal", q) if q else None,
                                                   **{name: ("literal", variant) if q else None
                                                      for name, variant in zip(("q2", "q3"), _dash_variants(q or ""))}}
    outgoing = [(name, value) for name, value in (filters or {}).items() if spec.filter_map[name][2] == "out"]
    incoming = [(name, value) for name, value in (filters or {}).items() if spec.filter_map[name][2] == "in"]
    for index in (1, 2, 3):
        name, value = outgoing[index - 1] if index <= len(outgoing) else (None, None)
        predicate, target, _ = spec.filter_map[name] if name else ("", "", "")
        bindings[f"p{index}"] = ("iri", predicate) if name else None
        bindings[f"o{index}"] = ("iri", entity_iri(base, target, value, name)) if name else None
    for suffix, index in (("", 0), ("2", 1)):
        name, value = incoming[index] if index < len(incoming) else (None, None)
        bindings[f"pin{suffix}"] = ("iri", spec.filter_map[name][0]) if name else None
        bindings[f"oin{suffix}"] = ("iri", entity_iri(base, spec.filter_map[name][1], value, name)) if name else None
    bindings["from"] = ("literal", date_from) if date_from else None
    bindings["to"] = ("literal", date_to) if date_to else None
    if bindings["p1"]:  # joined from the first target and what is below it (kg.reading.facets.read_descendants)
        target = bindings["o1"][1]  # type: ignore[index]
        rows = service.select("entity_index_linked", [{**bindings, "x1": ("iri", iri)}
                                                      for iri in read_descendants(service, target)])
    else:
        rows = service.select("entity_index", bindings)
    items = _summaries(rows, base)
    if type_name:
        items = [item for item in items if item.type == type_name]
    key = {"label": lambda i: i.label.lower(), "date": lambda i: (min(i.dates) if i.dates else "9999", i.label),
           "-date": lambda i: (max(i.dates) if i.dates else "0000", i.label)}[sort]
    items.sort(key=key, reverse=sort == "-date")
    counted, direct = read_facet_links(service, spec)
    start = (page - 1) * per_page
    shown = [replace(item, linked=_linked(item.iri, direct, base)) for item in items[start:start + per_page]]
    return Page(_with_evidence(service, shown), len(items), page, per_page, count_facets(spec, items, counted, base))


def list_table(kind: KindDef, page: Page) -> Table:
    """A page of a list as a table (for CSV): id, labels, type, dates, what each filter links to, and the IRI."""
    names = [f.name for f in kind.filters]
    rows = tuple((item.id, item.label, item.label_zh or "", item.type or "", "; ".join(item.dates),
                  *("; ".join(link.label for link in item.linked.get(name, ())) for name in names), item.iri)
                 for item in page.items)
    return Table(kind.title, ("id", "label", "label_zh", "type", "dates", *names, "iri"), rows)


def _linked(iri: str, links: FacetLinks, base: str) -> dict[str, tuple[Link, ...]]:
    """What ``iri`` links to through each facet's predicate, by label."""
    out = {}
    for name, by_entity in links.items():
        found = by_entity.get(iri, {})
        if found:
            out[name] = tuple(sorted((_link(value, {"label": en, "label_zh": zh, "evidence": ()}, base)
                                      for value, (en, zh) in found.items()), key=lambda link: link.label.lower()))
    return out


def _dash_variants(text: str) -> tuple[str, str]:
    """``text`` spelt with spaces and with hyphens between its words ("red light", "red-light"), whichever
    of the two it was typed as, so that a search finds either spelling."""
    spaced = " ".join(re.sub(r"[\u2010-\u2015-]+", " ", text).split())
    return (spaced, spaced.replace(" ", "-")) if spaced else (text, text)  # "-" alone must not match everything


def _with_evidence(service: QueryService, items: list[EntitySummary]) -> tuple[EntitySummary, ...]:
    if not items:
        return ()
    rows = service.select("summary_evidence", [{"entity": ("iri", item.iri)} for item in items])
    found: dict[str, list[Evidence]] = {}
    for row in rows:
        found.setdefault(row["entity"]["value"], []).append(_evidence(row))
    return tuple(replace(item, evidence=_ordered(found.get(item.iri, ()))) for item in items)


def _ordered(evidence: list[Evidence] | tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """Evidence in one order, whatever order the store returned it in (stores differ)."""
    return tuple(sorted(evidence, key=lambda e: tuple(str(v) for v in astuple(e))))


def _evidence(row: dict[str, Any]) -> Evidence:
    support = row.get("support", {}).get("value", SEIKG + "Stated").rsplit("#", 1)[-1]
    return Evidence(row["source"]["value"], row.get("sourceLabel", {}).get("value", ""),
                    row["section"]["value"], row["anchor"]["value"],
                    {"ResolvedFromContext": "resolved"}.get(support, support.lower()),
                    row.get("crossSource", {}).get("value") in ("true", "1"))


def _summaries(rows: list[dict[str, Any]], base: str) -> list[EntitySummary]:
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["entity"]["value"]
        entry = grouped.setdefault(iri, {"label": row["label"]["value"], "zh": None, "types": set(), "dates": set()})
        if "labelZh" in row:
            entry["zh"] = row["labelZh"]["value"]
        if "type" in row:
            entry["types"].add(row["type"]["value"].rsplit("#", 1)[-1])
        if "date" in row:
            entry["dates"].add(row["date"]["value"])
    out = []
    for iri, entry in grouped.items():
        slug, ident = kind_of_iri(iri, base) or ("", iri)
        kind = _plural(slug)
        kind_type = sorted(entry["types"])[0] if entry["types"] else None
        out.append(EntitySummary(ident, kind, iri, entry["label"], entry["zh"], kind_type,
                                 tuple(sorted(entry["dates"]))))
    return out


def get_entity(service: QueryService, slug: str, ident: str) -> EntityDetail:
    """Every link and value of one entity, grouped by field, each with its evidence.

    Raises
    ------
    kg.errors.NotFoundError
        If no entity has that IRI.
    """
    base = service.settings.base_iri
    iri = entity_iri(base, slug, ident, "id")
    cards = service.select("entity_card", {"entity": ("iri", iri)})
    if not cards:
        raise NotFoundError(f"no {slug} {ident!r}")
    label = next((c["label"]["value"] for c in cards if "label" in c), ident)
    label_zh = next((c["labelZh"]["value"] for c in cards if "labelZh" in c), None)
    types = tuple(sorted({c["class"]["value"].rsplit("#", 1)[-1] for c in cards}))
    alt = tuple(sorted({c["altLabel"]["value"] for c in cards if "altLabel" in c}))
    note = next((c["comment"]["value"] for c in cards if "comment" in c), None)
    translated = any("translated" in c for c in cards)
    rows = service.select("entity_links", {"entity": ("iri", iri)})
    links, values, headings = _group_links(rows, base)
    if "authors" in values:  # in the order the source gives them (seikg:authorList), not alphabetical
        order = {row["author"]["value"]: int(row["position"]["value"])
                 for row in service.select("source_citation", {"source": ("iri", iri)}) if "author" in row}
        values["authors"] = tuple(sorted(values["authors"], key=lambda v: (order.get(v.value, 10**6), v.value)))
    label_evidence = _ordered([_evidence(row) for row in rows if row["direction"]["value"] == "out"
                               and row["predicate"]["value"] == _RDFS_LABEL and "source" in row
                               and row["other"].get("xml:lang") == "zh"])
    descriptions = _descriptions(service.select("entity_descriptions", {"entity": ("iri", iri)}))
    kind = _plural(slug)
    return EntityDetail(ident, kind, iri, label, label_zh, types, alt, note, links, values, descriptions,
                        translated, tuple(dict.fromkeys(label_evidence)), headings,
                        tuple(name for name in _RECORD_FIELDS if name in values))


def _descriptions(rows: list[dict[str, Any]]) -> tuple[Description, ...]:
    """The rows of ``entity_descriptions.rq`` gathered into one record per description, in order."""
    gathered: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = gathered.setdefault(row["description"]["value"], {"en": "", "zh": None, "sources": {}, "sections": {}})
        text = row["text"]
        entry["zh" if text.get("xml:lang") == "zh" else "en"] = text["value"]
        entry["sources"][row["source"]["value"]] = row.get("sourceLabel", {}).get("value", "")
        entry["sections"][row["section"]["value"]] = None
    ordered = sorted(gathered.items(), key=lambda item: (len(item[0]), item[0]))  # -1, -2, ... -10
    return tuple(Description(e["en"], e["zh"], tuple(e["sources"]), tuple(e["sources"].values()),
                             tuple(e["sections"])) for _, e in ordered)


_CARD_PREDICATES = frozenset({"http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                               "http://www.w3.org/2000/01/rdf-schema#label",
                               # a quantity's evidence is shown with its value, not as links to evidence nodes
                               "https://w3id.org/seikg/ontology#hasEvidence",
                               # shown as the entity's descriptions and its Chinese label
                               "http://purl.org/dc/terms/description",
                               "https://w3id.org/seikg/ontology#translatedLabel",
                               # the order of the authors: shown as the authors and in citations
                               "https://w3id.org/seikg/ontology#authorList"})


_CONFLICT_ABOUT = "https://w3id.org/seikg/ontology#conflictAbout"
#: inverses the build adds for other tools, whose facts a page already shows from the other direction
_SHOWN_FROM_THE_INVERSE = frozenset({"http://www.w3.org/2004/02/skos/core#topConceptOf"})
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def words(name: str | None) -> str:
    """A field or class name for people, its camel case and underscores as spaces, in lower case.

    >>> words("bibliographicCitation"), words("MacroRegion"), words("seed_file")
    ('bibliographic citation', 'macro region', 'seed file')
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name or "").replace("_", " ").lower()


def _heading(name: str) -> str:
    """A field name as a heading: ``seed_file`` -> ``Seed file``."""
    return words(name).capitalize()


def _group_links(rows: list[dict[str, Any]], base: str) -> tuple[dict, dict, dict[str, str]]:
    """The rows of ``entity_links.rq`` as links and values grouped by field, and each field's heading."""
    headings: dict[str, str] = {}
    links: dict[str, dict[str, dict[str, Any]]] = {}
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        predicate, direction, other = row["predicate"]["value"], row["direction"]["value"], row["other"]
        if direction == "out" and predicate in _CARD_PREDICATES:  # on the card, not a link
            continue
        if direction == "in" and predicate == _CONFLICT_ABOUT:  # a conflict is listed with the source issues
            continue
        if predicate in _SHOWN_FROM_THE_INVERSE:  # skos:topConceptOf repeats skos:hasTopConcept
            continue
        evidence = _evidence(row) if "source" in row else None
        if other["type"] == "literal":
            name = _VALUE_NAMES.get(predicate, predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            headings[name] = VALUE_TITLES.get(name, _heading(name))
            entry = values.setdefault(name, {}).setdefault(other["value"], {
                "datatype": other.get("datatype", ""), "evidence": []})
        else:
            names = LINKS.get(predicate)
            name = (names.outgoing if direction == "out" else names.incoming) if names else \
                f"{predicate.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}{'' if direction == 'out' else '_of'}"
            headings[name] = names.title(direction) if names else _heading(name)
            entry = links.setdefault(name, {}).setdefault(other["value"], {
                "label": row.get("otherLabel", {}).get("value", other["value"]),
                "label_zh": row.get("otherLabelZh", {}).get("value"), "evidence": []})
        if evidence is not None and evidence not in entry["evidence"]:
            entry["evidence"].append(evidence)
    link_out = {name: tuple(_link(iri, data, base) for iri, data in sorted(group.items(), key=lambda i: i[1]["label"]))
                for name, group in sorted(links.items())}
    value_out = {name: tuple(Value(v, d["datatype"], _ordered(d["evidence"])) for v, d in sorted(group.items()))
                 for name, group in sorted(values.items())}
    return link_out, value_out, headings


def _link(iri: str, data: dict[str, Any], base: str) -> Link:
    slug, ident = kind_of_iri(iri, base) or ("", iri)
    kind = _plural(slug)
    return Link(ident, kind, iri, data["label"], _ordered(data["evidence"]), data.get("label_zh"))


def entity_rdf(service: QueryService, slug: str, ident: str, fmt: str) -> tuple[str, bytes]:
    """The entity's statements, neighbours' labels and evidence as RDF in ``fmt``.

    Raises
    ------
    kg.errors.NotFoundError
        If no entity has that IRI.
    """
    iri = iris.entity_iri(service.settings.base_iri, slug, ident)
    if not service.select("entity_card", {"entity": ("iri", iri)}):  # entity_iri refused a malformed id
        raise NotFoundError(f"no {slug} {ident!r}")
    answer = service.construct("entity_rdf", {"entity": ("iri", iri)}, fmt)
    return answer.media_type, answer.body


def evidence_query(iri: str) -> str:
    """A ready SPARQL query listing every link of ``iri`` with its evidence (for pages and users).

    Raises
    ------
    kg.errors.QueryError
        If ``iri`` is not a valid IRI.
    """
    return bind_values(load_query("evidence_for"), {"entity": ("iri", iri)})


def overview(service: QueryService) -> dict[str, int]:
    """How many entities of each listed kind the graph holds.

    Raises
    ------
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    counts = {row["class"]["value"]: int(row["count"]["value"]) for row in service.select("class_counts", counted_classes())}
    return {kind: counts.get(spec.rdf_class, 0) for kind, spec in KINDS.items()}

"""What the curated YAML files may say: entry kinds, their fields, and the RDF each field becomes.

The documentation in ``docs/curation.md`` is written from this table; a test
checks that every field named here is documented there.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS, XSD

from kg.model.kinds import KINDS as REGISTRY
from kg.model.vocab import SEIKG

__all__ = ["curated_kinds", "COMMON_FIELDS", "EVIDENCE_FIELDS", "KINDS", "Kind", "Link", "Literal_", "SUPPORT_LEVELS"]


@dataclass(frozen=True)
class Link:
    """A field whose items point at other entries: ``{to: id, <evidence>}``.

    ``inverse`` links are written on the target's side in RDF (for example a
    mechanism's ``proposed_by`` becomes ``source seikg:proposesMechanism mechanism``);
    their items may name the target with ``src`` alone.
    """

    predicate: URIRef
    target: str
    inverse: bool = False


@dataclass(frozen=True)
class Literal_:
    """A field whose items are values: ``{value: ..., <evidence>}``."""

    predicate: URIRef
    datatype: str  # "date" (xsd:date/gYearMonth/gYear), "string", "integer" or "zh" (a @zh string)


@dataclass(frozen=True)
class Kind:
    """One top-level key of a data file and the entries it holds."""

    key: str           # top-level YAML key, e.g. "policies"
    slug: str          # IRI path segment, e.g. "policy"
    rdf_class: URIRef  # class given when no ``type`` is set
    types: dict[str, URIRef] = field(default_factory=dict)
    fields: dict[str, Link | Literal_] = field(default_factory=dict)
    type_required: bool = False


def _types(plural: str) -> dict[str, URIRef]:
    """The ``type`` values a curator may give an entry of this kind, and the class each names."""
    return {name: getattr(SEIKG, name) for name in REGISTRY[plural].types}


def _kind(key: str, types: dict[str, URIRef] | None = None, fields: dict[str, Link | Literal_] | None = None, *,
          type_required: bool = False) -> Kind:
    """The YAML side of the registry's kind ``key``: its slug and class come from :mod:`kg.model.kinds`."""
    registered = REGISTRY[key]
    return Kind(key, registered.slug, URIRef(registered.rdf_class), types or {}, fields or {}, type_required)


#: the fields of the kinds that have fields of their own (every other curated kind has the common fields)
_OWN: dict[str, Kind] = {kind.key: kind for kind in (
    _kind("policies", _types("policies"), {
        "issued": Literal_(DCTERMS.issued, "date"),
        "number": Literal_(DCTERMS.identifier, "string"),
        "issuer_count": Literal_(SEIKG.issuerCount, "integer"),
        "issued_by": Link(SEIKG.issuedBy, "actors"),
        "establishes": Link(SEIKG.establishesMechanism, "mechanisms"),
        "applies_to": Link(SEIKG.appliesToRegion, "regions"),
        "promulgates": Link(SEIKG.promulgates, "policies"),
        "guided_by": Link(SEIKG.guidedBy, "policies"),
        "discussed_by": Link(SEIKG.discussesPolicy, "sources", inverse=True),
    }, type_required=True),
    _kind("actors", _types("actors"), {
        "part_of": Link(ORG.subOrganizationOf, "actors"),
        "located_in": Link(SEIKG.locatedIn, "regions"),
        "implements": Link(SEIKG.implementsMechanism, "mechanisms"),
    }, type_required=True),
    _kind("mechanisms", {}, {
        "broader": Link(SKOS.broader, "mechanisms"),
        "proposed_by": Link(SEIKG.proposesMechanism, "sources", inverse=True),
        "reported_by": Link(SEIKG.reportsMechanism, "sources", inverse=True),
        "reviewed_by": Link(SEIKG.reviewsMechanism, "sources", inverse=True),
        "addresses": Link(SEIKG.addressesProblem, "problems"),
        "involves": Link(SEIKG.involvesActor, "actors"),
        "guided_by": Link(SEIKG.guidedBy, "policies"),
    }),
    _kind("problems", {}, {
        "broader": Link(SKOS.broader, "problems"),
        "identified_by": Link(SEIKG.identifiesProblem, "sources", inverse=True),
        "causes": Link(SEIKG.hasCause, "problems"),
        "faced_by": Link(SEIKG.facesProblem, "regions", inverse=True),
    }),
    _kind("regions", _types("regions"), {
        "part_of": Link(SEIKG.partOfRegion, "regions"),
        "faces": Link(SEIKG.facesProblem, "problems"),
    }, type_required=True),
    _kind("cases", {}, {
        "date": Literal_(DCTERMS.date, "date"),
        "actors": Link(SEIKG.caseActor, "actors"),
        "exemplifies": Link(SEIKG.exemplifiesMechanism, "mechanisms"),
        "illustrates": Link(SEIKG.illustratesProblem, "problems"),
        "regions": Link(SEIKG.caseRegion, "regions"),
        "reported_by": Link(SEIKG.reportsCase, "sources", inverse=True),
    }),
    _kind("strategies", {}, {
        "invoked_by": Link(SEIKG.invokesStrategy, "sources", inverse=True),
        "invoked_in": Link(SEIKG.invokesStrategy, "policies", inverse=True),
    }),
    _kind("frameworks", {}, {
        "proposed_by": Link(DCTERMS.source, "sources"),
        "top": Link(SKOS.hasTopConcept, "mechanisms"),
    }),
)}

def curated_kinds() -> dict[str, Kind]:
    """Every kind curators write in data/: those of the registry marked ``curated``, with their own fields
    if they have any (a kind of the registry alone gets the common fields)."""
    return {key: _OWN.get(key) or _kind(key) for key, kind in REGISTRY.items() if kind.curated}


#: the curated kinds of the registry as it is at import (a test that registers a toy kind recomputes it)
KINDS: dict[str, Kind] = curated_kinds()

#: Fields every entity entry may carry besides its kind's own.
COMMON_FIELDS = ("id", "label", "label_zh", "alt_labels", "note", "type", "src", "ev",
                 "quantities", "close_match")

#: Fields of a source entry.
SOURCE_FIELDS = ("id", "label", "seed", "text", "doi", "authors", "year", "venue", "url", "outside_seeds",
                 "note", "label_zh")

#: Fields of a standalone link (top-level ``links:``): a link added to an entry defined elsewhere,
#: as ``seikg review`` writes accepted links of entities already in the graph.
STANDALONE_LINK_FIELDS = ("from", "field", "to") + ("src", "sec", "anchor", "support", "note")

#: Fields of one piece of evidence (inline in a link or value item, or in an ``ev`` list).
EVIDENCE_FIELDS = ("src", "sec", "anchor", "support", "note")

#: Fields of a quantitative fact.
QUANTITY_FIELDS = ("measure", "value", "unit", "bound", "target", "period", "indicates") + EVIDENCE_FIELDS

#: Links of a quantitative fact: a regional statistic that indicates a problem the region faces.
QUANTITY_LINKS = {"indicates": Link(SEIKG.indicatesProblem, "problems")}

#: Fields of a conflict entry.
CONFLICT_FIELDS = ("id", "about", "property", "note")

SUPPORT_LEVELS = {"stated": SEIKG.Stated, "implied": SEIKG.Implied,
                  "resolved": SEIKG.ResolvedFromContext}

#: Bounds a quantity may have.
BOUNDS = ("exact", "about", "at-least", "at-most", "more-than", "less-than")

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}

"""Every kind of entity the graph holds and every link between them, declared once.

A :class:`KindDef` says what the build, the API, the pages, the search, the views and the analyses need to
know of a kind: its class, its IRI slug (``<base>id/<slug>/<id>``), its plural name (the YAML key of its
data file and its API path, ``/api/<plural>``), the filters of its list, an example id for the docs, and
its style key in the graph views. :data:`LINKS` names each link predicate in both directions, for entity
details (``issuers`` from a policy, ``issued`` from an actor) and for the analyses' allow-list of edges.

Adding a kind means one :class:`KindDef` here (and its YAML fields in ``kg/build/schema.py`` if curators write it):
its list, detail, page, search, view style and CLI listing follow from this table; a test walks the table and
fails for a kind that lacks any of them.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "LINKS", "Filter", "KindDef", "LinkDef", "counted_classes", "edge_predicates", "kind_by_slug",
           "view_classes", "view_kinds"]

SEIKG = "https://w3id.org/seikg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@dataclass(frozen=True)
class Filter:
    """A list filter: ``name=<id>`` keeps the entities linked through ``predicate`` to that ``target`` entity
    (``direction`` "out": from the listed entity; "in": to it), or to anything below it in its hierarchy."""

    name: str
    predicate: str
    target: str   # the slug of the linked entity's kind
    direction: str = "out"


@dataclass(frozen=True)
class KindDef:
    """One kind of entity."""

    plural: str             # YAML key and API path segment: "policies"
    slug: str               # IRI path segment and page path: "policy"
    rdf_class: str          # its class IRI (subclasses count as the kind)
    title: str              # for people: "policy documents"
    example_id: str         # an id of this kind in data/, for the API docs and tests
    filters: tuple[Filter, ...] = ()
    in_views: bool = True   # drawn as nodes in the graph views
    dated: bool = False     # lists may be filtered by from/to dates
    style: str = ""         # its style key in the views (visualizations.styles); default: its slug
    curated: bool = True    # curators write it in data/ under its plural (else the build derives it)
    types: tuple[str, ...] = ()  # the subclasses (seikg: local names) a curator may give as an entry's ``type``

    @property
    def style_key(self) -> str:
        """The key of its node style in the graph views."""
        return self.style or self.slug

    @property
    def filter_map(self) -> dict[str, tuple[str, str, str]]:
        """``name -> (predicate, target slug, direction)``, as the list query binds them."""
        return {f.name: (f.predicate, f.target, f.direction) for f in self.filters}


KINDS: dict[str, KindDef] = {kind.plural: kind for kind in (
    KindDef("policies", "policy", SEIKG + "PolicyDocument", "policy documents",
            "national-pilot-implementation-plan-industry-education-integration-2019", (
                Filter("issuer", SEIKG + "issuedBy", "actor"), Filter("region", SEIKG + "appliesToRegion", "region"),
                Filter("mechanism", SEIKG + "establishesMechanism", "mechanism")), dated=True,
            types=("Notice", "Opinions", "Plan", "Outline", "Measures", "Standards", "Decision", "Report",
                   "Guidelines")),
    KindDef("mechanisms", "mechanism", SEIKG + "Mechanism", "mechanisms", "motivation-mechanism", (
        Filter("problem", SEIKG + "addressesProblem", "problem"), Filter("parent", SKOS + "broader", "mechanism"),
        Filter("actor", SEIKG + "involvesActor", "actor"),
        Filter("proposed_by", SEIKG + "proposesMechanism", "source", "in"),
        Filter("reported_by", SEIKG + "reportsMechanism", "source", "in"),
        Filter("reviewed_by", SEIKG + "reviewsMechanism", "source", "in"))),
    KindDef("problems", "problem", SEIKG + "Problem", "problems", "insufficient-endogenous-motivation-of-enterprises", (
        Filter("parent", SKOS + "broader", "problem"),
        Filter("identified_by", SEIKG + "identifiesProblem", "source", "in"),
        Filter("region", SEIKG + "facesProblem", "region", "in"))),
    KindDef("actors", "actor", SEIKG + "Actor", "actors", "ministry-of-education", (
        Filter("region", SEIKG + "locatedIn", "region"), Filter("parent", ORG + "subOrganizationOf", "actor"),
        Filter("mechanism", SEIKG + "implementsMechanism", "mechanism"),
        Filter("involved_in", SEIKG + "involvesActor", "mechanism", "in")),
            types=("GovernmentBody", "PartyBody", "University", "Enterprise", "ResearchInstitute", "Association",
                   "ConsortiumOrPlatform", "InternationalScheme", "ActorType")),
    KindDef("regions", "region", SEIKG + "Region", "regions", "eastern-region", (
        Filter("parent", SEIKG + "partOfRegion", "region"), Filter("problem", SEIKG + "facesProblem", "problem")),
            types=("Country", "CountryGroup", "MacroRegion", "Province", "City", "District", "Zone")),
    KindDef("sources", "source", SEIKG + "Source", "sources", "fu-huang-sun-2025"),
    KindDef("cases", "case", SEIKG + "Case", "cases", "first-batch-national-pilot-cities-2019", (
        Filter("region", SEIKG + "caseRegion", "region"), Filter("mechanism", SEIKG + "exemplifiesMechanism", "mechanism"),
        Filter("problem", SEIKG + "illustratesProblem", "problem"), Filter("actor", SEIKG + "caseActor", "actor"),
        Filter("reported_by", SEIKG + "reportsCase", "source", "in")), dated=True),
    KindDef("frameworks", "framework", SEIKG + "MechanismFramework", "mechanism frameworks",
            "zhang-qu-four-mechanism-framework", (
                Filter("source", DCTERMS + "source", "source"), Filter("mechanism", SKOS + "hasTopConcept", "mechanism"))),
    KindDef("strategies", "strategy", SEIKG + "Strategy", "national strategies and guiding concepts",
            "concept-strong-education-country", (
                Filter("invoked_by", SEIKG + "invokesStrategy", "source", "in"),
                Filter("policy", SEIKG + "invokesStrategy", "policy", "in"))),
    KindDef("quantities", "quantity", SEIKG + "QuantitativeFact", "quantitative facts",
            "changzhou-new-energy-industry-education-consortium-1", (
                Filter("unit", SEIKG + "unit", "unit"),), in_views=False, curated=False),
    KindDef("conflicts", "conflict", SEIKG + "Conflict", "conflicts between sources", "outline-issue-date", (
        Filter("policy", SEIKG + "conflictAbout", "policy"),), in_views=False, curated=False),
    KindDef("issues", "issue", SEIKG + "SourceIssue", "source issues (disagreements and defects of the texts)",
            "fu-outline-issue-date", (Filter("source", SEIKG + "issueAbout", "source"),), in_views=False,
            curated=False),
    KindDef("units", "unit", SEIKG + "Unit", "units of measure", "count", in_views=False),
)}


@dataclass(frozen=True)
class LinkDef:
    """A link predicate: its field name on the subject's side and on the object's side, and whether the
    analyses project it as an edge between entities."""

    predicate: str
    outgoing: str
    incoming: str
    edge: bool = True
    titles: tuple[str, str] = ("", "")  # the headings of the two fields on pages, for people

    def title(self, direction: str) -> str:
        """The heading of the field seen from the subject (``"out"``) or from the object (``"in"``) side."""
        name, title = (self.outgoing, self.titles[0]) if direction == "out" else (self.incoming, self.titles[1])
        return title or name.replace("_", " ").capitalize()

    @property
    def short(self) -> str:
        """The predicate's local name (``issuedBy``), the key of its edges in the projections."""
        return self.predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


LINKS: dict[str, LinkDef] = {link.predicate: link for link in (
    LinkDef(SEIKG + "issuedBy", "issuers", "issued", titles=("Issued by", "Policies it issued")),
    LinkDef(SEIKG + "establishesMechanism", "mechanisms", "established_by", titles=("Mechanisms it establishes", "Established by")),
    LinkDef(SEIKG + "appliesToRegion", "regions", "policies", titles=("Regions it applies to", "Policies that apply here")),
    LinkDef(SEIKG + "promulgates", "promulgates", "promulgated_by", titles=("Documents it promulgates", "Promulgated by")),
    LinkDef(SEIKG + "guidedBy", "guided_by", "guides", titles=("Guided by", "What it guides")),
    LinkDef(SEIKG + "discussesPolicy", "discusses", "discussed_by", titles=("Policies it discusses", "Discussed by")),
    LinkDef(SEIKG + "proposesMechanism", "proposes", "proposed_by", titles=("Mechanisms it proposes", "Proposed by")),
    LinkDef(SEIKG + "reportsMechanism", "reports_mechanisms", "reported_by", titles=("Mechanisms it reports", "Reported by")),
    LinkDef(SEIKG + "reviewsMechanism", "reviews_mechanisms", "reviewed_by",
            titles=("Mechanisms it relays from the works it reviews", "Relayed from the literature by")),
    LinkDef(SEIKG + "identifiesProblem", "identifies", "identified_by", titles=("Problems it identifies", "Identified by")),
    LinkDef(SEIKG + "addressesProblem", "addresses", "addressed_by", titles=("Problems it addresses", "Addressed by")),
    LinkDef(SEIKG + "involvesActor", "involves", "involved_in", titles=("Actors involved", "Mechanisms it takes part in")),
    LinkDef(SEIKG + "implementsMechanism", "implements", "implemented_by", titles=("Mechanisms it implements", "Implemented by")),
    LinkDef(SEIKG + "locatedIn", "located_in", "located_here", titles=("Located in", "Actors located here")),
    LinkDef(SEIKG + "partOfRegion", "part_of", "parts", titles=("Part of", "Parts")),
    LinkDef(SEIKG + "facesProblem", "faces", "faced_by", titles=("Problems it faces", "Regions that face it")),
    LinkDef(SEIKG + "hasCause", "causes", "causes_of", titles=("Its causes", "Problems it causes")),
    LinkDef(SEIKG + "reportsCase", "reports", "reported_by", titles=("Cases it reports", "Reported by")),
    LinkDef(SEIKG + "caseActor", "actors", "cases", titles=("Actors in the case", "Cases it takes part in")),
    LinkDef(SEIKG + "exemplifiesMechanism", "exemplifies", "cases", titles=("Mechanisms it exemplifies", "Cases of it")),
    LinkDef(SEIKG + "illustratesProblem", "illustrates", "cases", titles=("Problems it illustrates", "Cases that illustrate it")),
    LinkDef(SEIKG + "caseRegion", "regions", "cases", titles=("Where the case is", "Cases here")),
    LinkDef(SEIKG + "invokesStrategy", "invokes", "invoked_by", titles=("Strategies it invokes", "Invoked by")),
    LinkDef(SEIKG + "hasQuantity", "quantities", "quantity_of", edge=False, titles=("Figures", "A figure of")),
    LinkDef(SEIKG + "indicatesProblem", "indicates", "indicated_by", edge=False, titles=("Problems it indicates", "Figures that indicate it")),
    LinkDef(SEIKG + "unit", "unit", "quantities", edge=False, titles=("Unit", "Figures in this unit")),
    LinkDef(SEIKG + "conflictAbout", "about", "conflicts", edge=False, titles=("About", "Conflicts between sources")),
    LinkDef(SEIKG + "issueAbout", "concerns", "source_issues", edge=False, titles=("Concerns", "Source issues")),
    LinkDef(SKOS + "broader", "broader", "narrower", titles=("Broader", "Narrower")),
    LinkDef(SKOS + "closeMatch", "close_matches", "close_matches", edge=False, titles=("Close matches", "Close matches")),
    LinkDef(SKOS + "inScheme", "frameworks", "members", titles=("Frameworks", "Members")),
    LinkDef(SKOS + "hasTopConcept", "top_mechanisms", "top_of", titles=("Top mechanisms", "Top mechanism of")),
    LinkDef(ORG + "subOrganizationOf", "part_of", "sub_organisations", titles=("Part of", "Sub-organisations")),
    LinkDef(RDFS + "seeAlso", "see_also", "see_also_of", edge=False, titles=("See also", "Seen from")),
    LinkDef(DCTERMS + "source", "sources", "frameworks", titles=("Sources", "Frameworks")),
)}


def kind_by_slug(slug: str) -> KindDef | None:
    """The kind whose IRI slug is ``slug``, or None.

    >>> kind_by_slug("case").plural
    'cases'
    """
    return next((kind for kind in KINDS.values() if kind.slug == slug), None)


def view_kinds() -> tuple[str, ...]:
    """The slugs of the kinds drawn in graph views, in table order.

    >>> view_kinds()[:3]
    ('policy', 'mechanism', 'problem')
    """
    return tuple(kind.slug for kind in KINDS.values() if kind.in_views)


def view_classes() -> dict[str, str]:
    """Class IRI -> slug of the kinds that are nodes in the projections and views.

    >>> view_classes()["https://w3id.org/seikg/ontology#Case"]
    'case'
    """
    return {kind.rdf_class: kind.slug for kind in KINDS.values() if kind.in_views}


def edge_predicates() -> dict[str, str]:
    """Predicate IRI -> short name of the links that the projections keep as edges (the allow-list).

    >>> edge_predicates()["https://w3id.org/seikg/ontology#issuedBy"]
    'issuedBy'
    """
    return {link.predicate: link.short for link in LINKS.values() if link.edge}


def counted_classes() -> list[dict[str, tuple[str, str]]]:
    """The classes the graph's counts report (every kind's, and the evidence records), as ``class_counts.rq``
    bindings."""
    classes = [kind.rdf_class for kind in KINDS.values()] + [SEIKG + "Evidence"]
    return [{"class": ("iri", c)} for c in classes]

"""The plain, frozen data the API and pages render: entities, their links and the evidence behind each."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BOUND_WORDS", "Description", "EntityDetail", "EntitySummary", "Evidence", "Facet", "FacetValue", "Link", "Page", "Quantity", "Statistic", "Value"]


@dataclass(frozen=True)
class Evidence:
    """Where a statement comes from. ``cross_source`` marks the evidence of a cross-paper inference: a source's
    mechanism linked to a problem that only other sources identify (``seikg:crossSource``)."""

    source: str
    source_label: str
    section: str
    anchor: str
    support: str = "stated"
    cross_source: bool = False


@dataclass(frozen=True)
class Link:
    """A link to another entity, with its evidence."""

    id: str
    kind: str
    iri: str
    label: str
    evidence: tuple[Evidence, ...] = ()
    label_zh: str | None = None


@dataclass(frozen=True)
class Value:
    """A literal value (a date, a number) with its evidence."""

    value: str
    datatype: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class EntitySummary:
    """One item of a list or search result."""

    id: str
    kind: str
    iri: str
    label: str
    label_zh: str | None = None
    type: str | None = None
    dates: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    linked: dict[str, tuple[Link, ...]] = field(default_factory=dict)  # in lists: per filter, what it links to


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: the id (or year, or type) a filter takes, its label, and how many entities of the
    list have it."""

    value: str
    label: str
    count: int
    label_zh: str | None = None


@dataclass(frozen=True)
class Facet:
    """A list's counts for one filter (or ``year``, or ``type``), most frequent value first."""

    name: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Description:
    """The curators' paraphrase of what sources say about an entity, with the sections it comes from."""

    en: str
    zh: str | None
    sources: tuple[str, ...]
    source_labels: tuple[str, ...]
    sections: tuple[str, ...]


@dataclass(frozen=True)
class EntityDetail:
    """Everything about one entity: its labels, each link grouped by field, and the evidence for each."""

    id: str
    kind: str
    iri: str
    label: str
    label_zh: str | None
    types: tuple[str, ...]
    alt_labels: tuple[str, ...]
    note: str | None
    links: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    values: dict[str, tuple[Value, ...]] = field(default_factory=dict)
    descriptions: tuple[Description, ...] = ()
    label_zh_translated: bool = False  # the Chinese label is the curators' translation, not an official name
    label_zh_evidence: tuple[Evidence, ...] = ()  # where an official Chinese name comes from
    headings: dict[str, str] = field(default_factory=dict)  # each field of links and values -> its heading
    record_fields: tuple[str, ...] = ()  # value fields about the record (its seed file, ...), not the entity


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    items: tuple[EntitySummary, ...]
    total: int
    page: int
    per_page: int
    facets: tuple[Facet, ...] = ()


#: how each bound reads before the number
BOUND_WORDS = {"exact": "", "about": "about ", "at-least": "at least ", "at-most": "at most ",
               "more-than": "more than ", "less-than": "less than "}


@dataclass(frozen=True)
class Statistic:
    """A quantitative fact about an entity as the analyses read it (a region's share, count or amount): the
    fact's IRI, its sentence (``rdfs:label``), what is measured, the number, its unit's id, and its evidence;
    ``indicates`` lists the problems the fact is cited as indicating (``seikg:indicatesProblem``), each with
    the evidence of that reading."""

    iri: str
    sentence: str
    measure: str
    value: float
    unit: str
    target: bool = False
    period: str | None = None
    evidence: tuple[Evidence, ...] = ()
    indicates: tuple[tuple[str, tuple[Evidence, ...]], ...] = ()  # (problem IRI, evidence) per indicated problem


@dataclass(frozen=True)
class Quantity:
    """A quantitative fact as plain data: what is measured, the number, its unit, bound and period."""

    measure: str
    value: int | float
    unit: str  # the unit's id
    unit_label: str
    bound: str = "exact"
    target: bool = False
    period: str | None = None

    @property
    def sentence(self) -> str:
        """The fact in words, as pages, lists and labels show it.

        >>> Quantity("pilot cities", 20, "count", "count", "about", True, "2019").sentence
        'about 20 pilot cities (target), 2019'
        >>> Quantity("share of pilot cities in the east", 52.4, "percent", "percent").sentence
        'share of pilot cities in the east: 52.4%'
        >>> Quantity("special funds invested", 85030000000, "yuan", "yuan").sentence
        'special funds invested: 85,030,000,000 yuan'
        >>> Quantity("year the programme began", 1978, "calendar-year", "calendar year").sentence
        'year the programme began: 1978'
        >>> Quantity("interval between evaluations", 3, "year", "year").sentence
        'interval between evaluations: 3 years'
        >>> Quantity("speed-up", 3, "multiple", "multiple (times)").sentence
        'speed-up: 3 times'
        """
        bound = BOUND_WORDS.get(self.bound, "")
        number = f"{bound}{self.value:,}"
        if self.unit == "count":
            text = f"{number} {self.measure}"
        elif self.unit == "percent":
            text = f"{self.measure}: {number}%"
        elif self.unit == "calendar-year":
            text = f"{self.measure}: {bound}{self.value}"
        elif self.unit == "multiple":
            text = f"{self.measure}: {number} times"
        elif self.unit in ("year", "month"):
            text = f"{self.measure}: {number} {self.unit}{'' if self.value == 1 else 's'}"
        else:
            text = f"{self.measure}: {number} {self.unit_label}"
        return text + (" (target)" if self.target else "") + (f", {self.period}" if self.period else "")

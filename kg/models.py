"""The plain, frozen data the API and pages render: entities, their links and the evidence behind each."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EntityDetail", "EntitySummary", "Evidence", "Link", "Page", "Value"]


@dataclass(frozen=True)
class Evidence:
    """Where a statement comes from."""

    source: str
    source_label: str
    section: str
    anchor: str
    support: str = "stated"


@dataclass(frozen=True)
class Link:
    """A link to another entity, with its evidence."""

    id: str
    kind: str
    iri: str
    label: str
    evidence: tuple[Evidence, ...] = ()


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


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    items: tuple[EntitySummary, ...]
    total: int
    page: int
    per_page: int

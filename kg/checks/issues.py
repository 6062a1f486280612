"""Every source issue of a graph, read with ``source_issues.rq``: for ``seikg conflicts`` and curators."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kg.sparql.queries import bind_values, load_query

__all__ = ["IssueRecord", "Side", "list_source_issues"]


@dataclass(frozen=True)
class Side:
    """One side of an issue: the claim and where the source says it."""

    claim: str
    source: str
    section: str
    anchor: str


@dataclass(frozen=True)
class IssueRecord:
    """A source issue: what is wrong, of which kind, what it concerns, and each side with its evidence."""

    iri: str
    label: str
    kind: str
    note: str
    about: tuple[str, ...]
    sides: tuple[Side, ...]


def list_source_issues(graph: Graph, *, source: str | None = None, kind: str | None = None
                       ) -> tuple[IssueRecord, ...]:
    """The source issues of ``graph`` (recorded conflicts included, as kind ``conflict``), optionally only
    those concerning or citing the source IRI ``source``, or of one ``kind``.

    Raises
    ------
    kg.errors.QueryError
        If ``source`` is not a valid IRI.
    """
    bindings = {"source": ("iri", source) if source else None, "kind": ("literal", kind) if kind else None}
    text = bind_values(load_query("source_issues"), bindings)
    gathered: dict[str, dict] = {}
    for row in graph.query(text):
        entry = gathered.setdefault(str(row.issue), {"label": str(row.label), "kind": str(row.issueKind),
                                                     "note": str(row.note), "about": {}, "sides": {}})
        entry["about"][str(row.aboutLabel or row.about)] = None
        if row.claim is not None and row.cited is not None:
            entry["sides"][(str(row.claim), str(row.cited), str(row.section), str(row.anchor))] = None
    return tuple(IssueRecord(iri, e["label"], e["kind"], e["note"], tuple(e["about"]),
                             tuple(Side(*side) for side in e["sides"])) for iri, e in gathered.items())

"""The state of one build: the entries read so far, the issues found, the graph being written."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef

from kg.build import schema
from kg.build.anchors import SeedTexts
from kg.config import Settings
from kg.errors import DataIssue
from kg.build.yamlfile import Located
from kg.model.iris import entity_prefix

__all__ = ["BuildState", "Context", "Entry", "EvidenceItem", "as_list", "check_keys"]


@dataclass
class Entry:
    """One curated entry and the file it came from."""

    kind: schema.Kind
    data: Located
    path: str

    @property
    def id(self) -> str:
        """The entry's id as written."""
        return str(self.data.get("id", ""))


@dataclass
class BuildState:
    """Everything one build accumulates."""

    settings: Settings
    seeds: SeedTexts
    graph: Graph
    issues: list[DataIssue] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    conflicts: list[tuple[Located, str]] = field(default_factory=list)
    links: list[tuple[Located, str]] = field(default_factory=list)  # standalone ``links:`` items
    descriptions: list[tuple[Located, str]] = field(default_factory=list)  # ``descriptions:`` items
    source_issues: list[tuple[Located, str]] = field(default_factory=list)  # ``source_issues:`` items
    anchors_checked: int = 0
    anchors_skipped: int = 0

    def issue(self, path: str, line: int, entry: str, fld: str, message: str) -> None:
        """Record one problem; the build fails at the end if any were recorded."""
        self.issues.append(DataIssue(path, line, entry, fld, message))

    def refuse_unknown_fields(self, item: Located, path: str, entry: str, allowed: tuple[str, ...],
                              what: str) -> bool:
        """Record a problem for each field of ``item`` not in ``allowed`` (``what`` names the list it is in,
        e.g. ``descriptions``); True if there was one."""
        unknown = [key for key in item if key not in allowed]
        for key in unknown:
            self.issue(path, item.line_of(key) or item.line, entry, key,
                       f"unknown field for {what}; allowed: {', '.join(allowed)}")
        return bool(unknown)

    def iri(self, kind: schema.Kind, ident: str) -> URIRef:
        """The IRI minted for an entry: ``<base>id/<kind>/<id>``."""
        return URIRef(f"{entity_prefix(self.settings.base_iri)}{kind.slug}/{ident}")

    def iri_of(self, ident: str) -> URIRef:
        """The IRI of a registered entry, looked up by id."""
        entry = self.entries[ident]
        return self.iri(entry.kind, ident)


@dataclass(frozen=True)
class Context:
    """Where an item sits: file, entry, field and line, and the entry's default source."""

    path: str
    entry: str
    field: str
    line: int
    default_src: str | None


@dataclass(frozen=True)
class EvidenceItem:
    """One parsed piece of evidence."""

    src: str
    sec: str
    anchor: str
    support: URIRef
    note: str | None


def as_list(value: Any) -> list[Any]:
    """A list as is; anything else as a one-item list."""
    return value if isinstance(value, list) else [value]


def check_keys(build: BuildState, item: Located, allowed: set[str], ctx: Context) -> None:
    """Record an issue for every key of ``item`` not in ``allowed``."""
    for key in item:
        if key not in allowed:
            build.issue(ctx.path, item.line_of(key), ctx.entry, f"{ctx.field}.{key}",
                        f"unknown key; allowed: {', '.join(sorted(allowed))}")

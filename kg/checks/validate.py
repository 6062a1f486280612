"""Validating a built graph: SHACL shapes, anchors against the seed texts, and the conflict report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg.build.export import union_graph
from kg.build.anchors import normalise_space
from kg.errors import SeikgError
from kg.sparql.queries import bind_values, load_query
from kg.model.iris import entity_prefix
from kg.model.kinds import counted_classes

__all__ = ["AnchorCheck", "ConflictClaim", "ConflictRecord", "ValidationReport", "Violation",
           "check_anchors", "find_dangling", "list_conflicts", "validate_graph"]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result."""

    focus: str
    path: str
    value: str
    message: str
    severity: str
    shape: str


@dataclass(frozen=True)
class ConflictClaim:
    """One sourced claim in a conflict."""

    value: str
    source: str
    section: str
    anchor: str


@dataclass(frozen=True)
class ConflictRecord:
    """A recorded disagreement between sources."""

    iri: str
    about: str
    about_label: str
    property: str
    note: str
    claims: tuple[ConflictClaim, ...]


@dataclass(frozen=True)
class AnchorCheck:
    """The anchors looked up in their seed texts."""

    checked: int
    skipped: int
    missing: tuple[tuple[str, str, str], ...] = ()  # (evidence, source, anchor)
    seeds_available: bool = True


@dataclass(frozen=True)
class ValidationReport:
    """What ``seikg validate`` found. ``conforms`` is False on any violation or missing anchor."""

    violations: tuple[Violation, ...]
    anchors: AnchorCheck
    conflicts: tuple[ConflictRecord, ...]
    counts: dict[str, int] = field(default_factory=dict)
    dangling: tuple[tuple[str, str, str], ...] = ()  # (subject, predicate, undefined object)

    @property
    def conforms(self) -> bool:
        """True with no SHACL violation, no dangling reference, and every checked anchor found."""
        return not self.violations and not self.anchors.missing and not self.dangling

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "conforms": self.conforms,
            "violations": [v.__dict__ for v in self.violations],
            "anchors": {"checked": self.anchors.checked, "skipped": self.anchors.skipped,
                        "seeds_available": self.anchors.seeds_available,
                        "missing": [dict(zip(("evidence", "source", "anchor"), m))
                                    for m in self.anchors.missing]},
            "conflicts": [{"iri": c.iri, "about": c.about, "about_label": c.about_label,
                           "property": c.property, "note": c.note,
                           "claims": [claim.__dict__ for claim in c.claims]} for c in self.conflicts],
            "counts": self.counts,
            "dangling": [dict(zip(("subject", "predicate", "object"), d)) for d in self.dangling],
        }


def validate_graph(data: Dataset | Graph, shapes: Graph, *, seeds_dir: Path | None,
                   base_iri: str = "https://w3id.org/seikg/") -> ValidationReport:
    """Run the SHACL shapes, referential integrity, the anchor check and the conflict report.

    ``data`` must include the ontology, so that targets reach subclass instances.

    Raises
    ------
    kg.errors.SeikgError
        If pySHACL itself fails (for example on a malformed shapes graph).
    """
    graph = union_graph(data)
    try:
        _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                         allow_warnings=True)
    except Exception as exc:  # pyshacl raises its own hierarchy and plain errors alike
        raise SeikgError(f"SHACL validation could not run: {exc}") from exc
    if not isinstance(results, Graph):  # pyshacl returns a failure object instead of raising
        raise SeikgError(f"SHACL validation could not run: {results}")
    violations = tuple(sorted(_violations(results, shapes)))
    return ValidationReport(violations, check_anchors(graph, seeds_dir), list_conflicts(graph),
                            class_counts(graph), find_dangling(graph, base_iri))


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        def one(predicate: URIRef) -> str:
            value = results.value(result, predicate)
            return "" if value is None else str(value)
        severity = one(SH.resultSeverity).rsplit("#", 1)[-1]
        if severity == "Info":
            continue
        shape = _named_shape(shapes, results.value(result, SH.sourceShape))
        found.append(Violation(one(SH.focusNode), one(SH.resultPath), one(SH.value),
                               one(SH.resultMessage), severity, shape))
    return found


def _named_shape(shapes: Graph, source: object) -> str:
    """The named node shape a result comes from; property shapes are blank nodes inside it."""
    if isinstance(source, URIRef):
        return str(source)
    owner = shapes.value(None, SH.property, source)  # type: ignore[arg-type]
    return str(owner) if owner is not None else str(source)


def check_anchors(graph: Graph, seeds_dir: Path | None) -> AnchorCheck:
    """Look every evidence anchor up, whitespace collapsed, in its source's seed text.

    Anchors of sources with no seed file (official documents curated outside
    the seeds) are counted as skipped, as are all anchors when ``seeds_dir`` is None.
    """
    rows = list(graph.query(load_query("anchors")))
    if seeds_dir is None:
        return AnchorCheck(0, len(rows), seeds_available=False)
    texts: dict[str, str | None] = {}
    checked = skipped = 0
    missing = []
    for evidence, source, seed_file, anchor in rows:
        if seed_file is None:
            skipped += 1
            continue
        name = str(seed_file)
        if name not in texts:
            path = Path(seeds_dir) / name
            texts[name] = normalise_space(path.read_text(encoding="utf-8")) if path.is_file() else None
        text = texts[name]
        if text is None:
            skipped += 1
            continue
        checked += 1
        if normalise_space(str(anchor)) not in text:
            missing.append((str(evidence), str(source), str(anchor)))
    return AnchorCheck(checked, skipped, tuple(missing))


def find_dangling(graph: Graph, base_iri: str) -> tuple[tuple[str, str, str], ...]:
    """Links to minted IRIs (``<base>id/...``) that nothing in the graph defines."""
    rows = graph.query(load_query("dangling"), initBindings={"base": Literal(entity_prefix(base_iri))})
    return tuple((str(s), str(p), str(o)) for s, p, o in rows)


def list_conflicts(graph: Graph) -> tuple[ConflictRecord, ...]:
    """Every seikg:Conflict in the graph with its claims, from the ``conflicts`` query."""
    records: dict[str, dict] = {}
    for row in graph.query(load_query("conflicts")):
        conflict, about, label, prop, note, value, source, section, anchor = row
        record = records.setdefault(str(conflict), {
            "iri": str(conflict), "about": str(about), "about_label": str(label),
            "property": str(prop), "note": str(note), "claims": []})
        shown = str(value) if isinstance(value, Literal) else value.n3()
        record["claims"].append(ConflictClaim(shown, str(source), str(section), str(anchor)))
    return tuple(ConflictRecord(**{**r, "claims": tuple(r["claims"])}) for r in records.values())


def class_counts(graph: Graph) -> dict[str, int]:
    """Entities per core class (local names), from the ``class_counts`` query."""
    return {str(cls).rsplit("#", 1)[-1]: int(count) for cls, count in graph.query(
        bind_values(load_query("class_counts"), counted_classes()))}

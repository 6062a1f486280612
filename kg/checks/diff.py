"""What changed between two versions of the graph, per entity: added and removed entities, links, labels,
texts and values, and links whose evidence changed.

Both sides are RDF datasets (every named graph counts). An *entity* is a subject with a minted entity IRI of a kind of the
registry (:func:`kg.model.iris.kind_of_iri`, :data:`kg.model.kinds.KINDS`); a *link* is a statement whose object is another IRI; a *label* is an
``rdfs:label``, ``skos:altLabel`` or ``dcterms:description`` per language, and a single value replaced by
another under the same predicate and language is reported as changed, not as one removal and one addition.
A link kept on both sides whose evidence (source, section, anchor, support) differs is reported with both
evidence sets. Evidence and description nodes are compared through the links they support, not as entities;
a list (an author list) is compared by its members in order, as a value.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import Dataset
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.model.iris import kind_of_iri
from kg.model.kinds import KINDS
from kg.model.vocab import SEIKG

__all__ = ["Change", "EntityChange", "GraphDiff", "diff_graphs"]

_TEXTS = {RDFS.label: "label", SKOS.altLabel: "altLabel", DCTERMS.description: "description"}
_EVIDENCE_KEYS = (SEIKG.inSource, SEIKG.section, SEIKG.anchor, SEIKG.support)


@dataclass(frozen=True)
class Change:
    """One change of an entity.

    ``change`` is ``added``, ``removed`` or ``changed``; ``what`` is ``link``, ``label``, ``value`` or
    ``evidence``; ``predicate`` is the property's IRI (with ``@lang`` for a label); ``old`` and ``new``
    are the values before and after (None where there is none).
    """

    change: str
    what: str
    predicate: str
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True)
class EntityChange:
    """An entity that is new, gone, or changed, with its label (the new one if it has one) and every change."""

    iri: str
    kind: str
    label: str
    status: str  # "added", "removed" or "changed"
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class GraphDiff:
    """Every changed entity between ``old`` and ``new`` (named as the user gave them), sorted by kind and IRI."""

    old: str
    new: str
    entities: tuple[EntityChange, ...]

    def counts(self) -> dict[str, int]:
        """How many entities were added, removed and changed, and how many single changes there are."""
        counts = {"added": 0, "removed": 0, "changed": 0, "changes": 0}
        for entity in self.entities:
            counts[entity.status] += 1
            counts["changes"] += len(entity.changes)
        return counts


def diff_graphs(old: Graph, new: Graph, base_iri: str, *, old_name: str = "old", new_name: str = "new"
                ) -> GraphDiff:
    """Compare two versions of the graph entity by entity (see the module docstring)."""
    before, after = _Side(old, base_iri), _Side(new, base_iri)
    entities = []
    for iri in sorted(before.statements.keys() | after.statements.keys(),
                      key=lambda i: (kind_of_iri(i, base_iri) or ("", ""), i)):
        old_facts, new_facts = before.statements.get(iri, set()), after.statements.get(iri, set())
        changes = _changes(old_facts, new_facts) + _evidence_changes(iri, old_facts & new_facts, before, after)
        if not changes:
            continue
        status = "added" if not old_facts else "removed" if not new_facts else "changed"
        kind = (kind_of_iri(iri, base_iri) or ("", ""))[0]
        entities.append(EntityChange(iri, kind, after.label(iri) or before.label(iri) or iri.rsplit("/", 1)[-1],
                                     status, tuple(changes)))
    return GraphDiff(old_name, new_name, tuple(entities))


Fact = tuple[str, str, str, str | None]  # (what, predicate, value, language)


class _Side:
    """One version: each entity's facts, and the evidence of each link."""

    def __init__(self, graph: Graph, base_iri: str) -> None:
        self.statements: defaultdict[str, set[Fact]] = defaultdict(set)
        self.evidence: defaultdict[tuple[str, str, str], set[str]] = defaultdict(set)
        self._labels: dict[str, str] = {}
        triples: Iterable = (graph.quads((None, None, None, None)) if isinstance(graph, Dataset)
                             else ((s, p, o, None) for s, p, o in graph))
        reified: defaultdict[URIRef, dict[URIRef, object]] = defaultdict(dict)
        slugs = {kind.slug for kind in KINDS.values()}
        lists: defaultdict[BNode, dict[URIRef, object]] = defaultdict(dict)  # rdf:List nodes (an author list)
        pending: list[tuple[str, URIRef, BNode]] = []
        for s, p, o, _ in triples:
            if isinstance(s, BNode) and p in (RDF.first, RDF.rest):
                lists[s][p] = o
                continue
            if not isinstance(s, URIRef):
                continue
            if p in (RDF.subject, RDF.predicate, RDF.object, *_EVIDENCE_KEYS):
                reified[s][p] = o
            if (kind_of_iri(str(s), base_iri) or ("", ""))[0] not in slugs:
                continue
            if isinstance(o, BNode):  # compared by what it holds: a blank node's label differs from side to side
                pending.append((str(s), p, o))
                continue
            self.statements[str(s)].add(_fact(p, o))
            if p == RDFS.label and isinstance(o, Literal) and o.language in (None, "", "en"):
                self._labels[str(s)] = str(o)
        for subject, p, head in pending:
            items, node = [], head
            while isinstance(node, BNode) and node in lists and len(items) < 1000:
                items.append(str(lists[node].get(RDF.first, "")))
                node = lists[node].get(RDF.rest)
            self.statements[subject].add(("value", str(p), "(" + "; ".join(items) + ")", None))
        for fields in reified.values():
            if RDF.subject in fields and RDF.predicate in fields and RDF.object in fields and SEIKG.inSource in fields:
                key = (str(fields[RDF.subject]), str(fields[RDF.predicate]), str(fields[RDF.object]))
                source, section, anchor, support = (_short(fields.get(k), base_iri) for k in _EVIDENCE_KEYS)
                support = {"ResolvedFromContext": "resolved"}.get(support, support.lower())
                self.evidence[key].add(f"{source} | {section} | {anchor} | {support}")

    def label(self, iri: str) -> str | None:
        return self._labels.get(iri)


def _fact(p: URIRef, o: object) -> Fact:
    if isinstance(o, Literal):
        what = "label" if p in _TEXTS else "value"
        return (what, str(p), str(o), o.language or None)
    return ("link", str(p), str(o), None)


def _short(value: object, base_iri: str) -> str:
    if value is None:
        return "stated"
    text = str(value)
    found = kind_of_iri(text, base_iri)
    return found[1] if found else text.rsplit("#", 1)[-1]


def _predicate(fact: Fact) -> str:
    return fact[1] + (f"@{fact[3]}" if fact[3] else "")


def _changes(old: set[Fact], new: set[Fact]) -> list[Change]:
    removed: defaultdict[tuple[str, str, str | None], list[Fact]] = defaultdict(list)
    added: defaultdict[tuple[str, str, str | None], list[Fact]] = defaultdict(list)
    for fact in old - new:
        removed[(fact[0], fact[1], fact[3])].append(fact)
    for fact in new - old:
        added[(fact[0], fact[1], fact[3])].append(fact)
    changes = []
    for key in sorted(removed.keys() | added.keys(), key=lambda k: (k[0], k[1], k[2] or "")):
        gone, came = sorted(removed.get(key, [])), sorted(added.get(key, []))
        if key[0] != "link" and len(gone) == len(came) == 1:  # one value replaced by another
            changes.append(Change("changed", key[0], _predicate(gone[0]), gone[0][2], came[0][2]))
            continue
        changes += [Change("removed", f[0], _predicate(f), old=f[2]) for f in gone]
        changes += [Change("added", f[0], _predicate(f), new=f[2]) for f in came]
    return changes


def _evidence_changes(iri: str, kept: set[Fact], before: _Side, after: _Side) -> list[Change]:
    changes = []
    for fact in sorted(f for f in kept if f[0] == "link"):
        key = (iri, fact[1], fact[2])
        old, new = before.evidence.get(key, set()), after.evidence.get(key, set())
        if old != new:
            changes.append(Change("changed", "evidence", f"{fact[1]} -> {fact[2]}",
                                  "; ".join(sorted(old)) or None, "; ".join(sorted(new)) or None))
    return changes

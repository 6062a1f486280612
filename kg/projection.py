"""The one bridge from RDF to NetworkX: named projections of the entity graph over an allow-list.

Only the properties in :data:`EDGE_PREDICATES` become edges. Literals and
``rdf:type`` objects never become nodes; every entity of a known class
(:data:`ENTITY_CLASSES`) is a node, linked or not. Node attributes: ``iri``,
``kind`` (``policy``, ``actor``, ...), ``class`` (its seikg class IRI),
``types``, ``label``, ``label_zh``, ``date`` (the earliest ``dcterms:issued``)
``dates`` and ``statistics`` (its quantitative facts, :class:`kg.model.records.Statistic`). The entity projection is a :class:`networkx.MultiDiGraph` whose
edges are keyed by predicate, so parallel links survive, and each edge carries
the evidence that supports it.

The projections are computed once per graph version (see
:class:`kg.analyses.AnalysisSuite`); web requests only read them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import networkx as nx
import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib import Literal as RdfLiteral
from rdflib.graph import Dataset

from kg.errors import InvalidArgument, NotFoundError, StoreUnavailable
from kg.model.kinds import edge_predicates, view_classes
from kg.model.records import Evidence, Statistic

if TYPE_CHECKING:
    from kg.config import Settings

__all__ = ["EDGE_PREDICATES", "ENTITY_CLASSES", "PROJECTIONS", "Lit", "Projections", "parse_ntriples",
           "project_file", "project_graph", "project_source", "project_triples"]

SEIKG = "https://w3id.org/seikg/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_ISSUED = "http://purl.org/dc/terms/issued"

#: class IRI -> kind of node (from the kinds registry: the kinds drawn in views)
ENTITY_CLASSES: dict[str, str] = view_classes()

#: the allow-list: predicate IRI -> short name of the edge (from the registry's links)
EDGE_PREDICATES: dict[str, str] = edge_predicates()

#: the named projections and what each holds
PROJECTIONS: dict[str, str] = {
    "entity": "every entity and every allow-listed link between them (directed, parallel links kept)",
    "co-issuance": "actors, linked when they jointly issued a policy; weight = number of such policies",
    "policy-mechanism": "bipartite: policies and the mechanisms they establish",
    "mechanism-problem": "bipartite: mechanisms and the problems they address",
    "region-hierarchy": "regions, each linked to the region it is part of (child -> parent)",
}

_SUPPORT = {SEIKG + "Stated": "stated", SEIKG + "Implied": "implied", SEIKG + "ResolvedFromContext": "resolved"}


class Lit(NamedTuple):
    """A literal object: its lexical value, language tag and datatype IRI."""

    value: str
    language: str | None = None
    datatype: str | None = None


Term = str | Lit  # an IRI (or "_:" blank node id), or a literal


@dataclass(frozen=True)
class Projections:
    """The named projections of one graph version."""

    version: str
    entity: nx.MultiDiGraph
    co_issuance: nx.Graph
    policy_mechanism: nx.Graph
    mechanism_problem: nx.Graph
    region_hierarchy: nx.DiGraph
    #: whether the links that rest only on cross-paper inferences are in (see :meth:`without_cross_source`)
    cross_source: bool = True

    def cross_source_links(self) -> list[tuple[str, str]]:
        """The ``addressesProblem`` links whose every piece of evidence is a cross-paper inference, sorted:
        a mechanism of one source linked to a problem that only other sources identify."""
        return list(self._cross_source_links)

    @cached_property
    def _cross_source_links(self) -> tuple[tuple[str, str], ...]:
        # found once per projection (the graphs are not changed once built): every result's method names their
        # count, and scanning every edge for each of a graph's regions took 50 s of the analyses at 1M triples
        return tuple(sorted((u, v) for u, v, key, data in self.entity.edges(keys=True, data=True)
                            if key == "addressesProblem" and data["evidence"]
                            and all(e.cross_source for e in data["evidence"])))

    def without_cross_source(self) -> Projections:
        """These projections without the links of :meth:`cross_source_links` (``cross_source`` False).
        A link that one source states or implies of its own problem stays, whatever else supports it."""
        if not self.cross_source:
            return self
        entity = self.entity.copy()
        for u, v in self.cross_source_links():
            entity.remove_edge(u, v, key="addressesProblem")
        return _assemble(self.version, entity, cross_source=False)

    def get(self, name: str) -> nx.Graph:
        """The projection called ``name`` (a key of :data:`PROJECTIONS`).

        Raises
        ------
        kg.errors.InvalidArgument
            If there is no such projection.
        """
        if name not in PROJECTIONS:
            raise InvalidArgument(f"projection: no projection {name!r}; one of: {', '.join(PROJECTIONS)}")
        return getattr(self, name.replace("-", "_"))

    def nodes_of(self, kind: str) -> list[str]:
        """The IRIs of every entity of ``kind``, sorted."""
        return sorted(n for n, k in self.entity.nodes(data="kind") if k == kind)

    def label(self, iri: str) -> str:
        """The entity's English label, or its IRI's last segment."""
        data = self.entity.nodes.get(iri)
        return (data or {}).get("label") or iri.rstrip("/").rsplit("/", 1)[-1]

    def targets(self, iri: str, name: str) -> list[str]:
        """Objects of the ``name`` links (a value of :data:`EDGE_PREDICATES`) from ``iri``, sorted."""
        if iri not in self.entity:
            return []
        return sorted({v for _, v, key in self.entity.out_edges(iri, keys=True) if key == name})

    def sources(self, iri: str, name: str) -> list[str]:
        """Subjects of the ``name`` links to ``iri``, sorted."""
        if iri not in self.entity:
            return []
        return sorted({u for u, _, key in self.entity.in_edges(iri, keys=True) if key == name})

    def evidence(self, subject: str, name: str, obj: str) -> tuple[Evidence, ...]:
        """The evidence for the link ``subject --name--> obj`` (empty if there is none)."""
        data = self.entity.get_edge_data(subject, obj, key=name)
        return data["evidence"] if data else ()


def project_triples(triples: Iterable[tuple[str, str, Term]], *, version: str = "") -> Projections:
    """Build every named projection from ``(subject, predicate, object)`` terms (see :class:`Lit`)."""
    kinds: dict[str, str] = {}
    types: defaultdict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    labels_zh: dict[str, str] = {}
    dates: defaultdict[str, set[str]] = defaultdict(set)
    links: set[tuple[str, str, str]] = set()
    evidence: defaultdict[str, dict[str, Term]] = defaultdict(dict)
    quantity_of: dict[str, str] = {}
    quantities: defaultdict[str, dict[str, Term]] = defaultdict(dict)
    indicated: defaultdict[str, set[str]] = defaultdict(set)
    classes, edges = view_classes(), edge_predicates()  # read from the registry at each projection
    for s, p, o in triples:
        if p == _RDF + "type":
            if isinstance(o, str):
                types[s].add(o)
                if o in classes:
                    kinds[s] = o
        elif p in edges:
            if isinstance(o, str):
                links.add((s, p, o))
        elif p == _RDFS + "label" and isinstance(o, Lit):
            if o.language == "zh":
                labels_zh.setdefault(s, o.value)
            elif o.language in (None, "", "en") and (s not in labels or o.language == "en"):
                labels[s] = o.value
        elif p == _ISSUED and isinstance(o, Lit):
            dates[s].add(o.value)
        elif p in _EVIDENCE_FIELDS:
            evidence[s][_EVIDENCE_FIELDS[p]] = o
        elif p == _HAS_QUANTITY and isinstance(o, str):
            quantity_of[o] = s
        elif p in _QUANTITY_FIELDS:
            quantities[s][_QUANTITY_FIELDS[p]] = o
        elif p == _INDICATES and isinstance(o, str):
            indicated[s].add(o)
    entity = nx.MultiDiGraph(version=version)
    cited = _evidence_index(evidence, labels)
    statistics = _statistics(quantity_of, quantities, indicated, labels, cited)
    for iri, cls in sorted(kinds.items()):
        entity.add_node(iri, iri=iri, kind=classes[cls], **{"class": cls},
                        types=tuple(sorted(t for t in types[iri] if t.startswith(SEIKG) and t != cls)),
                        label=labels.get(iri, iri.rstrip("/").rsplit("/", 1)[-1]), label_zh=labels_zh.get(iri),
                        date=min(dates[iri]) if dates[iri] else None, dates=tuple(sorted(dates[iri])),
                        statistics=statistics.get(iri, ()))
    for s, p, o in sorted(links):
        for node in (s, o):
            if node not in entity:
                entity.add_node(node, iri=node, kind=None, **{"class": None}, types=(), label=labels.get(node, node),
                                label_zh=None, date=None, dates=(), statistics=())
        name = edges[p]
        entity.add_edge(s, o, key=name, predicate=p, evidence=cited.get((s, p, o), ()))
    return _assemble(version, entity)


def _assemble(version: str, entity: nx.MultiDiGraph, *, cross_source: bool = True) -> Projections:
    return Projections(version, entity, _co_issuance(entity), _bipartite(entity, "policy", "establishesMechanism",
                       "mechanism"), _bipartite(entity, "mechanism", "addressesProblem", "problem"),
                       _region_hierarchy(entity), cross_source)


_EVIDENCE_FIELDS = {_RDF + "subject": "s", _RDF + "predicate": "p", _RDF + "object": "o", SEIKG + "inSource": "source",
                    SEIKG + "section": "section", SEIKG + "anchor": "anchor", SEIKG + "support": "support",
                    SEIKG + "crossSource": "cross"}


_HAS_QUANTITY = SEIKG + "hasQuantity"
_INDICATES = SEIKG + "indicatesProblem"
_QUANTITY_FIELDS = {SEIKG + "measure": "measure", _RDF + "value": "value", SEIKG + "unit": "unit",
                    SEIKG + "isTarget": "target", SEIKG + "referencePeriod": "period"}


def _statistics(quantity_of: dict[str, str], quantities: dict[str, dict[str, Term]],
                indicated: dict[str, set[str]], labels: dict[str, str],
                cited: dict[tuple[str, str, str], tuple[Evidence, ...]]) -> dict[str, tuple[Statistic, ...]]:
    """Each entity's quantitative facts, sorted by measure; the evidence is that of the fact's value, and each
    indicated problem carries the evidence of its ``indicatesProblem`` statement."""
    found: defaultdict[str, list[Statistic]] = defaultdict(list)
    for quantity, owner in quantity_of.items():
        fields = quantities.get(quantity, {})
        measure, value, unit = fields.get("measure"), fields.get("value"), fields.get("unit")
        if not (isinstance(measure, Lit) and isinstance(value, Lit)):
            continue
        try:
            number = float(value.value)
        except ValueError:
            continue
        target, period = fields.get("target"), fields.get("period")
        found[owner].append(Statistic(
            quantity, labels.get(quantity, measure.value), measure.value, number,
            unit.rsplit("/", 1)[-1] if isinstance(unit, str) else "",
            isinstance(target, Lit) and target.value in ("true", "1"),
            period.value if isinstance(period, Lit) else None, cited.get((quantity, _RDF + "value", ""), ()),
            tuple((problem, cited.get((quantity, _INDICATES, problem), ()))
                  for problem in sorted(indicated.get(quantity, ())))))
    return {owner: tuple(sorted(items, key=lambda s: (s.measure, s.period or "", s.iri)))
            for owner, items in found.items()}


def _evidence_index(evidence: dict[str, dict[str, Term]], labels: dict[str, str]
                    ) -> dict[tuple[str, str, str], tuple[Evidence, ...]]:
    """Evidence by the statement it supports; a statement with a literal object (a quantity's value) is keyed
    with an empty object."""
    index: defaultdict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for fields in evidence.values():
        s, p, o, source = fields.get("s"), fields.get("p"), fields.get("o"), fields.get("source")
        if isinstance(o, Lit):
            o = ""
        if not (isinstance(s, str) and isinstance(p, str) and isinstance(o, str) and isinstance(source, str)):
            continue
        section, anchor = fields.get("section"), fields.get("anchor")
        support = fields.get("support")
        index[(s, p, o)].append(Evidence(
            source, labels.get(source, source), section.value if isinstance(section, Lit) else "",
            anchor.value if isinstance(anchor, Lit) else "",
            _SUPPORT.get(support, "stated") if isinstance(support, str) else "stated",
            isinstance(fields.get("cross"), Lit) and fields["cross"].value in ("true", "1")))
    return {key: tuple(sorted(set(items), key=lambda e: (e.source, e.section, e.anchor)))
            for key, items in index.items()}


def _copy_nodes(entity: nx.MultiDiGraph, graph: nx.Graph, kind: str, **extra: object) -> None:
    for node, data in entity.nodes(data=True):
        if data["kind"] == kind:
            graph.add_node(node, **data, **extra)


def _co_issuance(entity: nx.MultiDiGraph) -> nx.Graph:
    graph = nx.Graph(projection="co-issuance")
    _copy_nodes(entity, graph, "actor")
    for policy in sorted(n for n, k in entity.nodes(data="kind") if k == "policy"):
        issuers = sorted({v for _, v, key in entity.out_edges(policy, keys=True) if key == "issuedBy"})
        for i, a in enumerate(issuers):
            for b in issuers[i + 1:]:
                if graph.has_edge(a, b):
                    graph[a][b]["weight"] += 1
                    graph[a][b]["policies"] += (policy,)
                else:
                    graph.add_edge(a, b, weight=1, policies=(policy,))
    return graph


def _bipartite(entity: nx.MultiDiGraph, left: str, name: str, right: str) -> nx.Graph:
    graph = nx.Graph(projection=f"{left}-{right}")
    _copy_nodes(entity, graph, left, bipartite=0)
    _copy_nodes(entity, graph, right, bipartite=1)
    for u, v, key in entity.edges(keys=True):
        if key == name and u in graph and v in graph:
            graph.add_edge(u, v, predicate=SEIKG + name)
    return graph


def _region_hierarchy(entity: nx.MultiDiGraph) -> nx.DiGraph:
    graph = nx.DiGraph(projection="region-hierarchy")
    _copy_nodes(entity, graph, "region")
    for u, v, key in entity.edges(keys=True):
        if key == "partOfRegion" and u in graph and v in graph:
            graph.add_edge(u, v, predicate=SEIKG + "partOfRegion")
    return graph


def project_graph(graph: Graph, *, version: str = "") -> Projections:
    """Project an rdflib graph or dataset (every named graph of a dataset counts)."""
    if isinstance(graph, Dataset):
        triples: Iterable = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
    else:
        triples = graph.triples((None, None, None))
    return project_triples(_from_rdflib(triples), version=version)


def _from_rdflib(triples: Iterable) -> Iterator[tuple[str, str, Term]]:
    for s, p, o in triples:
        if isinstance(o, RdfLiteral):
            yield _rdflib_node(s), str(p), Lit(str(o), o.language, str(o.datatype) if o.datatype else None)
        else:
            yield _rdflib_node(s), str(p), _rdflib_node(o)


def _rdflib_node(node: object) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE,
            ".trig": ox.RdfFormat.TRIG}


def project_file(path: str | Path, *, version: str = "") -> Projections:
    """Project an RDF file (N-Quads, N-Triples, Turtle or TriG, by suffix), streamed without a store.

    Raises
    ------
    kg.errors.StoreUnavailable
        If the file cannot be read or parsed (the message names the file and line).
    kg.errors.InvalidArgument
        If the suffix is not one of .nq, .nt, .ttl, .trig.
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidArgument(f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(_FORMATS)}")
    try:
        return project_triples(_from_oxigraph(ox.parse(path=str(path), format=fmt)), version=version)
    except (OSError, SyntaxError) as exc:
        raise StoreUnavailable(f"{path}: cannot read the graph: {exc}") from exc


def _from_oxigraph(quads: Iterable) -> Iterator[tuple[str, str, Term]]:
    for quad in quads:
        o = quad.object
        if isinstance(o, ox.Literal):
            obj: Term = Lit(o.value, o.language, o.datatype.value if o.datatype else None)
        else:
            obj = f"_:{o.value}" if isinstance(o, ox.BlankNode) else o.value
        s = quad.subject
        yield (f"_:{s.value}" if isinstance(s, ox.BlankNode) else s.value), quad.predicate.value, obj


def parse_ntriples(data: bytes) -> list[tuple[str, str, Term]]:
    """The triples of an N-Triples document (such as a CONSTRUCT result) as terms (see :class:`Lit`).

    Raises
    ------
    kg.errors.StoreUnavailable
        If the document cannot be parsed.
    """
    try:
        return list(_from_oxigraph(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
    except SyntaxError as exc:
        raise StoreUnavailable(f"cannot read the query result: {exc}") from exc


def project_source(settings: "Settings", graph: Path | None = None) -> Projections:
    """Project the RDF file ``graph`` (the CLI's ``--graph``), or else the graph built from ``settings``.

    Raises
    ------
    kg.errors.NotFoundError
        If ``graph`` is given and is not a file.
    kg.errors.LoadError, kg.errors.StoreUnavailable
        If the data or the file cannot be read.
    """
    if graph is not None:
        if not Path(graph).is_file():
            raise NotFoundError(f"--graph: no file {graph}")
        return project_file(graph, version=Path(graph).name)
    from kg.build.loader import build_dataset
    return project_graph(build_dataset(settings).dataset, version="data")

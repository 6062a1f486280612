"""Names to look for in a text: the graph's own entities (labels and alternative labels) and a shipped
list of Chinese provinces and cities, and fuzzy matching of a proposed name against them.

A gazetteer is built from a graph, never from the data files directly, so that the leave-one-out
evaluation can hand ingest a graph from which the held-out paper's entries have been removed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.build.export import union_graph
from kg.model.vocab import SEIKG

__all__ = ["KIND_CLASSES", "Gazetteer", "Known", "Match", "normalise_name"]

#: The kinds ingest proposes, with the class that marks them in the graph.
KIND_CLASSES = {"policies": SEIKG.PolicyDocument, "actors": SEIKG.Actor, "regions": SEIKG.Region,
                "mechanisms": SEIKG.Mechanism, "problems": SEIKG.Problem}
_PLACES = Path(__file__).with_name("places.tsv")
_ARTICLES = re.compile(r"^(the|a|an)\s+")


def normalise_name(name: str) -> str:
    """Lower case, single spaces, no leading article, no trailing plural s, hyphens as spaces."""
    text = " ".join(re.sub(r"[-‐–—_/]", " ", name.lower()).split())
    text = _ARTICLES.sub("", text)
    text = re.sub(r"[\"'“”‘’.,;:()\[\]]", "", text).strip()
    return re.sub(r"(?<=[a-z]{3})s$", "", text)


@dataclass(frozen=True)
class Known:
    """An entity the gazetteer knows: its kind, id, type, preferred label, and every name it goes by."""

    kind: str
    id: str
    type: str
    label: str
    names: tuple[str, ...]
    parent: str | None = None  # for places: the region one level up, when the shipped list says


@dataclass(frozen=True)
class Match:
    """A proposed name matched to a known entity, with how well and by which name."""

    known: Known
    score: float
    by: str


@dataclass
class Gazetteer:
    """Every known entity by kind, and an index from normalised name to entities."""

    entities: list[Known] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_name: dict[str, list[Known]] = {}
        for known in self.entities:
            for name in known.names:
                self._by_name.setdefault(normalise_name(name), []).append(known)

    @classmethod
    def from_graph(cls, graph: Graph, base_iri: str, *, places: bool = True, actor_kinds: bool = True
                   ) -> "Gazetteer":
        """The entities of ``graph`` (a Dataset's union or a plain graph), plus the shipped places and
        generic actor kinds (each unless turned off)."""
        graph = union_graph(graph)
        entities: list[Known] = []
        for kind, rdf_class in KIND_CLASSES.items():
            for subject in set(graph.subjects(RDF.type, rdf_class)):
                if not isinstance(subject, URIRef) or not str(subject).startswith(base_iri):
                    continue
                labels = [str(o) for o in graph.objects(subject, RDFS.label) if getattr(o, "language", None) in
                          (None, "en", "zh")]
                alt = [str(o) for o in graph.objects(subject, SKOS.altLabel)]
                english = [str(o) for o in graph.objects(subject, RDFS.label) if getattr(o, "language", None) == "en"]
                types = sorted(str(t).rsplit("#", 1)[-1] for t in graph.objects(subject, RDF.type)
                               if str(t).startswith(str(SEIKG)) and t != rdf_class)
                parent = next((str(o).rsplit("/", 1)[-1] for o in graph.objects(subject, SEIKG.partOfRegion)), None)
                entities.append(Known(kind, str(subject).rsplit("/", 1)[-1], types[0] if types else "",
                                      (english or labels or [""])[0], tuple(dict.fromkeys(labels + alt)), parent))
        if places:
            known_ids = {e.id for e in entities if e.kind == "regions"}
            entities += [p for p in shipped_places() if p.id not in known_ids]
        if actor_kinds:
            known_names = {normalise_name(n) for e in entities if e.kind == "actors" for n in e.names}
            entities += [k for k in shipped_actor_kinds() if not known_names & {normalise_name(n) for n in k.names}]
        return cls(sorted(entities, key=lambda e: (e.kind, e.id)))

    def of_kind(self, kind: str) -> list[Known]:
        """The known entities of one kind."""
        return [e for e in self.entities if e.kind == kind]

    def by_id(self, kind: str, ident: str) -> Known | None:
        """The known entity of ``kind`` with id ``ident``."""
        return next((e for e in self.entities if e.kind == kind and e.id == ident), None)

    def names(self, kinds: tuple[str, ...] | None = None) -> dict[str, list[Known]]:
        """Normalised name -> entities, for the given kinds."""
        if kinds is None:
            return self._by_name
        return {n: [k for k in ks if k.kind in kinds] for n, ks in self._by_name.items()
                if any(k.kind in kinds for k in ks)}

    def match(self, kind: str, name: str, *, threshold: float = 88.0) -> Match | None:
        """The best known entity of ``kind`` for ``name``: exact on a normalised label or alternative label
        (score 100), else fuzzy (rapidfuzz token-sort ratio) at or above ``threshold``."""
        from rapidfuzz import fuzz

        wanted = normalise_name(name)
        exact = [k for k in self._by_name.get(wanted, []) if k.kind == kind]
        if exact:
            return Match(exact[0], 100.0, next(n for n in exact[0].names if normalise_name(n) == wanted))
        best: Match | None = None
        for known in self.of_kind(kind):
            for candidate in known.names:
                score = fuzz.token_sort_ratio(wanted, normalise_name(candidate))
                if score >= threshold and (best is None or score > best.score):
                    best = Match(known, round(score, 1), candidate)
        return best


def shipped_actor_kinds() -> list[Known]:
    """Generic kinds of participant ("enterprises", "industry associations"), from ``actor_kinds.tsv``."""
    out = []
    with _PLACES.with_name("actor_kinds.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            names = [row["name"], *[n for n in row.get("alt", "").split("|") if n]]
            out.append(Known("actors", row["id"], row["type"], row["name"], tuple(names)))
    return out


def shipped_places() -> list[Known]:
    """China, its provincial-level divisions and prefecture-level cities, from ``places.tsv``
    (English name, Chinese name, level, parent id; after the Ministry of Civil Affairs' register)."""
    out = []
    with _PLACES.open(encoding="utf-8") as handle:
        for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            names = [row["name"], row["name_zh"], *[n for n in row.get("alt", "").split("|") if n]]
            out.append(Known("regions", row["id"], row["level"], row["name"], tuple(names), row["parent"] or None))
    return out

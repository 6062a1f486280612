"""Turning the curated files in ``data/`` into one RDF dataset, deterministically.

Each YAML file holds one or more top-level lists keyed by kind (``policies``,
``actors``, ...; see :mod:`kg.schema`). Every link and dated value carries its
evidence, which becomes a :class:`seikg:Evidence` node reifying the triple.
All problems are collected and raised together as one :class:`LoadError`.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import schema
from .anchors import SeedTexts, count_words
from .config import Settings
from .errors import DataIssue, LoadError
from .ontology import load_ontology
from .vocab import SEIKG
from .yamlfile import Located, read_yaml

__all__ = ["BuiltGraph", "build_dataset", "graph_iris"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_MAX_ANCHOR_WORDS = 12


def graph_iris(base: str) -> tuple[URIRef, URIRef]:
    """The named graphs of a build: (ontology graph, data graph)."""
    return URIRef(base + "graph/ontology"), URIRef(base + "graph/data")


@dataclass(frozen=True)
class BuiltGraph:
    """The result of a build: the dataset and what went into it."""

    dataset: Dataset
    files: tuple[str, ...]
    entity_counts: dict[str, int]
    anchors_checked: int
    anchors_skipped: int


@dataclass
class _Entry:
    kind: schema.Kind
    data: Located
    path: str

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))


@dataclass
class _Build:
    settings: Settings
    seeds: SeedTexts
    graph: Graph
    issues: list[DataIssue] = field(default_factory=list)
    entries: dict[str, _Entry] = field(default_factory=dict)
    conflicts: list[tuple[Located, str]] = field(default_factory=list)
    anchors_checked: int = 0
    anchors_skipped: int = 0

    # -- helpers ---------------------------------------------------------
    def issue(self, path: str, line: int, entry: str, fld: str, message: str) -> None:
        self.issues.append(DataIssue(path, line, entry, fld, message))

    def iri(self, kind: schema.Kind, ident: str) -> URIRef:
        return URIRef(f"{self.settings.base_iri}id/{kind.slug}/{ident}")

    def iri_of(self, ident: str) -> URIRef:
        entry = self.entries[ident]
        return self.iri(entry.kind, ident)


def build_dataset(settings: Settings) -> BuiltGraph:
    """Read ``settings.data_dir`` and the ontology into a Dataset with two named graphs.

    The ontology goes into ``<base>graph/ontology`` and the curated data into
    ``<base>graph/data``. The same input always gives the same triples.

    Raises
    ------
    kg.errors.LoadError
        Listing every problem found: bad YAML, unknown fields, duplicate ids,
        dangling references, bad dates, anchors missing from their source.
    """
    ontology = load_ontology(settings.ontology_dir)
    build = _Build(settings, SeedTexts(settings.seeds_dir), Graph())
    files = sorted(p for p in Path(settings.data_dir).glob("*.yaml"))
    if not files:
        raise LoadError.single(settings.data_dir, "no *.yaml files in the data folder")
    documents = []
    for path in files:
        try:
            documents.append((path, read_yaml(path)))
        except LoadError as exc:
            build.issues.extend(exc.issues)
    for path, document in documents:
        _collect(build, str(path), document)
    # sources first, so that seed texts are registered before any anchor is checked
    ordered = sorted(build.entries.values(), key=lambda e: e.kind.key != "sources")
    for entry in ordered:
        _emit_entry(build, entry)
    for conflict, path in build.conflicts:
        _emit_conflict(build, conflict, path)
    _derive_framework_membership(build.graph)
    _check_duplicate_labels(build)
    if build.issues:
        raise LoadError(build.issues)
    dataset = Dataset()
    ontology_iri, data_iri = graph_iris(settings.base_iri)
    target = dataset.graph(ontology_iri)
    for triple in ontology:
        target.add(triple)
    target = dataset.graph(data_iri)
    for triple in build.graph:
        target.add(triple)
    for prefix, namespace in ontology.namespaces():
        dataset.bind(prefix, namespace, override=True)
    counts: dict[str, int] = {}
    for entry in build.entries.values():
        counts[entry.kind.key] = counts.get(entry.kind.key, 0) + 1
    return BuiltGraph(dataset, tuple(str(p) for p in files), counts,
                      build.anchors_checked, build.anchors_skipped)


# -- first pass: entries and ids ------------------------------------------------

def _collect(build: _Build, path: str, document: Any) -> None:
    if not isinstance(document, Located):
        build.issue(path, 1, "", "", "a data file must be a mapping of kinds to lists of entries")
        return
    for key, items in document.items():
        line = document.line_of(key)
        if key == "conflicts":
            kind = None
        elif key in schema.KINDS:
            kind = schema.KINDS[key]
        else:
            allowed = ", ".join(sorted([*schema.KINDS, "conflicts"]))
            build.issue(path, line, "", key, f"unknown kind; expected one of: {allowed}")
            continue
        if not isinstance(items, list):
            build.issue(path, line, "", key, "must be a list of entries")
            continue
        for item in items:
            if not isinstance(item, Located):
                build.issue(path, line, "", key, "each entry must be a mapping")
                continue
            if kind is None:
                build.conflicts.append((item, path))
                continue
            _register(build, kind, item, path)


def _register(build: _Build, kind: schema.Kind, item: Located, path: str) -> None:
    ident = item.get("id")
    if not isinstance(ident, str) or not _SLUG.match(ident):
        build.issue(path, item.line_of("id"), str(ident or ""), "id",
                    "id must be an ASCII kebab-case slug such as 'ministry-of-education'")
        return
    if ident in build.entries:
        first = build.entries[ident]
        build.issue(path, item.line_of("id"), ident, "id",
                    f"duplicate id; first defined at {first.path}:{first.data.line} "
                    f"({first.kind.key})")
        return
    build.entries[ident] = _Entry(kind, item, path)


# -- second pass: triples -------------------------------------------------------

def _emit_entry(build: _Build, entry: _Entry) -> None:
    if entry.kind.key == "sources":
        _emit_source(build, entry)
        return
    data, path, ident = entry.data, entry.path, entry.id
    allowed = set(schema.COMMON_FIELDS) | set(entry.kind.fields)
    for key in data:
        if key not in allowed:
            build.issue(path, data.line_of(key), ident, key,
                        f"unknown field for {entry.kind.key}; allowed: {', '.join(sorted(allowed))}")
    subject = build.iri(entry.kind, ident)
    default_src = data.get("src")
    if default_src is not None and default_src not in build.entries:
        build.issue(path, data.line_of("src"), ident, "src", f"unknown source {default_src!r}")
        default_src = None
    _emit_labels(build, entry, subject)
    rdf_class = _entity_class(build, entry)
    g = build.graph
    g.add((subject, RDF.type, rdf_class))
    if rdf_class != entry.kind.rdf_class:
        g.add((subject, RDF.type, entry.kind.rdf_class))
    if "ev" in data:
        ctx = _Ctx(path, ident, "ev", data.line_of("ev"), default_src)
        for ev in _evidence_list(build, data["ev"], ctx):
            _emit_evidence(build, subject, RDF.type, rdf_class, ev)
    for key, spec in entry.kind.fields.items():
        if key in data:
            ctx = _Ctx(path, ident, key, data.line_of(key), default_src)
            _emit_field(build, subject, spec, data[key], ctx)
    if "close_match" in data:
        ctx = _Ctx(path, ident, "close_match", data.line_of("close_match"), default_src)
        _emit_field(build, subject, schema.Link(SKOS.closeMatch, entry.kind.key), data["close_match"], ctx)
    if "quantities" in data:
        _emit_quantities(build, subject, ident, data, path, default_src)


def _entity_class(build: _Build, entry: _Entry) -> URIRef:
    data, kind = entry.data, entry.kind
    if "type" not in data:
        if kind.type_required:
            build.issue(entry.path, data.line, entry.id, "type",
                        f"missing; one of: {', '.join(sorted(kind.types))}")
        return kind.rdf_class
    value = data["type"]
    if value not in kind.types:
        choices = ", ".join(sorted(kind.types)) or "(none: leave the field out)"
        build.issue(entry.path, data.line_of("type"), entry.id, "type",
                    f"unknown type {value!r}; one of: {choices}")
        return kind.rdf_class
    return kind.types[value]


def _emit_labels(build: _Build, entry: _Entry, subject: URIRef) -> None:
    data, path, ident = entry.data, entry.path, entry.id
    label = data.get("label")
    if not isinstance(label, str) or not label.strip() or label != label.strip():
        build.issue(path, data.line_of("label"), ident, "label",
                    "required: one English label, a non-empty string without surrounding spaces")
    else:
        build.graph.add((subject, RDFS.label, Literal(label, lang="en")))
    if "label_zh" in data:
        _emit_zh_label(build, entry, subject)
    for alt in _as_list(data.get("alt_labels", [])):
        if not isinstance(alt, str) or not alt.strip():
            build.issue(path, data.line_of("alt_labels"), ident, "alt_labels",
                        "each alternative label must be a non-empty string")
            continue
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in alt) else "en"
        build.graph.add((subject, SKOS.altLabel, Literal(alt, lang=lang)))
    if "note" in data:
        if not isinstance(data["note"], str):
            build.issue(path, data.line_of("note"), ident, "note", "must be a string")
        else:
            build.graph.add((subject, RDFS.comment, Literal(data["note"].strip(), lang="en")))


def _emit_zh_label(build: _Build, entry: _Entry, subject: URIRef) -> None:
    """A Chinese label: a plain string (a curators' rendering), or ``{value, <evidence>}``.

    An official title of a policy document must cite its source.
    """
    data, value = entry.data, entry.data["label_zh"]
    ctx = _Ctx(entry.path, entry.id, "label_zh", data.line_of("label_zh"), data.get("src"))
    if isinstance(value, Located):
        _emit_value(build, subject, schema.Literal_(RDFS.label, "zh"), value, ctx)
    elif entry.kind.key == "policies":
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field,
                    "an official Chinese title needs its own cited source: {value: ..., src: ..., sec: ..., anchor: ...}")
    elif not isinstance(value, str) or not value.strip():
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "must be a non-empty string")
    else:
        build.graph.add((subject, RDFS.label, Literal(value, lang="zh")))


def _emit_source(build: _Build, entry: _Entry) -> None:
    data, path, ident = entry.data, entry.path, entry.id
    for key in data:
        if key not in schema.SOURCE_FIELDS:
            build.issue(path, data.line_of(key), ident, key,
                        f"unknown field for sources; allowed: {', '.join(schema.SOURCE_FIELDS)}")
    subject = build.iri(entry.kind, ident)
    g = build.graph
    g.add((subject, RDF.type, SEIKG.Source))
    _emit_labels(build, entry, subject)
    seed = data.get("seed")
    outside = bool(data.get("outside_seeds", False))
    if seed is None and not outside:
        build.issue(path, data.line, ident, "seed", "a source needs a seed file name or outside_seeds: true")
    if seed is not None:
        seed = str(seed)
        g.add((subject, DCTERMS.identifier, Literal(seed)))
        g.add((subject, SEIKG.seedFile, Literal(seed + ".txt")))
        if not build.seeds.register(ident, seed):
            build.issue(path, data.line_of("seed"), ident, "seed",
                        f"no seed text {seed}.txt in {build.seeds.folder}")
    g.add((subject, SEIKG.curatedOutsideSeeds, Literal(outside)))
    if "doi" in data:
        g.add((subject, DCTERMS.identifier, Literal(str(data["doi"]))))
        g.add((subject, SEIKG.doi, Literal(str(data["doi"]))))
    for author in _as_list(data.get("authors", [])):
        g.add((subject, DCTERMS.creator, Literal(str(author))))
    if "year" in data:
        g.add((subject, DCTERMS.date, Literal(str(data["year"]), datatype=XSD.gYear)))
    if "venue" in data:
        g.add((subject, DCTERMS.bibliographicCitation, Literal(str(data["venue"]))))
    if "url" in data:
        g.add((subject, RDFS.seeAlso, URIRef(str(data["url"]))))


# -- fields, evidence ----------------------------------------------------------

@dataclass(frozen=True)
class _Ctx:
    path: str
    entry: str
    field: str
    line: int
    default_src: str | None


@dataclass(frozen=True)
class _Ev:
    src: str
    sec: str
    anchor: str
    support: URIRef
    note: str | None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _emit_field(build: _Build, subject: URIRef, spec: schema.Link | schema.Literal_, value: Any,
                ctx: _Ctx) -> None:
    items = _as_list(value)
    for item in items:
        line = item.line if isinstance(item, Located) else ctx.line
        item_ctx = _Ctx(ctx.path, ctx.entry, ctx.field, line, ctx.default_src)
        if not isinstance(item, Located):
            build.issue(ctx.path, line, ctx.entry, ctx.field,
                        "each item must be a mapping with its evidence, e.g. {to: ..., sec: ..., anchor: ...}")
            continue
        if isinstance(spec, schema.Link):
            _emit_link(build, subject, spec, item, item_ctx)
        else:
            _emit_value(build, subject, spec, item, item_ctx)


def _emit_link(build: _Build, subject: URIRef, spec: schema.Link, item: Located, ctx: _Ctx) -> None:
    allowed = {"to", "ev", *schema.EVIDENCE_FIELDS}
    _check_keys(build, item, allowed, ctx)
    target = item.get("to")
    if target is None and spec.target == "sources":
        target = item.get("src", ctx.default_src)
    if target is None:
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "missing 'to': the id this link points at")
        return
    entry = build.entries.get(str(target))
    if entry is None or entry.kind.key != spec.target:
        what = "no such id" if entry is None else f"it is one of the {entry.kind.key}"
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field,
                    f"{target!r} must be the id of one of the {spec.target}: {what}")
        return
    obj = build.iri(entry.kind, str(target))
    s, o = (obj, subject) if spec.inverse else (subject, obj)
    if s == o:
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "an entry cannot link to itself")
        return
    evidence = _evidence_of(build, item, ctx)
    if not evidence:
        return
    build.graph.add((s, spec.predicate, o))
    for ev in evidence:
        _emit_evidence(build, s, spec.predicate, o, ev)


def _emit_value(build: _Build, subject: URIRef, spec: schema.Literal_, item: Located, ctx: _Ctx) -> None:
    _check_keys(build, item, {"value", "ev", *schema.EVIDENCE_FIELDS}, ctx)
    if "value" not in item:
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "missing 'value'")
        return
    literal = _literal(build, spec.datatype, item["value"], ctx)
    evidence = _evidence_of(build, item, ctx)
    if literal is None or not evidence:
        return
    build.graph.add((subject, spec.predicate, literal))
    for ev in evidence:
        _emit_evidence(build, subject, spec.predicate, literal, ev)


def _literal(build: _Build, datatype: str, value: Any, ctx: _Ctx) -> Literal | None:
    if datatype == "date":
        text = str(value)
        if not _DATE.match(text):
            build.issue(ctx.path, ctx.line, ctx.entry, ctx.field,
                        f"date {text!r} must be YYYY, YYYY-MM or YYYY-MM-DD (quote it in YAML)")
            return None
        return Literal(text, datatype=schema.DATE_TYPES[len(text)])
    if datatype == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, f"{value!r} must be a whole number")
            return None
        return Literal(value, datatype=XSD.integer)
    if not isinstance(value, str) or not value.strip():
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "value must be a non-empty string")
        return None
    return Literal(value, lang="zh") if datatype == "zh" else Literal(value)


def _check_keys(build: _Build, item: Located, allowed: set[str], ctx: _Ctx) -> None:
    for key in item:
        if key not in allowed:
            build.issue(ctx.path, item.line_of(key), ctx.entry, f"{ctx.field}.{key}",
                        f"unknown key; allowed: {', '.join(sorted(allowed))}")


def _evidence_of(build: _Build, item: Located, ctx: _Ctx) -> list[_Ev]:
    inline = any(key in item for key in ("sec", "anchor"))
    if "ev" in item:
        if inline:
            build.issue(ctx.path, ctx.line, ctx.entry, ctx.field,
                        "give evidence either inline (sec, anchor) or as an 'ev' list, not both")
            return []
        default = item.get("src", ctx.default_src)
        return _evidence_list(build, item["ev"], _Ctx(ctx.path, ctx.entry, ctx.field, ctx.line, default))
    ev = _one_evidence(build, item, ctx)
    return [ev] if ev else []


def _evidence_list(build: _Build, value: Any, ctx: _Ctx) -> list[_Ev]:
    found: list[_Ev] = []
    before = len(build.issues)
    for item in _as_list(value):
        if not isinstance(item, Located):
            build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "each evidence must be a mapping")
            continue
        _check_keys(build, item, set(schema.EVIDENCE_FIELDS), ctx)
        ev = _one_evidence(build, item, _Ctx(ctx.path, ctx.entry, ctx.field, item.line, ctx.default_src))
        if ev:
            found.append(ev)
    if not found and len(build.issues) == before:
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "no evidence given")
    return found


def _one_evidence(build: _Build, item: Located, ctx: _Ctx) -> _Ev | None:
    src = item.get("src", ctx.default_src)
    ok = True
    if src is None:
        build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.src",
                    "missing: the source id (here or as the entry's 'src')")
        ok = False
    elif src not in build.entries or build.entries[src].kind.key != "sources":
        build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.src", f"unknown source {src!r}")
        ok = False
    sec, anchor = item.get("sec"), item.get("anchor")
    if not isinstance(sec, (str, int)) or isinstance(sec, bool) or not str(sec).strip():
        build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.sec",
                    "missing or not text: the section, quoted (e.g. sec: \"3.1\")")
        ok = False
    if not isinstance(anchor, str) or not anchor.strip():
        build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.anchor",
                    "missing: a verbatim key phrase of at most 12 words")
        ok = False
    elif count_words(anchor) > _MAX_ANCHOR_WORDS:
        build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.anchor",
                    f"{count_words(anchor)} words; an anchor has at most {_MAX_ANCHOR_WORDS}")
        ok = False
    support = item.get("support", "stated")
    if support not in schema.SUPPORT_LEVELS:
        build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.support",
                    f"unknown support {support!r}; one of: {', '.join(schema.SUPPORT_LEVELS)}")
        ok = False
    if not ok:
        return None
    found = build.seeds.contains(str(src), anchor)
    if found is None:
        build.anchors_skipped += 1
    else:
        build.anchors_checked += 1
        if not found:
            build.issue(ctx.path, ctx.line, ctx.entry, f"{ctx.field}.anchor",
                        f"anchor {anchor!r} does not occur in source {src!r}")
            return None
    note = item.get("note")
    return _Ev(str(src), str(sec).strip(), anchor.strip(), schema.SUPPORT_LEVELS[support],
               str(note).strip() if note else None)


def _emit_evidence(build: _Build, s: URIRef, p: URIRef, o: URIRef | Literal, ev: _Ev) -> URIRef:
    key = "\x1f".join((str(s), str(p), o.n3(), ev.src, ev.sec, ev.anchor))
    node = URIRef(f"{build.settings.base_iri}id/evidence/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
    g = build.graph
    g.add((node, RDF.type, SEIKG.Evidence))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, p))
    g.add((node, RDF.object, o))
    g.add((node, SEIKG.inSource, build.iri_of(ev.src)))
    g.add((node, SEIKG.section, Literal(ev.sec)))
    g.add((node, SEIKG.anchor, Literal(ev.anchor)))
    g.add((node, SEIKG.support, ev.support))
    if ev.note:
        g.add((node, RDFS.comment, Literal(ev.note, lang="en")))
    return node


# -- quantities and conflicts ----------------------------------------------------

def _emit_quantities(build: _Build, subject: URIRef, ident: str, data: Located, path: str,
                     default_src: str | None) -> None:
    for index, item in enumerate(_as_list(data["quantities"]), start=1):
        line = item.line if isinstance(item, Located) else data.line_of("quantities")
        ctx = _Ctx(path, ident, "quantities", line, default_src)
        if not isinstance(item, Located):
            build.issue(path, line, ident, "quantities", "each quantity must be a mapping")
            continue
        _check_keys(build, item, set(schema.QUANTITY_FIELDS), ctx)
        value, measure, unit = item.get("value"), item.get("measure"), item.get("unit")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            build.issue(path, line, ident, "quantities.value", f"{value!r} must be a number")
            continue
        if not isinstance(measure, str) or not measure.strip():
            build.issue(path, line, ident, "quantities.measure", "missing: what the number measures")
            continue
        unit_entry = build.entries.get(str(unit))
        if unit_entry is None or unit_entry.kind.key != "units":
            build.issue(path, line, ident, "quantities.unit", f"{unit!r} must be the id of one of the units")
            continue
        bound = item.get("bound", "exact")
        if bound not in schema.BOUNDS:
            build.issue(path, line, ident, "quantities.bound",
                        f"unknown bound {bound!r}; one of: {', '.join(schema.BOUNDS)}")
            continue
        literal = (Literal(value, datatype=XSD.integer) if isinstance(value, int)
                   else Literal(Decimal(str(value)), datatype=XSD.decimal))
        node = URIRef(f"{build.settings.base_iri}id/quantity/{ident}-{index}")
        evidence = _evidence_of(build, item, ctx)
        if not evidence:
            continue
        g = build.graph
        g.add((subject, SEIKG.hasQuantity, node))
        g.add((node, RDF.type, SEIKG.QuantitativeFact))
        g.add((node, RDFS.label, Literal(f"{measure.strip()}", lang="en")))
        g.add((node, SEIKG.measure, Literal(measure.strip(), lang="en")))
        g.add((node, RDF.value, literal))
        g.add((node, SEIKG.unit, build.iri_of(str(unit))))
        g.add((node, SEIKG.bound, Literal(bound)))
        g.add((node, SEIKG.approximate, Literal(bound != "exact")))
        g.add((node, SEIKG.isTarget, Literal(bool(item.get("target", False)))))
        if "period" in item:
            period = _literal(build, "date", item["period"], ctx)
            if period is not None:
                g.add((node, SEIKG.referencePeriod, period))
        for ev in evidence:
            g.add((node, SEIKG.hasEvidence, _emit_evidence(build, node, RDF.value, literal, ev)))


def _emit_conflict(build: _Build, item: Located, path: str) -> None:
    ident = str(item.get("id", ""))
    for key in item:
        if key not in schema.CONFLICT_FIELDS:
            build.issue(path, item.line_of(key), ident, key,
                        f"unknown field for conflicts; allowed: {', '.join(schema.CONFLICT_FIELDS)}")
    if not _SLUG.match(ident):
        build.issue(path, item.line_of("id"), ident, "id", "id must be an ASCII kebab-case slug")
        return
    about = build.entries.get(str(item.get("about")))
    if about is None:
        build.issue(path, item.line_of("about"), ident, "about", f"unknown id {item.get('about')!r}")
        return
    spec = about.kind.fields.get(str(item.get("property")))
    if spec is None:
        build.issue(path, item.line_of("property"), ident, "property",
                    f"{item.get('property')!r} is not a field of {about.kind.key}")
        return
    note = item.get("note")
    if not isinstance(note, str) or not note.strip():
        build.issue(path, item.line_of("note"), ident, "note", "required: what the sources disagree on")
        return
    subject = build.iri(about.kind, about.id)
    values = set(build.graph.objects(subject, spec.predicate))
    if len(values) < 2:
        build.issue(path, item.line, ident, "property",
                    f"not a conflict: {about.id} has {len(values)} value(s) for {item.get('property')}")
        return
    node = URIRef(f"{build.settings.base_iri}id/conflict/{ident}")
    g = build.graph
    g.add((node, RDF.type, SEIKG.Conflict))
    g.add((node, RDFS.label, Literal(f"Conflicting {item.get('property')} of {about.id}", lang="en")))
    g.add((node, SEIKG.conflictAbout, subject))
    g.add((node, SEIKG.conflictProperty, spec.predicate))
    g.add((node, SEIKG.conflictNote, Literal(note.strip(), lang="en")))
    for ev in build.graph.subjects(RDF.subject, subject):
        if (ev, RDF.predicate, spec.predicate) in build.graph:
            g.add((node, SEIKG.conflictingEvidence, ev))


def _derive_framework_membership(graph: Graph) -> None:
    """Place each framework's top mechanisms, and everything below them, in the framework.

    Adds ``skos:topConceptOf`` for the tops and ``skos:inScheme`` for them and
    every mechanism that reaches one through ``skos:broader``.
    """
    narrower: dict[URIRef, list[URIRef]] = {}
    for child, parent in graph.subject_objects(SKOS.broader):
        narrower.setdefault(parent, []).append(child)  # type: ignore[arg-type]
    for framework, top in sorted(graph.subject_objects(SKOS.hasTopConcept)):
        graph.add((top, SKOS.topConceptOf, framework))
        stack, seen = [top], set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            graph.add((node, SKOS.inScheme, framework))
            stack.extend(narrower.get(node, []))


def _check_duplicate_labels(build: _Build) -> None:
    seen: dict[tuple[str, str], _Entry] = {}
    for entry in build.entries.values():
        label = entry.data.get("label")
        if not isinstance(label, str):
            continue
        key = (entry.kind.key, " ".join(label.lower().split()))
        if key in seen:
            first = seen[key]
            build.issue(entry.path, entry.data.line_of("label"), entry.id, "label",
                        f"same label as {first.id!r} ({first.path}:{first.data.line}); merge them "
                        "or link them with close_match and distinct labels")
        else:
            seen[key] = entry


"""Turning the curated files in ``data/`` into one RDF dataset, deterministically.

Each YAML file holds one or more top-level lists keyed by kind (``policies``,
``actors``, ...; see :mod:`kg.build.schema`). Every link and dated value carries its
evidence, which becomes a :class:`seikg:Evidence` node reifying the triple.
All problems are collected and raised together as one :class:`LoadError`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.build import schema
from kg.build.anchors import SeedTexts
from kg.build.state import BuildState, Context, Entry, as_list
from kg.config import Settings
from kg.errors import DataIssue, LoadError
from kg.build.ontology import load_ontology
from kg.build.descriptions import emit_descriptions
from kg.build.source_issues import emit_conflict, emit_source_issues
from kg.build.cross_source import mark_cross_source_links
from kg.build.statements import emit_evidence, emit_field, emit_quantities, emit_standalone_link, emit_value, evidence_list
from kg.model.vocab import SEIKG
from kg.build.yamlfile import Located, read_yaml
from kg.model.iris import ENTITY_ID, graph_iri

__all__ = ["BuiltGraph", "build_dataset", "data_files", "graph_iris"]



def graph_iris(base: str) -> tuple[URIRef, URIRef]:
    """The named graphs of a build: (ontology graph, data graph)."""
    return URIRef(graph_iri(base, "ontology")), URIRef(graph_iri(base, "data"))


@dataclass(frozen=True)
class BuiltGraph:
    """The result of a build: the dataset and what went into it."""

    dataset: Dataset
    files: tuple[str, ...]
    entity_counts: dict[str, int]
    anchors_checked: int
    anchors_skipped: int


#: what may sit in the data folder besides the ``*.yaml`` files that are read
_DATA_EXTRAS = {"README.md", "texts"}


def data_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` files of the data folder, refusing anything else that is there.

    A file with another suffix (``.yml``, ``.ttl``, ``.json`` ...) would
    otherwise be silently ignored, so it is an error; ``README.md``, the
    ``texts/`` folder of ingested sources and hidden files are allowed.

    Raises
    ------
    kg.errors.LoadError
        Naming every file that is not read, or if there is no ``*.yaml`` file.
    """
    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    files = [p for p in entries if p.is_file() and p.suffix == ".yaml"]
    strays = [p for p in entries if p not in files and p.name not in _DATA_EXTRAS and not p.name.startswith(".")]
    if strays:
        raise LoadError([DataIssue(str(p), 0, "", "", "not a data file: only *.yaml files are read here (rename it "
                                                      "to .yaml, or move it out of the data folder)")
                         for p in strays])
    if not files:
        raise LoadError.single(folder, "no *.yaml files in the data folder")
    return files


def build_dataset(settings: Settings, *, drafts: tuple[Path, ...] = ()) -> BuiltGraph:
    """Read ``settings.data_dir`` and the ontology into a Dataset with two named graphs.

    The ontology goes into ``<base>graph/ontology`` and the curated data into
    ``<base>graph/data``. The same input always gives the same triples.
    ``drafts`` (from ``seikg ingest``) are read as if accepted whole: their
    ``draft`` and ``matches`` sections and every ``review`` field are skipped.

    Raises
    ------
    kg.errors.LoadError
        Listing every problem found: bad YAML, unknown fields, duplicate ids,
        dangling references, bad dates, anchors missing from their source.
    """
    ontology = load_ontology(settings.ontology_dir)
    build = BuildState(settings, SeedTexts(settings.seeds_dir), Graph())
    files = data_files(Path(settings.data_dir))
    documents = []
    for path in [*files, *drafts]:
        try:
            document = read_yaml(path)
        except LoadError as exc:
            build.issues.extend(exc.issues)
            continue
        if path in drafts and isinstance(document, Located):
            document = _without_review(document)
        documents.append((path, document))
    for path, document in documents:
        _collect(build, str(path), document)
    # sources first, so that seed texts are registered before any anchor is checked
    ordered = sorted(build.entries.values(), key=lambda e: e.kind.key != "sources")
    for entry in ordered:
        _emit_entry(build, entry)
    for item, path in build.links:
        emit_standalone_link(build, item, path)
    emit_descriptions(build, build.descriptions)
    emit_source_issues(build, build.source_issues)
    for conflict, path in build.conflicts:
        emit_conflict(build, conflict, path)
    _derive_framework_membership(build.graph)
    mark_cross_source_links(build.graph)
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

#: top-level lists that are not kinds of entity: each is a list of the same name on the build state
_LISTS = ("conflicts", "links", "descriptions", "source_issues")


def _collect(build: BuildState, path: str, document: Any) -> None:
    if not isinstance(document, Located):
        build.issue(path, 1, "", "", "a data file must be a mapping of kinds to lists of entries")
        return
    for key, items in document.items():
        line = document.line_of(key)
        if key in _LISTS:
            kind = None
        elif key in schema.KINDS:
            kind = schema.KINDS[key]
        else:
            allowed = ", ".join(sorted([*schema.KINDS, *_LISTS]))
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
                getattr(build, key).append((item, path))
                continue
            _register(build, kind, item, path)


def _register(build: BuildState, kind: schema.Kind, item: Located, path: str) -> None:
    ident = item.get("id")
    if not isinstance(ident, str) or not ENTITY_ID.match(ident):
        build.issue(path, item.line_of("id"), str(ident or ""), "id",
                    "id must be an ASCII kebab-case slug such as 'ministry-of-education'")
        return
    if ident in build.entries:
        first = build.entries[ident]
        build.issue(path, item.line_of("id"), ident, "id",
                    f"duplicate id; first defined at {first.path}:{first.data.line} "
                    f"({first.kind.key})")
        return
    build.entries[ident] = Entry(kind, item, path)


# -- second pass: triples -------------------------------------------------------

def _emit_entry(build: BuildState, entry: Entry) -> None:
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
        ctx = Context(path, ident, "ev", data.line_of("ev"), default_src)
        for ev in evidence_list(build, data["ev"], ctx):
            emit_evidence(build, subject, RDF.type, rdf_class, ev)
    for key, spec in entry.kind.fields.items():
        if key in data:
            ctx = Context(path, ident, key, data.line_of(key), default_src)
            emit_field(build, subject, spec, data[key], ctx)
    if "close_match" in data:
        ctx = Context(path, ident, "close_match", data.line_of("close_match"), default_src)
        emit_field(build, subject, schema.Link(SKOS.closeMatch, entry.kind.key), data["close_match"], ctx)
    if "quantities" in data:
        emit_quantities(build, subject, ident, data, path, default_src)


def _entity_class(build: BuildState, entry: Entry) -> URIRef:
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


def _emit_labels(build: BuildState, entry: Entry, subject: URIRef) -> None:
    data, path, ident = entry.data, entry.path, entry.id
    label = data.get("label")
    if not isinstance(label, str) or not label.strip() or label != label.strip():
        build.issue(path, data.line_of("label"), ident, "label",
                    "required: one English label, a non-empty string without surrounding spaces")
    else:
        build.graph.add((subject, RDFS.label, Literal(label, lang="en")))
    if "label_zh" in data:
        _emit_zh_label(build, entry, subject)
    for alt in as_list(data.get("alt_labels", [])):
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


def _emit_zh_label(build: BuildState, entry: Entry, subject: URIRef) -> None:
    """A Chinese label: a plain string (a curators' rendering), or ``{value, <evidence>}``.

    An official title of a policy document must cite its source.
    """
    data, value = entry.data, entry.data["label_zh"]
    ctx = Context(entry.path, entry.id, "label_zh", data.line_of("label_zh"), data.get("src"))
    if isinstance(value, Located):
        emit_value(build, subject, schema.Literal_(RDFS.label, "zh"), value, ctx)
    elif entry.kind.key == "policies":
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field,
                    "an official Chinese title needs its own cited source: {value: ..., src: ..., sec: ..., anchor: ...}")
    elif not isinstance(value, str) or not value.strip():
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "must be a non-empty string")
    else:
        build.graph.add((subject, RDFS.label, Literal(value, lang="zh")))
        if entry.kind.key != "sources":  # a source's Chinese label is its own title; others are translations
            build.graph.add((subject, SEIKG.translatedLabel, Literal(value, lang="zh")))


def _emit_source(build: BuildState, entry: Entry) -> None:
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
    if seed is None and not outside and "text" not in data:
        build.issue(path, data.line, ident, "seed",
                    "a source needs a seed file name, a text file, or outside_seeds: true")
    if "text" in data:
        text = Path(path).parent / str(data["text"])
        g.add((subject, DCTERMS.identifier, Literal(str(data["text"]))))
        g.add((subject, SEIKG.seedFile, Literal(str(data["text"]))))
        if not build.seeds.register_file(ident, text):
            build.issue(path, data.line_of("text"), ident, "text", f"no text file {text}")
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
    authors = [str(author) for author in as_list(data.get("authors", []))]
    for author in authors:
        g.add((subject, DCTERMS.creator, Literal(author)))
    if authors:  # the order, as an rdf:List with blank nodes named after the source (the build stays byte-identical)
        nodes = [BNode(f"{ident}-author-{n}") for n in range(1, len(authors) + 1)]
        g.add((subject, SEIKG.authorList, nodes[0]))
        for node, author, rest in zip(nodes, authors, [*nodes[1:], RDF.nil]):
            g.add((node, RDF.first, Literal(author)))
            g.add((node, RDF.rest, rest))
    if "year" in data:
        g.add((subject, DCTERMS.date, Literal(str(data["year"]), datatype=XSD.gYear)))
    if "venue" in data:
        g.add((subject, DCTERMS.bibliographicCitation, Literal(str(data["venue"]))))
    if "url" in data:
        g.add((subject, RDFS.seeAlso, URIRef(str(data["url"]))))


# -- drafts and standalone links -------------------------------------------------

def _without_review(document: Located) -> Located:
    """A draft as data: no ``draft`` or ``matches`` section, no ``review`` field anywhere."""
    def strip(value: Any) -> Any:
        if isinstance(value, Located):
            value.pop("review", None)
            for key in list(value):
                strip(value[key])
        elif isinstance(value, list):
            for item in value:
                strip(item)
        return value
    for key in ("draft", "matches"):
        document.pop(key, None)
    return strip(document)


# -- conflicts, frameworks, duplicates ---------------------------------------------

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


def _check_duplicate_labels(build: BuildState) -> None:
    seen: dict[tuple[str, str], Entry] = {}
    for entry in build.entries.values():
        label = entry.data.get("label")
        if not isinstance(label, str):
            continue
        key = (entry.kind.key, " ".join(label.lower().split()))
        if key in seen:
            first = seen[key]
            build.issue(entry.path, entry.data.line_of("label"), entry.id, "label",
                        f"same label as {first.id!r} ({first.path}:{first.data.line_of('label')}); merge them "
                        "or link them with close_match and distinct labels")
        else:
            seen[key] = entry


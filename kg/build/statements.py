"""Statements with evidence: link and value fields, evidence items, and quantitative facts."""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.build import schema
from kg.build.anchors import count_words
from kg.build.state import BuildState, Context, EvidenceItem, as_list, check_keys
from kg.model.vocab import SEIKG
from kg.build.yamlfile import Located, LocatedList
from kg.model.iris import evidence_iri, quantity_iri
from kg.model.records import Quantity

__all__ = ["emit_evidence", "emit_field", "emit_quantities", "emit_standalone_link", "emit_value", "evidence_list",
           "make_literal"]

_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_MAX_ANCHOR_WORDS = 12


def emit_field(build: BuildState, subject: URIRef, spec: schema.Link | schema.Literal_, value: Any,
                ctx: Context) -> None:
    items = as_list(value)
    for index, item in enumerate(items):
        if isinstance(item, Located):
            line = item.line
        elif isinstance(items, LocatedList):
            line = items.line_of_item(index, ctx.line)
        else:
            line = ctx.line
        item_ctx = Context(ctx.path, ctx.entry, ctx.field, line, ctx.default_src)
        if not isinstance(item, Located):
            build.issue(ctx.path, line, ctx.entry, ctx.field,
                        "each item must be a mapping with its evidence, e.g. {to: ..., sec: ..., anchor: ...}")
            continue
        if isinstance(spec, schema.Link):
            emit_link(build, subject, spec, item, item_ctx)
        else:
            emit_value(build, subject, spec, item, item_ctx)


def emit_link(build: BuildState, subject: URIRef, spec: schema.Link, item: Located, ctx: Context) -> None:
    allowed = {"to", "ev", *schema.EVIDENCE_FIELDS}
    check_keys(build, item, allowed, ctx)
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
    evidence = evidence_of(build, item, ctx)
    if not evidence:
        return
    build.graph.add((s, spec.predicate, o))
    for ev in evidence:
        emit_evidence(build, s, spec.predicate, o, ev)


def emit_value(build: BuildState, subject: URIRef, spec: schema.Literal_, item: Located, ctx: Context) -> None:
    check_keys(build, item, {"value", "ev", *schema.EVIDENCE_FIELDS}, ctx)
    if "value" not in item:
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "missing 'value'")
        return
    literal = make_literal(build, spec.datatype, item["value"], ctx)
    evidence = evidence_of(build, item, ctx)
    if literal is None or not evidence:
        return
    build.graph.add((subject, spec.predicate, literal))
    for ev in evidence:
        emit_evidence(build, subject, spec.predicate, literal, ev)


def make_literal(build: BuildState, datatype: str, value: Any, ctx: Context) -> Literal | None:
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


def evidence_of(build: BuildState, item: Located, ctx: Context) -> list[EvidenceItem]:
    inline = any(key in item for key in ("sec", "anchor"))
    if "ev" in item:
        if inline:
            build.issue(ctx.path, ctx.line, ctx.entry, ctx.field,
                        "give evidence either inline (sec, anchor) or as an 'ev' list, not both")
            return []
        default = item.get("src", ctx.default_src)
        return evidence_list(build, item["ev"], Context(ctx.path, ctx.entry, ctx.field, ctx.line, default))
    ev = one_evidence(build, item, ctx)
    return [ev] if ev else []


def evidence_list(build: BuildState, value: Any, ctx: Context) -> list[EvidenceItem]:
    found: list[EvidenceItem] = []
    before = len(build.issues)
    for item in as_list(value):
        if not isinstance(item, Located):
            build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "each evidence must be a mapping")
            continue
        check_keys(build, item, set(schema.EVIDENCE_FIELDS), ctx)
        ev = one_evidence(build, item, Context(ctx.path, ctx.entry, ctx.field, item.line, ctx.default_src))
        if ev:
            found.append(ev)
    if not found and len(build.issues) == before:
        build.issue(ctx.path, ctx.line, ctx.entry, ctx.field, "no evidence given")
    return found


def one_evidence(build: BuildState, item: Located, ctx: Context) -> EvidenceItem | None:
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
    return EvidenceItem(str(src), str(sec).strip(), anchor.strip(), schema.SUPPORT_LEVELS[support],
               str(note).strip() if note else None)


def emit_evidence(build: BuildState, s: URIRef, p: URIRef, o: URIRef | Literal, ev: EvidenceItem) -> URIRef:
    key = "\x1f".join((str(s), str(p), o.n3(), ev.src, ev.sec, ev.anchor))
    node = URIRef(evidence_iri(build.settings.base_iri, hashlib.sha1(key.encode()).hexdigest()[:16]))
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


def emit_quantities(build: BuildState, subject: URIRef, ident: str, data: Located, path: str,
                     default_src: str | None) -> None:
    for index, item in enumerate(as_list(data["quantities"]), start=1):
        line = item.line if isinstance(item, Located) else data.line_of("quantities")
        ctx = Context(path, ident, "quantities", line, default_src)
        if not isinstance(item, Located):
            build.issue(path, line, ident, "quantities", "each quantity must be a mapping")
            continue
        check_keys(build, item, set(schema.QUANTITY_FIELDS), ctx)
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
        node = URIRef(quantity_iri(build.settings.base_iri, ident, index))
        evidence = evidence_of(build, item, ctx)
        if not evidence:
            continue
        g = build.graph
        g.add((subject, SEIKG.hasQuantity, node))
        g.add((node, RDF.type, SEIKG.QuantitativeFact))
        fact = Quantity(measure.strip(), value, str(unit), str(unit_entry.data.get("label", unit)), bound,
                        bool(item.get("target", False)), str(item["period"]) if "period" in item else None)
        g.add((node, RDFS.label, Literal(fact.sentence, lang="en")))
        g.add((node, SEIKG.measure, Literal(measure.strip(), lang="en")))
        g.add((node, RDF.value, literal))
        g.add((node, SEIKG.unit, build.iri_of(str(unit))))
        g.add((node, SEIKG.bound, Literal(bound)))
        g.add((node, SEIKG.approximate, Literal(bound != "exact")))
        g.add((node, SEIKG.isTarget, Literal(bool(item.get("target", False)))))
        if "period" in item:
            period = make_literal(build, "date", item["period"], ctx)
            if period is not None:
                g.add((node, SEIKG.referencePeriod, period))
        for ev in evidence:
            g.add((node, SEIKG.hasEvidence, emit_evidence(build, node, RDF.value, literal, ev)))
        for name, spec in schema.QUANTITY_LINKS.items():
            if name in item:
                emit_field(build, node, spec, item[name], Context(path, ident, f"quantities.{name}",
                                                                  item.line_of(name), default_src))


def emit_standalone_link(build: BuildState, item: Located, path: str) -> None:
    """``links: [{from: id, field: name, to: id, <evidence>}]``: a link of an entry defined elsewhere."""
    for key in item:
        if key not in schema.STANDALONE_LINK_FIELDS:
            build.issue(path, item.line_of(key), str(item.get("from", "")), key,
                        f"unknown field for links; allowed: {', '.join(schema.STANDALONE_LINK_FIELDS)}")
            return
    ident, name = str(item.get("from", "")), str(item.get("field", ""))
    entry = build.entries.get(ident)
    if entry is None:
        build.issue(path, item.line_of("from"), ident, "from", f"unknown entry {ident!r}")
        return
    spec = entry.kind.fields.get(name)
    if not isinstance(spec, schema.Link):
        choices = ", ".join(k for k, v in entry.kind.fields.items() if isinstance(v, schema.Link))
        build.issue(path, item.line_of("field"), ident, "field",
                    f"{name!r} is not a link of {entry.kind.key}; one of: {choices}")
        return
    link = Located({k: v for k, v in item.items() if k not in ("from", "field")})
    link.line, link.key_lines = item.line, dict(getattr(item, "key_lines", {}))
    ctx = Context(path, ident, name, item.line, None)
    emit_field(build, build.iri(entry.kind, ident), spec, [link], ctx)

"""Source issues: where sources disagree with each other or themselves, or where a text is defective.

A data file may hold a top-level ``source_issues:`` list::

    source_issues:
      - id: fu-outline-issue-date
        kind: date
        label: Outline dated April 2025 in the text, 19 January 2025 in the references
        about: [outline-strong-education-country-2024-2035, fu-huang-sun-2025]
        note: What the sides say, and which the evidence favours.
        sides:
          - {claim: Issued in April 2025, src: fu-huang-sun-2025, sec: "Introduction", anchor: "..."}
          - {claim: Dated 19 January 2025, src: fu-huang-sun-2025, sec: "References", anchor: "..."}

In RDF: ``<base>id/issue/<id>`` a ``seikg:SourceIssue`` with ``rdfs:label`` (@en), ``rdfs:comment`` (the
note), ``seikg:issueKind``, ``seikg:issueAbout`` each entity or source, and one ``seikg:claim`` per side,
each with its evidence (source, section, verbatim anchor checked in the seed text). An issue also concerns
every source whose text a side quotes: ``seikg:issueAbout`` that source, with the side's evidence, so that a
paper's page and ``/api/issues?source=`` list every issue its text is part of. A recorded conflict
(``conflicts:``) is a ``seikg:Conflict``, a kind of source issue.
"""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.build import schema
from kg.build.state import BuildState, Context, EvidenceItem
from kg.build.statements import emit_evidence, evidence_of
from kg.build.yamlfile import Located
from kg.model.iris import ENTITY_ID, entity_prefix
from kg.model.vocab import SEIKG

__all__ = ["ISSUE_FIELDS", "ISSUE_KINDS", "SIDE_FIELDS", "emit_conflict", "emit_source_issues"]

#: fields of one source issue
ISSUE_FIELDS = ("id", "kind", "label", "about", "note", "sides")
#: fields of one side (plus the evidence fields)
SIDE_FIELDS = ("claim", "src", "sec", "anchor", "support", "note")
#: what can be wrong, in a word each
ISSUE_KINDS = {
    "date": "dates that disagree",
    "name-variant": "a title or name given in different forms",
    "count": "counts that do not add up",
    "issuer-count": "an ambiguous or inconsistent count of issuers",
    "chronology": "a narrative out of chronological order",
    "naming": "a mechanism or problem named differently in abstract, highlights and body",
    "garbled": "a garbled, truncated or missing passage",
    "unstated-unit": "an amount with no stated unit or currency",
    "overreach": "a conclusion beyond the evidence reported",
    "place": "places that do not match",
    "other": "another defect of the text",
}


def emit_source_issues(build: BuildState, items: list[tuple[Located, str]]) -> None:
    """Emit every source issue, recording a problem (file, line, entry, field) for each bad one."""
    for item, path in items:
        ident = str(item.get("id", ""))
        if build.refuse_unknown_fields(item, path, ident, ISSUE_FIELDS, "source_issues"):
            continue
        if not ENTITY_ID.match(ident):
            build.issue(path, item.line_of("id") or item.line, ident, "id", "id must be an ASCII kebab-case slug")
            continue
        kind, label, note = item.get("kind"), item.get("label"), item.get("note")
        if kind not in ISSUE_KINDS:
            build.issue(path, item.line_of("kind") or item.line, ident, "kind",
                        f"unknown kind {kind!r}; one of: {', '.join(ISSUE_KINDS)}")
            continue
        if not isinstance(label, str) or not label.strip():
            build.issue(path, item.line_of("label") or item.line, ident, "label",
                        "required: in a few words, what is wrong")
            continue
        if not isinstance(note, str) or not note.strip():
            build.issue(path, item.line_of("note") or item.line, ident, "note",
                        "required: what the sides say, and which the evidence favours")
            continue
        about = item.get("about")
        about = about if isinstance(about, list) else [about]
        missing = [str(a) for a in about if str(a) not in build.entries]
        if missing or not about:
            build.issue(path, item.line_of("about") or item.line, ident, "about",
                        f"unknown id {missing[0]!r}" if missing else "required: the entities or sources concerned")
            continue
        node = URIRef(f"{entity_prefix(build.settings.base_iri)}issue/{ident}")
        if (node, RDF.type, SEIKG.SourceIssue) in build.graph:
            build.issue(path, item.line, ident, "id", f"source issue {ident!r} is defined twice")
            continue
        g = build.graph
        g.add((node, RDF.type, SEIKG.SourceIssue))
        g.add((node, RDFS.label, Literal(" ".join(label.split()), lang="en")))
        g.add((node, RDFS.comment, Literal(" ".join(note.split()), lang="en")))
        g.add((node, SEIKG.issueKind, Literal(kind)))
        targets = {build.iri_of(str(target)) for target in about}
        for target in targets:
            g.add((node, SEIKG.issueAbout, target))
        for ev in _emit_sides(build, node, item, path, ident):
            quoted = build.iri_of(ev.src)
            if quoted not in targets:  # the issue concerns each text it quotes, cited by the quote
                g.add((node, SEIKG.issueAbout, quoted))
                emit_evidence(build, node, SEIKG.issueAbout, quoted, ev)


def _emit_sides(build: BuildState, node: URIRef, item: Located, path: str, ident: str) -> list[EvidenceItem]:
    """Emit each side's claim with its evidence; return the evidence of every side."""
    sides = item.get("sides")
    quoted: list[EvidenceItem] = []
    if not isinstance(sides, list) or not sides:
        build.issue(path, item.line_of("sides") or item.line, ident, "sides",
                    "required: each side's claim with its evidence")
        return quoted
    for side in sides:
        line = getattr(side, "line", item.line)
        if not isinstance(side, Located) or any(key not in SIDE_FIELDS for key in side):
            build.issue(path, line, ident, "sides", f"each side is {{{', '.join(SIDE_FIELDS)}}}")
            return quoted
        claim = side.get("claim")
        if not isinstance(claim, str) or not claim.strip():
            build.issue(path, line, ident, "sides.claim", "required: the side's claim in words")
            return quoted
        ctx = Context(path, ident, "sides", line, None)
        evidence = evidence_of(build, side, ctx)
        literal = Literal(" ".join(claim.split()), lang="en")
        build.graph.add((node, SEIKG.claim, literal))
        for ev in evidence:
            emit_evidence(build, node, SEIKG.claim, literal, ev)
        quoted.extend(evidence)
    return quoted


def emit_conflict(build: BuildState, item: Located, path: str) -> None:
    """A recorded conflict (``conflicts:``): two sourced values of one field of one entity, both kept."""
    ident = str(item.get("id", ""))
    build.refuse_unknown_fields(item, path, ident, schema.CONFLICT_FIELDS, "conflicts")
    if not ENTITY_ID.match(ident):
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
    node = URIRef(entity_prefix(build.settings.base_iri) + f"conflict/{ident}")
    g = build.graph
    g.add((node, RDF.type, SEIKG.Conflict))
    g.add((node, RDF.type, SEIKG.SourceIssue))  # a conflict is a kind of source issue
    g.add((node, SEIKG.issueAbout, subject))
    field = str(item.get("property")).replace("_", " ")
    if isinstance(spec, schema.Literal_) and spec.datatype == "date":
        field = "date"
    label = f"Sources disagree on the {field} of {about.data.get('label', about.id)}"
    g.add((node, RDFS.label, Literal(label, lang="en")))
    g.add((node, SEIKG.conflictAbout, subject))
    g.add((node, SEIKG.conflictProperty, spec.predicate))
    g.add((node, SEIKG.conflictNote, Literal(note.strip(), lang="en")))
    for ev in build.graph.subjects(RDF.subject, subject):
        if (ev, RDF.predicate, spec.predicate) in build.graph:
            g.add((node, SEIKG.conflictingEvidence, ev))

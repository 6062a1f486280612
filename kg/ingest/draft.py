"""The draft ``seikg ingest`` writes: the data/ format, marked as a draft, every proposal with its anchor
and a ``review`` field (confidence; the known entity it may be). ``seikg validate --draft`` reads it as if
accepted whole; ``seikg review`` accepts it item by item."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from kg.ingest.extract import Proposal, Proposals
from kg.ingest.gazetteer import Gazetteer
from kg.ingest.patterns import slug
from kg.ingest.text import Document
from kg.model.kinds import KINDS

__all__ = ["DRAFT_HEADER", "render_draft"]

DRAFT_HEADER = """\
# seikg draft: proposals read from a text by `seikg ingest`. Nothing here is in the graph.
# Review it with `seikg review THIS-FILE` (accept, edit or reject each item), or check it
# whole with `seikg validate --draft THIS-FILE`. Every item cites a verbatim anchor and its
# section; `review` says how sure ingest is (confidence 0-1) and which known entity an item
# may be (`matches` lists names ingest took for entities already in the graph).
"""
_ACTOR_TYPES = frozenset(KINDS["actors"].types)
_GENRES = frozenset(KINDS["policies"].types)
#: where each kind's links go: field -> written on the target's side as this field (None: on the source)
_INVERSE = {("regions", "faces"): ("problems", "faced_by")}


def _evidence(anchor: Any, support: str = "stated", src: str | None = None) -> dict:
    item = {"src": src} if src else {}
    item.update({"sec": anchor.section, "anchor": anchor.phrase})
    if support != "stated":
        item["support"] = support
    return item


def _ids(proposals: Proposals, known: set[str]) -> dict[tuple[str, str], str]:
    """A unique id for every new proposal: its key, with a number added on a collision."""
    taken = set(known)
    out = {}
    for (kind, _), proposal in proposals.items.items():
        if proposal.match:
            continue
        ident, n = proposal.key, 2
        while ident in taken:
            ident, n = f"{proposal.key}-{n}", n + 1
        taken.add(ident)
        out[(kind, proposal.key)] = ident
    return out


def render_draft(proposals: Proposals, document: Document, gazetteer: Gazetteer, known_ids: set[str],
                 draft_path: Path | None = None, *, title: str | None = None) -> str:
    """The draft as YAML text. ``known_ids`` are every id in data/ (new ids never collide with them);
    ``draft_path`` is where the draft will be written (the text is cited relative to it)."""
    src = proposals.source_id
    ids = _ids(proposals, known_ids)

    def ref(kind: str, target: str, known: bool) -> str:
        return target if known else ids.get((kind, target), target)

    text_path = Path(document.path).resolve()
    relative = os.path.relpath(text_path, draft_path.resolve().parent if draft_path else Path.cwd())
    draft: dict[str, Any] = {"draft": {
        "source": src, "text": str(relative), "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tool": "seikg ingest",
        "counts": {k: len(proposals.of_kind(k)) for k in ("policies", "actors", "regions", "mechanisms", "problems")}}}
    draft["sources"] = [{"id": src, "label": title or _title(document), "text": str(relative)}]
    entries: dict[str, list[dict]] = {k: [] for k in ("policies", "actors", "regions", "mechanisms", "problems")}
    standalone: list[dict] = []
    matches: list[dict] = []
    inverse_items: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for (kind, _), proposal in proposals.items.items():
        if proposal.match:
            first = proposal.anchors[0]
            matches.append({"kind": kind, "name": proposal.label, "id": proposal.match.known.id,
                            "score": proposal.match.score, "by": proposal.match.by, "sec": first.section,
                            "anchor": first.phrase, "mentions": len(proposal.anchors)})
        for link in proposal.links:
            item = {"to": ref(link.target_kind, link.target, link.known), **_evidence(link.anchor, link.support),
                    "review": {"confidence": link.confidence}}
            inverse = _INVERSE.get((kind, link.field))
            source_ref = proposal.match.known.id if proposal.match else ids[(kind, proposal.key)]
            if inverse and not link.known:
                item["to"] = source_ref
                inverse_items.setdefault((inverse[0], link.target), []).append((inverse[1], item))
            elif proposal.match:
                standalone.append({"from": source_ref, "field": link.field, **{**item, "src": src}})
            else:
                proposal_links = inverse_items.setdefault((kind, proposal.key), [])
                proposal_links.append((link.field, item))
    for (kind, _), proposal in proposals.items.items():
        if proposal.match:
            continue
        entries[kind].append(_entry(proposal, ids[(kind, proposal.key)], src, gazetteer, known_ids,
                                    inverse_items.get((kind, proposal.key), [])))
    for kind, items in entries.items():
        if items:
            draft[kind] = items
    frameworks = []
    for label, anchor, tops in proposals.frameworks:
        top_ids = [t.match.known.id if t.match else ids[(t.kind, t.key)] for t in tops]
        frameworks.append({"id": _unique(slug(label), known_ids | set(ids.values())), "label": label, "src": src,
                           "proposed_by": [_evidence(anchor)],
                           "top": [{"to": ident, **_evidence(anchor)} for ident in top_ids],
                           "review": {"confidence": 0.6}})
    if frameworks:
        draft["frameworks"] = frameworks
    if standalone:
        draft["links"] = standalone
    if matches:
        draft["matches"] = matches
    return DRAFT_HEADER + yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=110)


def _unique(ident: str, taken: set[str]) -> str:
    candidate, n = ident, 2
    while candidate in taken:
        candidate, n = f"{ident}-{n}", n + 1
    return candidate


def _title(document: Document) -> str:
    for section in document.sections:
        for line in (section.heading, *section.text.splitlines()):
            text = line.strip(" #*")
            if len(text.split()) >= 4:
                return text
    return Path(document.path).stem


def _entry(proposal: Proposal, ident: str, src: str, gazetteer: Gazetteer, known_ids: set[str],
           links: list[tuple[str, dict]]) -> dict:
    entry: dict[str, Any] = {"id": ident}
    kind = proposal.kind
    review: dict[str, Any] = {"confidence": proposal.confidence, "anchors": len(proposal.anchors)}
    if kind == "policies":
        entry["type"] = proposal.type if proposal.type in _GENRES else "Plan"
    elif kind == "actors":
        entry["type"] = proposal.type if proposal.type in _ACTOR_TYPES else "ActorType"
        if proposal.type not in _ACTOR_TYPES:
            review["type"] = "guessed: set the actor's kind"
    elif kind == "regions":
        entry["type"] = proposal.type or "City"
    entry["label"] = proposal.label
    entry["src"] = src
    first = proposal.anchors[0]
    mention = {"policies": "discussed_by", "mechanisms": "proposed_by", "problems": "identified_by"}.get(kind)
    if mention:
        entry[mention] = [_evidence(a) for a in proposal.anchors[:3]]
    else:
        entry["ev"] = [_evidence(first)]
    for field_name in ("issued", "number"):
        values = proposal.values.get(field_name, [])
        if values:
            entry[field_name] = [{"value": v, **_evidence(a, support)} for v, a, support in values[:3]]
    if kind == "regions":
        known = gazetteer.by_id("regions", proposal.key) or next(
            (k for k in gazetteer.of_kind("regions") if k.label == proposal.label), None)
        if known and known.parent and "mca-admin-divisions" in known_ids and known.parent in known_ids:
            parent = gazetteer.by_id("regions", known.parent)
            entry["part_of"] = [{"to": known.parent, "src": "mca-admin-divisions",
                                 "sec": _chinese(parent) or known.parent, "anchor": _chinese(known) or known.label}]
        elif known and known.parent:
            review["part_of"] = f"the shipped list places it in {known.parent}, which is not in the graph yet"
    for field_name, item in links:
        entry.setdefault(field_name, []).append(item)
    entry["review"] = review
    return entry


def _chinese(known: Any) -> str | None:
    """The Chinese name of a known place, as the administrative register spells it."""
    if known is None:
        return None
    return next((n for n in known.names if any("\u4e00" <= c <= "\u9fff" for c in n) and n[-1] in "省市区"), None) \
        or next((n for n in known.names if any("\u4e00" <= c <= "\u9fff" for c in n)), None)


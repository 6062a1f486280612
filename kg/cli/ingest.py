"""``seikg ingest`` (propose a draft from a text) and ``seikg review`` (accept a draft item by item).

Exit codes: 0 done; 1 nothing accepted, or review quit; 2 bad input (an unreadable, empty, binary, huge
or non-UTF-8 text, a malformed draft, or ids that collide with data/, each listed with file and line).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Callable

import yaml

from kg.config import Settings
from kg.errors import LoadError
from kg.build.loader import build_dataset
from kg.build.yamlfile import Located, read_yaml
from kg.model.iris import entity_prefix

__all__ = ["add_ingest_commands", "ingest_text", "known_ids", "review_draft"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KINDS = ("sources", "policies", "actors", "regions", "mechanisms", "problems", "frameworks")


def add_ingest_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``ingest`` and ``review`` to the ``seikg`` command line."""
    p = sub.add_parser("ingest", help="propose entities and links from a text (plain or Markdown) as a draft",
                       epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Read FILE, find its sections, and propose policy documents, actors, places, "
                                   "mechanisms, problems and the links between them, each with a verbatim anchor, "
                                   "a confidence and any known entity it may be. Writes a draft (never data/).")
    p.add_argument("file", type=Path, help="the text to read (UTF-8 plain text or Markdown, at most 5 MiB)")
    p.add_argument("--source-id", required=True, help="the id the new source gets, e.g. wang-2026")
    p.add_argument("-o", "--output", type=Path, help="where to write the draft (default: standard output)")
    p.set_defaults(handler=_cmd_ingest)
    p = sub.add_parser("review", help="accept, edit or reject a draft's proposals one by one, into data/",
                       epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Show each proposal of DRAFT with its anchors; answer a (accept), r (reject), "
                                   "e (edit the label), A (accept all the rest), R (reject all the rest) or "
                                   "q (quit, write nothing). Accepted items go into a new file "
                                   "data/ingested-SOURCE.yaml and the text into data/texts/; no other file in "
                                   "data/ changes, and nothing is written unless the result builds.")
    p.add_argument("draft", type=Path)
    p.add_argument("--yes", action="store_true", help="accept every proposal without asking")
    p.set_defaults(handler=_cmd_review)


def known_ids(settings: Settings, dataset: Any = None) -> set[str]:
    """Every id defined in ``settings.data_dir`` (or in ``dataset``, already built from it).

    Raises
    ------
    kg.errors.LoadError
        If the data does not load.
    """
    dataset = dataset if dataset is not None else build_dataset(settings).dataset
    prefix = entity_prefix(settings.base_iri)
    return {str(s).rsplit("/", 1)[-1] for s, _, _, _ in dataset.quads((None, None, None, None))
            if str(s).startswith(prefix)}


def ingest_text(path: Path, source_id: str, settings: Settings, output: Path | None = None) -> str:
    """The draft for the text at ``path``, with gazetteers from the graph of ``settings.data_dir``.

    Raises
    ------
    kg.errors.LoadError
        If the text cannot be read (missing, empty, binary, over 5 MiB, not UTF-8) or the data does not
        load, or ``source_id`` is not a new kebab-case id.
    """
    from kg.ingest.draft import render_draft
    from kg.ingest.extract import extract
    from kg.ingest.gazetteer import Gazetteer
    from kg.ingest.text import read_document

    document = read_document(path)
    if not _SLUG.match(source_id):
        raise LoadError.single(path, f"--source-id {source_id!r}: use an ASCII kebab-case id such as wang-2026",
                               field="source-id")
    dataset = build_dataset(settings).dataset
    ids = known_ids(settings, dataset)
    if source_id in ids:
        raise LoadError.single(path, f"--source-id {source_id!r} is already an id in {settings.data_dir}",
                               field="source-id")
    gazetteer = Gazetteer.from_graph(dataset, settings.base_iri)
    return render_draft(extract(document, source_id, gazetteer), document, gazetteer, ids, output)


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    text = ingest_text(args.file, args.source_id, settings, args.output)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"seikg: draft written to {args.output}; next: seikg review {args.output}", file=sys.stderr)
    return 0


def _collisions(draft_path: Path, draft: Located, ids: set[str]) -> list:
    from kg.errors import DataIssue
    issues = []
    for kind in _KINDS:
        for item in draft.get(kind) or []:
            if isinstance(item, Located) and item.get("id") in ids:
                issues.append(DataIssue(str(draft_path), item.line_of("id"), str(item["id"]), "id",
                                        f"collides with an id already in data/ ({kind})"))
    return issues


def review_draft(draft_path: Path, settings: Settings, ask: Callable[[str], str],
                 say: Callable[[str], None] = print) -> Path | None:
    """Walk the draft's proposals with ``ask`` (returns the answer to a prompt); write what is accepted to
    ``data/ingested-SOURCE.yaml`` (and the text to ``data/texts/``). Returns the file written, or None.

    Raises
    ------
    kg.errors.LoadError
        If the draft is malformed, collides with ids in data/ (every collision listed), or the accepted
        items do not build with data/ (then nothing is written).
    """
    draft = read_yaml(draft_path)
    if not isinstance(draft, Located) or not isinstance(draft.get("draft"), dict):
        raise LoadError.single(draft_path, "not a seikg draft (no `draft:` section); make one with seikg ingest")
    issues = _collisions(draft_path, draft, known_ids(settings))
    if issues:
        raise LoadError(issues)
    source = str(draft["draft"].get("source", ""))
    target = Path(settings.data_dir) / f"ingested-{source}.yaml"
    if target.exists():
        raise LoadError.single(draft_path, f"{target} exists: this source was already reviewed", field="source")
    accepted, rejected = _decide(draft, ask, say)
    if accepted is None:
        say("quit: nothing written")
        return None
    body = _accepted_body(draft, accepted, rejected)
    if not any(body.get(k) for k in _KINDS[1:]) and not body.get("links"):
        say("nothing accepted: nothing written")
        return None
    text_source = (draft_path.parent / str(draft["draft"]["text"])).resolve()
    texts = Path(settings.data_dir) / "texts"
    text_target = texts / f"{source}.txt"
    body["sources"] = [{**dict(s), "text": f"texts/{source}.txt"} for s in body.get("sources", [])]
    header = (f"# Accepted from the draft {draft_path.name} by `seikg review` (source {source}).\n"
              "# Edit freely: this file is curated data like any other in data/.\n")
    written = []
    try:
        texts.mkdir(parents=True, exist_ok=True)
        if not text_target.exists():
            shutil.copyfile(text_source, text_target)
            written.append(text_target)
        target.write_text(header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110),
                          encoding="utf-8")
        written.append(target)
        build_dataset(settings)  # the accepted items must build with everything else
    except (LoadError, OSError):
        for path in written:
            path.unlink(missing_ok=True)
        raise
    say(f"written: {target}")
    return target


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "review"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _describe(kind: str, item: dict) -> str:
    anchors = [v for k, v in item.items() if isinstance(v, list) for v in v if isinstance(v, dict) and "anchor" in v]
    lines = [f"{kind[:-1] if kind != 'links' else 'link'}: {item.get('label') or item.get('from')}"
             f"  [id {item.get('id', '-')}, type {item.get('type', '-')}, confidence "
             f"{(item.get('review') or {}).get('confidence', '-')}]"]
    if kind == "links":
        lines.append(f"  {item['from']} --{item['field']}--> {item['to']}   ({item['sec']}: \"{item['anchor']}\")")
    lines += [f"  {a['sec']}: \"{a['anchor']}\"" for a in anchors[:3]]
    return "\n".join(lines)


def _decide(draft: dict, ask: Callable[[str], str], say: Callable[[str], None]
            ) -> tuple[set[tuple[str, int]] | None, set[str]]:
    accepted: set[tuple[str, int]] = set()
    rejected: set[str] = set()
    mode = None
    for kind in (*_KINDS[1:], "links"):
        for index, item in enumerate(draft.get(kind) or []):
            answer = mode or ""
            while answer not in ("a", "r"):
                say(_describe(kind, item))
                answer = ask("[a]ccept [r]eject [e]dit label [A]ccept rest [R]eject rest [q]uit > ").strip()
                if answer == "q":
                    return None, rejected
                if answer in ("A", "R"):
                    mode = answer.lower()
                    answer = mode
                elif answer == "e" and kind != "links":
                    item["label"] = ask("new label > ").strip() or item["label"]
            if answer == "a":
                accepted.add((kind, index))
            elif "id" in item:
                rejected.add(str(item["id"]))
    return accepted, rejected


def _accepted_body(draft: dict, accepted: set[tuple[str, int]], rejected: set[str]) -> dict:
    """The accepted items without review fields, and without links to rejected items."""
    body: dict[str, list] = {}
    kept_ids = {str(item.get("id")) for kind in _KINDS[1:] for i, item in enumerate(draft.get(kind) or [])
                if (kind, i) in accepted}

    def keep_link(to: Any) -> bool:
        return str(to) not in rejected or str(to) in kept_ids

    for kind in (*_KINDS[1:], "links"):
        items = []
        for index, item in enumerate(draft.get(kind) or []):
            if (kind, index) not in accepted:
                continue
            if kind == "links" and not (keep_link(item["to"]) and keep_link(item["from"])):
                continue
            entry = _plain(dict(item))
            for key, value in list(entry.items()):
                if isinstance(value, list) and value and isinstance(value[0], dict) and "to" in value[0]:
                    entry[key] = [v for v in value if keep_link(v["to"])] or None
                    if entry[key] is None:
                        del entry[key]
            items.append(entry)
        if items:
            body[kind] = items
    if body:
        body = {"sources": [_plain(dict(s)) for s in draft.get("sources") or []], **body}
    return body


def _cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    ask = (lambda prompt: "A") if args.yes else input
    written = review_draft(args.draft, settings, ask)
    return 0 if written else 1


"""``seikg diff OLD NEW``: what changed per entity between two graphs, data folders or git revisions of data/."""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from rdflib import Graph

from kg.build.export import parse_export
from kg.build.loader import build_dataset
from kg.checks.diff import Change, GraphDiff, diff_graphs
from kg.config import Settings
from kg.errors import InvalidArgument
from kg.model.kinds import KINDS

__all__ = ["add_diff_command", "run_diff_command"]

_PREFIXES = {"https://w3id.org/seikg/ontology#": "seikg:", "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
             "http://www.w3.org/2004/02/skos/core#": "skos:", "http://purl.org/dc/terms/": "dcterms:",
             "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:", "http://www.w3.org/ns/prov#": "prov:",
             "http://www.w3.org/2001/XMLSchema#": "xsd:"}
_MARK = {"added": "+", "removed": "-", "changed": "~"}


def add_diff_command(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Register ``seikg diff`` on the CLI's subparsers."""
    p = sub.add_parser(
        "diff", help="what changed per entity between two graphs, data folders or git revisions of data/",
        description="Compare two versions of the graph entity by entity: entities added or removed, and links, "
                    "labels, descriptions, values and evidence added, removed or changed. Each side is an RDF "
                    "file (.nq, .trig, .ttl, .jsonld, as `seikg export` writes), a data folder (built with the "
                    "seed texts), or a git revision whose data/ is built (HEAD, main~3, a commit). Examples: "
                    "`seikg diff HEAD data` (uncommitted curation), `seikg diff data data --draft draft.yaml` "
                    "(what a draft of `seikg ingest` would add), `seikg diff old.nq new.nq`.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old", metavar="OLD", help="RDF file, data folder or git revision")
    p.add_argument("new", metavar="NEW", help="RDF file, data folder or git revision")
    p.add_argument("--draft", action="append", type=Path, default=[], metavar="FILE",
                   help="add a draft of `seikg ingest` to NEW (a data folder or revision; repeatable)")
    p.add_argument("--kind", action="append", choices=list(KINDS), metavar="KIND",
                   help=f"only entities of this kind (repeatable): {', '.join(KINDS)}")
    p.add_argument("--format", default="text", choices=("text", "json"))
    p.add_argument("--exit-code", action="store_true", help="exit 1 if the two sides differ (as git diff does)")
    p.set_defaults(handler=run_diff_command)


def run_diff_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``seikg diff``; returns the exit code (0, or 1 with ``--exit-code`` when the sides differ).

    Raises
    ------
    kg.errors.InvalidArgument
        If a side is neither a file, a data folder nor a git revision, or a draft is given for an RDF file (exit 2).
    kg.errors.LoadError
        If a side cannot be read or built (exit 2).
    """
    old = _side(args.old, settings, (), "OLD")
    new = _side(args.new, settings, tuple(args.draft), "NEW")
    result = diff_graphs(old, new, settings.base_iri, old_name=args.old, new_name=args.new)
    if args.kind:
        slugs = {KINDS[k].slug for k in args.kind}
        result = replace(result, entities=tuple(e for e in result.entities if e.kind in slugs))
    if args.format == "json":
        print(json.dumps({"old": result.old, "new": result.new, "counts": result.counts(),
                          "entities": [asdict(e) for e in result.entities]}, indent=2, ensure_ascii=False))
    else:
        print(render_diff(result, settings.base_iri))
    return 1 if args.exit_code and result.entities else 0


def render_diff(result: GraphDiff, base_iri: str) -> str:
    """The diff as text: a summary line, then each entity with its changes (``+`` added, ``-`` removed,
    ``~`` changed)."""
    counts = result.counts()
    lines = [f"{result.old} -> {result.new}: {counts['added']} entities added, {counts['removed']} removed, "
             f"{counts['changed']} changed ({counts['changes']} changes)"]
    for entity in result.entities:
        lines.append("")
        lines.append(f"{_MARK[entity.status]} {_short(entity.iri, base_iri)}  {entity.label}")
        lines += [f"    {_line(change, base_iri)}" for change in entity.changes]
    return "\n".join(lines)


def _line(change: Change, base_iri: str) -> str:
    predicate = " -> ".join(_short(part, base_iri) for part in change.predicate.split(" -> "))
    old, new = (_value(v, change.what, base_iri) for v in (change.old, change.new))
    if change.change == "changed":
        return f"~ {change.what} {predicate}: {old} => {new}"
    return f"{_MARK[change.change]} {change.what} {predicate} {new if change.change == 'added' else old}"


def _value(value: str | None, what: str, base_iri: str) -> str:
    if value is None:
        return "(none)"
    if what == "link":
        return _short(value, base_iri)
    if what == "evidence":
        return value
    return json.dumps(value if len(value) <= 160 else value[:157] + "...", ensure_ascii=False)


def _short(iri: str, base_iri: str) -> str:
    entities = base_iri.rstrip("/") + "/id/"
    if iri.startswith(entities):
        return iri[len(entities):]
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


def _side(spec: str, settings: Settings, drafts: tuple[Path, ...], name: str) -> Graph:
    path = Path(spec)
    if path.is_file():
        if drafts:
            raise InvalidArgument(f"--draft: a draft adds to a data folder or revision, not to the RDF file {spec}")
        return parse_export(path)
    if path.is_dir():
        return build_dataset(replace(settings, data_dir=path), drafts=drafts).dataset
    return _revision(spec, settings, drafts, name)


def _revision(spec: str, settings: Settings, drafts: tuple[Path, ...], name: str) -> Graph:
    data = settings.data_dir.resolve()
    top = _git(data.parent, "rev-parse", "--show-toplevel")
    commit = _git(data.parent, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}") if top else None
    if not top or not commit:
        raise InvalidArgument(f"{name}: {spec!r} is neither an RDF file, a data folder nor a git revision"
                              + ("" if top else f" ({data.parent} is not in a git work tree)"))
    inside = data.relative_to(Path(top.decode().strip()))
    archive = subprocess.run(["git", "-C", str(data.parent), "archive", commit.decode().strip(), "--", str(inside)],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        raise InvalidArgument(f"{name}: revision {spec!r} has no {inside}/ folder")
    with tempfile.TemporaryDirectory(prefix="seikg-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        return build_dataset(replace(settings, data_dir=Path(folder) / inside), drafts=drafts).dataset


def _git(cwd: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 and done.stdout.strip() else None

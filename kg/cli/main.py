"""The ``seikg`` command line: build, validate, export, query and inspect the graph."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib import metadata
from dataclasses import replace
from pathlib import Path

from rdflib import Dataset, URIRef

from kg.build.source_issues import ISSUE_KINDS
from kg.checks.issues import list_source_issues
from kg.model.iris import entity_iri
from kg.cli.listing import add_list_command
from kg.cli.diff import add_diff_command
from kg.cli.kind_tables import render_architecture_table, render_curation_table, with_table
from kg.cli.analyze import add_analyze_command
from kg.cli.ingest import add_ingest_commands
from kg.config import PROJECT_ROOT, Settings
from kg.errors import ConfigError, InvalidArgument, NotFoundError, SeikgError, exit_code
from kg.sparql.examples import render_competency_examples
from kg.build.export import union_graph, FORMATS, parse_export, serialize_dataset, write_atomically
from kg.build.loader import build_dataset
from kg.build.ontology import load_ontology, load_shapes, render_data_model, render_vocab_module
from kg.sparql.local import format_result, run_query
from kg.analyses.stored import store_analyses
from kg.store.backend import load_record_graph, remote_analyses_dir
from kg.store.gsp import file_version, load_into, record_load
from kg.sparql.queries import load_query
from kg.runtime import QueryService
from kg.store.snapshot import StoreSnapshot, build_snapshot, write_snapshot
from kg.checks.validate import ConflictRecord, ValidationReport, list_conflicts, validate_graph
from kg.model.iris import entity_prefix

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0        #: success; for validate, the graph conforms
EXIT_FAILED = 1    #: the data does not conform, or a check failed
EXIT_USAGE = 2     #: usage error, or the input could not be loaded

EPILOG = """\
exit codes:
  0  success (validate: the graph conforms)
  1  the graph does not conform, or a check failed
  2  usage error, or the data could not be loaded (every problem is listed
     with file, line, entry and field)

settings (environment):
  SEIKG_DATA       folder of curated YAML files      (default: ./data)
  SEIKG_ONTOLOGY   folder of seikg.ttl and shapes.ttl (default: ./ontology)
  SEIKG_SEEDS      folder of the seed texts           (default: ../shared/seeds if present;
                   set it empty to skip anchor checks)
  SEIKG_BASE_IRI   base of minted IRIs                (default: https://w3id.org/seikg/)
  SEIKG_STORE      "embedded", or a SPARQL endpoint URL (default: embedded)
  SEIKG_STORE_DIR  where store snapshots are written  (default: ./build/stores)
  SEIKG_GRAPH      serve this N-Quads file instead of building SEIKG_DATA (default: unset)
  SEIKG_QUERY_DEADLINE    seconds before a query is stopped      (default: 10)
  SEIKG_QUERY_WORKERS     queries evaluated at once              (default: cores - 1, at least 1)
  SEIKG_MAX_ROWS          most rows or triples in a result       (default: 10000)
  SEIKG_WORKER_MEMORY_MB  memory limit of each query worker      (default: 2048; 0 for none)
  SEIKG_MAX_RESULT_MB     largest result of a user's query, MiB  (default: 16)
  SEIKG_WORKER_SANDBOX    cut query workers off the network      (default: 1; 0 turns it off)
  SEIKG_MAX_BODY_KB       largest request body read, in KiB      (default: 64)
  SEIKG_RELOAD_DEADLINE   seconds a (re)load may take            (default: 600)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="seikg", description=__doc__.splitlines()[0],
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of curated YAML files (overrides SEIKG_DATA)")
    parser.add_argument("--seeds", type=Path, help="folder of seed texts (overrides SEIKG_SEEDS)")
    parser.add_argument("--no-seeds", action="store_true", help="skip anchor checks against seed texts")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="build the graph from data/ and write sorted N-Quads",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", type=Path, default=PROJECT_ROOT / "build" / "seikg.nq",
                   help="where to write the N-Quads (default: build/seikg.nq)")

    p = sub.add_parser("validate", help="SHACL, anchor and conflict checks; exit 0 conforms, 1 does not",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--graph", type=Path, help="validate an exported file instead of building data/")
    p.add_argument("--draft", type=Path, action="append", default=[],
                   help="also read this draft from `seikg ingest`, as if accepted whole (repeatable)")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("load", help="upload the graph into a remote store (SPARQL 1.1 Graph Store Protocol)",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Build the graph from data/ (or take --graph FILE.nq) and upload it, graph by "
                                   "graph, to a Graph Store Protocol endpoint, replacing those graphs. The password "
                                   "is read from SEIKG_STORE_PASSWORD. The version loaded is recorded in the store "
                                   "(graph .../graph/load), and the analyses of that version are computed once and "
                                   "stored under SEIKG_STORE_DIR, where every web worker serving the store reads "
                                   "them. Then serve it with `seikg serve --store http://HOST:PORT/sparql` (or "
                                   "reload the running server: kill -HUP).")
    p.add_argument("--into", required=True, metavar="URL",
                   help="the store's Graph Store Protocol URL, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth")
    p.add_argument("--graph", type=Path, help="upload this N-Quads file instead of building data/")
    p.add_argument("--user", help="user for HTTP digest or basic authentication (e.g. dba for Virtuoso)")
    p.add_argument("--chunk", type=int, default=100_000, help="most triples per request (default 100000)")
    p.add_argument("--no-analyses", dest="analyses", action="store_false",
                   help="do not analyse the graph now; each web worker then reads the store whole and analyses "
                        "it when it starts")

    p = sub.add_parser("export", help="write the graph as turtle, nquads, trig or jsonld",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=sorted(FORMATS), required=True)
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    p = sub.add_parser("query", help="run a SPARQL query and print the result",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sparql", nargs="?", help="the query text (or use --file)")
    p.add_argument("-f", "--file", type=Path, help="read the query from a file")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--graph", type=Path, help="query an exported file instead of building data/")

    p = sub.add_parser("evidence", help="every link of one entity with its source, section and anchor",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("entity", help="an entity IRI, or KIND/ID such as policy/outline-strong-education-country-2024-2035")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")

    p = sub.add_parser("conflicts", help="list every source issue: disagreements between sources and defects "
                                         "of the texts, each side with its evidence",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", help="only issues that concern or cite this source (an id such as xu-lingling)")
    p.add_argument("--kind", choices=[*ISSUE_KINDS, "conflict"], help="only issues of this kind")

    add_analyze_command(sub, EPILOG)
    add_list_command(sub, EPILOG)
    add_diff_command(sub, EPILOG)
    add_ingest_commands(sub, EPILOG)

    for entry_point in sorted(metadata.entry_points(group="seikg.commands"), key=lambda e: e.name):
        entry_point.load()(sub, EPILOG)  # commands of packages built on kg, e.g. `serve` from api

    p = sub.add_parser("generate", help="regenerate kg/model/vocab.py, docs/data-model.md and the editor's "
                                        "competency-question examples",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.data is not None:
        settings = replace(settings, data_dir=args.data)
    if args.seeds is not None:
        settings = replace(settings, seeds_dir=args.seeds)
    if args.no_seeds:
        settings = replace(settings, seeds_dir=None)
    settings.check()
    return settings


def _dataset(args: argparse.Namespace, settings: Settings) -> Dataset:
    graph_file = getattr(args, "graph", None)
    if graph_file is not None:
        return parse_export(graph_file)
    return build_dataset(settings, drafts=tuple(getattr(args, "draft", ()) or ())).dataset


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (see ``seikg --help``)."""
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
        handler = getattr(args, "handler", None) or _COMMANDS[args.command]
        return handler(args, settings)
    except SeikgError as exc:  # one table maps each error class to its exit code
        print(f"seikg: {exc}", file=sys.stderr)
        return exit_code(exc)
    except BrokenPipeError:
        return EXIT_OK


def _cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    built = build_dataset(settings)
    write_atomically(args.output, serialize_dataset(built.dataset, "nquads"))
    print(f"wrote {args.output} ({len(built.dataset)} quads from {len(built.files)} files)")
    for kind, count in sorted(built.entity_counts.items()):
        print(f"  {kind:<11} {count}")
    seeds = (f"{built.anchors_checked} anchors found in their seed texts"
             if settings.seeds_dir else "seed texts not available: anchors not checked")
    print(f"  {seeds}; {built.anchors_skipped} not checkable (outside the seeds)")
    return EXIT_OK


def _cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    if not args.into.startswith(("http://", "https://")):
        raise ConfigError(f"--into {args.into!r}: give the store's Graph Store Protocol URL (http://...)")
    if args.chunk < 1:
        raise ConfigError(f"--chunk {args.chunk}: must be at least 1")
    if args.graph is not None and not args.graph.is_file():
        raise NotFoundError(f"--graph: file {args.graph} does not exist")
    # the graph serve would serve: built, validated and written once per content (or the given file)
    source = args.graph or Path(build_snapshot(settings).path)
    password = os.environ.get("SEIKG_STORE_PASSWORD")
    report = load_into(args.into, source, user=args.user, password=password, chunk=args.chunk)
    total = sum(report.graphs.values())
    print(f"loaded {total} triples into {len(report.graphs)} graphs of {args.into} "
          f"in {report.seconds:.1f} s ({report.requests} requests)")
    for graph, count in sorted(report.graphs.items()):
        print(f"  {graph}  {count}")
    # the version loaded, recorded in the store, and its analyses stored where every web worker reads them
    version = file_version(source)
    record_load(args.into, load_record_graph(settings), version, user=args.user, password=password)
    print(f"recorded version {version} in {load_record_graph(settings)}")
    if args.analyses:
        started = time.monotonic()
        stored = store_analyses(remote_analyses_dir(settings), source, version, base_iri=settings.base_iri)
        print(f"analyses of version {version} stored in {stored.parent if stored else 'nowhere (see the log)'} "
              f"in {time.monotonic() - started:.1f} s")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    dataset = _dataset(args, settings)
    report = validate_graph(dataset, load_shapes(settings.ontology_dir), seeds_dir=settings.seeds_dir,
                            base_iri=settings.base_iri)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(_report_text(report))
    return EXIT_OK if report.conforms else EXIT_FAILED


def _report_text(report: ValidationReport) -> str:
    lines = ["conforms" if report.conforms else "DOES NOT CONFORM", "", "entities:"]
    lines += [f"  {name:<19} {count}" for name, count in sorted(report.counts.items())]
    lines += ["", f"SHACL violations: {len(report.violations)}"]
    lines += [f"  {v.focus} {v.path}: {v.message}" + (f" [{v.value}]" if v.value else "")
              for v in report.violations]
    lines += ["", f"dangling references: {len(report.dangling)}"]
    lines += [f"  {s} {p} -> {o} (defined nowhere)" for s, p, o in report.dangling]
    anchors = report.anchors
    if anchors.seeds_available:
        lines += ["", f"anchors: {anchors.checked} checked in the seed texts, {len(anchors.missing)} missing, "
                      f"{anchors.skipped} from sources outside the seeds (not checkable)"]
    else:
        lines += ["", f"anchors: not checked, the seed texts are not available ({anchors.skipped} anchors)"]
    lines += [f"  missing: {source} {anchor!r} ({evidence})" for evidence, source, anchor in anchors.missing]
    lines += ["", _conflicts_text(report.conflicts)]
    return "\n".join(lines)


def _conflicts_text(conflicts: tuple[ConflictRecord, ...]) -> str:
    lines = [f"conflicts between sources: {len(conflicts)}"]
    for conflict in conflicts:
        lines.append(f"  {conflict.about_label}: {conflict.property.rsplit('/', 1)[-1]}")
        lines += [f"    {c.value}  ({c.source.rsplit('/', 1)[-1]}, {c.section}: {c.anchor!r})"
                  for c in conflict.claims]
        lines.append(f"    note: {conflict.note}")
    return "\n".join(lines)


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    data = serialize_dataset(build_dataset(settings).dataset, args.format)
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomically(args.output, data)
    return EXIT_OK


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    if (args.sparql is None) == (args.file is None):
        print("seikg query: give the query text or --file, not both", file=sys.stderr)
        return EXIT_USAGE
    text = args.sparql if args.file is None else args.file.read_text(encoding="utf-8")
    sys.stdout.write(run_as_the_endpoint(text, args.format, _snapshot_of(args, settings), settings))
    return EXIT_OK


def _snapshot_of(args: argparse.Namespace, settings: Settings) -> StoreSnapshot:
    """The store ``seikg serve`` would serve: the validated snapshot of data/, or the ``--graph`` file as it is."""
    graph_file = getattr(args, "graph", None)
    if graph_file is None:
        return build_snapshot(settings)
    nquads = serialize_dataset(parse_export(graph_file), "nquads")
    return write_snapshot(nquads, settings.store_dir)


def run_as_the_endpoint(text: str, fmt: str, snapshot: StoreSnapshot, settings: Settings) -> str:
    """Answer ``text`` exactly as ``/sparql`` does: the same screen, the same workers and limits, the same
    dataset (the default graph is the union of the named graphs, the analyses included), rendered as ``fmt``
    (``table``, ``json`` or ``csv``; a graph result is Turtle).

    Raises
    ------
    kg.errors.QueryError
        As the endpoint raises it (syntax errors, refusals, time-outs, the row cap).
    """
    import io

    from rdflib.query import Result

    service = QueryService.from_snapshot(replace(settings, query_workers=1), snapshot, analysis_graph=True)
    try:
        screened = service.screen(text)
        graph_form = screened.form in ("CONSTRUCT", "DESCRIBE")
        answer = service.execute(screened, "turtle" if graph_form else ("csv" if fmt == "csv" else "json"))
    finally:
        service.close()
    if graph_form or fmt in ("json", "csv"):
        return answer.body.decode("utf-8")
    result = Result.parse(io.BytesIO(answer.body), format="json")
    return format_result(result, "table", prefixes=TABLE_PREFIXES)


#: prefixes the table output abbreviates IRIs with
TABLE_PREFIXES = {"seikg": "https://w3id.org/seikg/ontology#", "id": "https://w3id.org/seikg/id/",
                  "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
                  "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def _cmd_evidence(args: argparse.Namespace, settings: Settings) -> int:
    entity = args.entity if "://" in args.entity else entity_prefix(settings.base_iri) + args.entity
    graph = union_graph(build_dataset(settings).dataset)
    if (URIRef(entity), None, None) not in graph:
        raise NotFoundError(f"no entity {entity}")
    result = run_query(graph, load_query("evidence_for"), bindings={"entity": URIRef(entity)})
    prefixes = {p: str(ns) for p, ns in graph.namespaces()}
    prefixes["id"] = entity_prefix(settings.base_iri)
    sys.stdout.write(format_result(result, args.format, prefixes=prefixes))
    return EXIT_OK


def _cmd_conflicts(args: argparse.Namespace, settings: Settings) -> int:
    graph = union_graph(build_dataset(settings).dataset)
    source = entity_iri(settings.base_iri, "source", args.source, "--source") if args.source else None
    if source is not None and not list(graph.triples((URIRef(source), None, None))):
        raise InvalidArgument(f"--source: no source {args.source!r} in the graph")
    issues = list_source_issues(graph, source=source, kind=args.kind)
    if args.source is None and args.kind in (None, "conflict"):
        print(_conflicts_text(list_conflicts(graph)) + "\n")
    print(f"source issues: {len(issues)}")
    for issue in issues:
        print(f"  [{issue.kind}] {issue.label}\n    about: {'; '.join(issue.about)}")
        print("".join(f"    - {s.claim}  ({s.source.rsplit('/', 1)[-1]} §{s.section}: {s.anchor!r})\n"
                      for s in issue.sides) + f"    note: {issue.note}")
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    ontology = load_ontology(settings.ontology_dir)
    targets = {Path(__file__).resolve().parent.parent / "model" / "vocab.py": render_vocab_module(ontology),
               PROJECT_ROOT / "docs" / "data-model.md": render_data_model(ontology)}
    for doc, table in (("curation.md", render_curation_table()), ("architecture.md", render_architecture_table())):
        targets[PROJECT_ROOT / "docs" / doc] = with_table(PROJECT_ROOT / "docs" / doc, table)
    competency = PROJECT_ROOT.parent / "shared" / "competency" / "public.yaml"
    if competency.is_file():  # the editor's copies of the public competency questions
        examples = Path(__file__).resolve().parent.parent / "sparql" / "queries" / "examples"
        targets.update({examples / name: text for name, text in render_competency_examples(competency).items()})
    stale = [path for path, text in targets.items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path} is out of date: run `seikg generate`", file=sys.stderr)
        return EXIT_FAILED if stale else EXIT_OK
    for path in stale:
        write_atomically(path, targets[path].encode("utf-8"))
        print(f"wrote {path}")
    return EXIT_OK


_COMMANDS = {
    "build": _cmd_build,
    "validate": _cmd_validate,
    "export": _cmd_export,
    "load": _cmd_load,
    "query": _cmd_query,
    "evidence": _cmd_evidence,
    "conflicts": _cmd_conflicts,
    "generate": _cmd_generate,
}


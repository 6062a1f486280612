"""``seikg analyze``: every analysis from the command line, as tables (rich), JSON or CSV."""
from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from kg.config import Settings
from kg.errors import InvalidArgument, NotFoundError
from kg.projection import PROJECTIONS, Projections, project_source
from kg.analyses.centrality import MEASURES, compute_centrality
from kg.analyses.communities import detect_communities
from kg.analyses.gaps import find_region_gaps
from kg.analyses.comparison import compare_regions
from kg.analyses.method import to_plain
from kg.analyses.rdf import serialize_analyses, suite_to_rdf
from kg.analyses import registry
from kg.analyses.registry import AnalysisParameters, RunContext
from kg.analyses.suite import run_analyses
from kg.analyses.tables import Table, tables_to_csv, tabulate
from kg.model.iris import entity_iri

__all__ = ["add_analyze_command"]

#: the analyses that take options of their own; every other name is an analysis of the registry, run whole
_WITH_OPTIONS = ("centrality", "communities", "gaps", "compare", "export")


def _names() -> tuple[str, ...]:
    whole = [name for entry in registry.served_analyses() for name in (entry.name, *entry.cli_names)]
    return (*_WITH_OPTIONS[:2], "gaps", *whole, "compare", "export")


def add_analyze_command(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Register ``seikg analyze`` on the CLI's subparsers."""
    p = sub.add_parser("analyze", help="network analyses and gap analysis (tables, JSON or CSV)",
                       description="Run one analysis over the graph built from data/ (or --graph FILE). "
                                   "Every result says how to re-run it: the SPARQL, or the projection and algorithm.",
                       epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    whole = " | ".join(f"{e.name} ({e.title[:40].rstrip()}...)" for e in registry.served_analyses())
    p.add_argument("analysis", choices=_names(), metavar="ANALYSIS",
                   help=f"centrality | communities | gaps --region ID | {whole} | compare ID ID [ID ...] | "
                        "export (RDF with PROV)")
    p.add_argument("regions", nargs="*", metavar="ID", help="regions to compare (ids such as hebei, or IRIs)")
    p.add_argument("--region", help="the region for gaps (an id such as tangshan, or an IRI)")
    p.add_argument("--projection", default="entity", choices=sorted(PROJECTIONS))
    p.add_argument("--measure", action="append", choices=MEASURES, help="centrality measure (repeatable; default all)")
    p.add_argument("--kind", help="only rankings among this kind (policy, actor, mechanism, problem, region, ...)")
    p.add_argument("--top", type=int, default=10, help="entries per ranking (default 10)")
    p.add_argument("--seed", type=int, default=42, help="seed for sampling and Louvain (default 42)")
    p.add_argument("--format", default="table", choices=("table", "json", "csv", "turtle", "nquads"),
                   help="table (default), json or csv; export takes turtle or nquads")
    p.add_argument("--cross-source", default="include", choices=("include", "exclude"),
                   help="count (default) or leave out the addressesProblem links that rest only on cross-paper "
                        "inferences (seikg:crossSource); the result's method says which")
    p.add_argument("--graph", type=Path, help="analyse an RDF file (.nq, .nt, .ttl, .trig) instead of data/")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(handler=run_analyze_command)


def run_analyze_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``seikg analyze``; returns the exit code.

    Raises
    ------
    kg.errors.InvalidArgument
        If a projection or option value is malformed or unknown (exit 2).
    kg.errors.NotFoundError
        If a region is not in the graph (exit 2).
    kg.errors.LoadError, kg.errors.StoreUnavailable
        If the data or the ``--graph`` file cannot be read.
    """
    if args.top < 1:
        raise InvalidArgument("--top: must be at least 1")
    projections = _projections(args, settings)
    base = settings.base_iri
    if args.analysis == "export":
        fmt = args.format if args.format in ("turtle", "nquads") else "turtle"
        suite = run_analyses(projections, AnalysisParameters(seed=args.seed, top=args.top))
        _write(args.output, serialize_analyses(suite_to_rdf(suite, base), base, fmt))
        return 0
    result = _analyse(args, projections, base)
    if args.format in ("turtle", "nquads"):
        raise InvalidArgument(f"--format {args.format}: only `seikg analyze export` writes RDF")
    if args.format == "json":
        _write(args.output, (json.dumps(to_plain(result), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    elif args.format == "csv":
        _write(args.output, tables_to_csv(_tables(args.analysis, result)).encode("utf-8"))
    else:
        _print_tables(_tables(args.analysis, result), args.output)
    return 0


def _projections(args: argparse.Namespace, settings: Settings) -> Projections:
    projections = project_source(settings, args.graph)
    return projections if args.cross_source == "include" else projections.without_cross_source()


def _region(projections: Projections, value: str | None, base: str, option: str) -> str:
    if not value:
        raise InvalidArgument(f"{option}: give a region id, such as tangshan")
    iri = value if "://" in value else entity_iri(base, "region", value, option)
    if iri not in projections.region_hierarchy:
        known = [r.rsplit("/", 1)[-1] for r in projections.nodes_of("region")]
        close = difflib.get_close_matches(value.rsplit("/", 1)[-1], known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known regions: {', '.join(known[:12])}" + (
            " ..." if len(known) > 12 else "")
        raise NotFoundError(f"{option}: no region {value!r} in the graph{hint}")
    return iri


def _tables(name: str, result: Any) -> list[Table]:
    entry = registry.analysis_named(name)
    return (entry.tables if entry is not None else tabulate)(result)


def _analyse(args: argparse.Namespace, projections: Projections, base: str) -> Any:
    name = args.analysis
    if name == "centrality":
        result = compute_centrality(projections, args.projection, top=args.top,
                                    measures=tuple(args.measure or MEASURES), seed=args.seed)
        if args.kind:
            kept = tuple(r for r in result.rankings if r.kind == args.kind)
            if not kept:
                raise InvalidArgument(f"--kind: no {args.kind!r} nodes on the {args.projection} projection")
            result = replace(result, rankings=kept)
        return result
    if name == "communities":
        return detect_communities(projections, args.projection, seed=args.seed)
    entry = registry.analysis_named(name)
    if entry is not None and entry.served:
        return entry.compute(projections, RunContext(AnalysisParameters(seed=args.seed, top=args.top), {}))
    if name == "gaps":
        return find_region_gaps(projections, _region(projections, args.region or (args.regions or [None])[0],
                                                     base, "--region"))
    regions = [_region(projections, r, base, "compare") for r in args.regions]
    return compare_regions(projections, regions)


def _write(output: Path | None, data: bytes) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


def _print_tables(tables: list[Table], output: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        console = Console(file=handle, width=160 if output or not handle.isatty() else None,
                          highlight=False, soft_wrap=False)
        for table in tables:
            rich = RichTable(title=table.title, title_justify="left", show_lines=False)
            for column in table.columns:
                rich.add_column(column, overflow="fold")
            for row in table.rows:
                rich.add_row(*row)
            if not table.rows:
                rich.add_row(*(["(none)"] + [""] * (len(table.columns) - 1)))
            console.print(rich)
            if table.note:
                console.print(table.note, markup=False)
            console.print()
    finally:
        if output:
            handle.close()

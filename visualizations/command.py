"""``seikg visualize``: write a view as one self-contained HTML file (vis-network inlined, no network needed)."""
from __future__ import annotations

import argparse
from pathlib import Path

from kg.analyses.centrality import score_nodes, undirected_weighted
from kg.analyses.gaps import find_region_gaps
from kg.config import Settings
from kg.errors import InvalidArgument
from kg.build.export import write_atomically
from kg.projection import Projections, project_source
from kg.model.iris import entity_prefix

from visualizations.render import render_view
from visualizations.views import DEFAULT_CAP, Filters, View, build_bipartite, build_ego, build_overview, build_region_gaps

__all__ = ["add_visualize_command"]


def add_visualize_command(subparsers: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``visualize`` to the ``seikg`` command line."""
    p = subparsers.add_parser(
        "visualize", help="write an interactive view as a self-contained HTML file (-o is required)",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("view", choices=("overview", "ego", "gaps", "bipartite"))
    p.add_argument("target", nargs="?", help="ego: KIND/ID such as region/tangshan; gaps: a region id")
    p.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    p.add_argument("--depth", type=int, default=1, help="ego: 1, 2 or 3 (default 1)")
    p.add_argument("--kind", help="comma-separated kinds to keep, e.g. policy,actor")
    p.add_argument("--cap", type=int, default=DEFAULT_CAP, help=f"most nodes drawn (default {DEFAULT_CAP})")
    p.add_argument("--graph", type=Path, help="an RDF file (.nq, .nt, .ttl, .trig) instead of data/")
    p.set_defaults(handler=_visualize)


def _projections(args: argparse.Namespace, settings: Settings) -> Projections:
    return project_source(settings, args.graph)


def _view(args: argparse.Namespace, settings: Settings, projections: Projections) -> View:
    base = settings.base_iri
    if args.cap < 1:
        raise InvalidArgument("--cap: must be at least 1")
    filters = Filters(tuple(k for k in (args.kind or "").split(",") if k))
    if args.view in ("ego", "gaps") and not args.target:
        raise InvalidArgument(f"{args.view}: give the {'entity as KIND/ID' if args.view == 'ego' else 'region id'}")
    if args.view == "bipartite":
        return build_bipartite(projections, base, cap=args.cap)
    scores = score_nodes(undirected_weighted(projections.entity), "pagerank")
    if args.view == "overview":
        return build_overview(projections, base, scores=scores, filters=filters, cap=args.cap)
    if args.view == "ego":
        return build_ego(projections, entity_prefix(base) + args.target, base, depth=args.depth, scores=scores,
                         filters=filters, cap=args.cap)
    region = entity_prefix(base) + f"region/{args.target}"
    return build_region_gaps(projections, find_region_gaps(projections, region, centrality=scores), base,
                             cap=args.cap)


def _visualize(args: argparse.Namespace, settings: Settings) -> int:
    projections = _projections(args, settings)
    html = render_view(_view(args, settings, projections), assets="inline")
    write_atomically(args.output, html.encode("utf-8"))
    print(f"wrote {args.output}")
    return 0

"""``seikg list KIND``: the entities of one kind from the command line, with the API's filters, from the
kinds registry alone (the same reading function as ``/api/KIND``)."""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace

from kg.build.export import serialize_dataset
from kg.build.loader import build_dataset
from kg.config import Settings
from kg.errors import InvalidArgument
from kg.model.kinds import KINDS
from kg.reading.entities import list_entities
from kg.runtime import QueryService
from kg.store.snapshot import write_snapshot

__all__ = ["add_list_command", "run_list_command"]


def add_list_command(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Register ``seikg list`` on the CLI's subparsers."""
    filters = "; ".join(f"{kind.plural}: {', '.join(f.name for f in kind.filters)}"
                        for kind in KINDS.values() if kind.filters)
    p = sub.add_parser("list", help="list the entities of one kind, filtered and paged as /api/KIND does",
                       description=f"Filters by kind: {filters}.", epilog=epilog,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=list(KINDS), metavar="KIND", help=", ".join(KINDS))
    p.add_argument("-q", "--q", help="text in any English or Chinese label")
    p.add_argument("--filter", action="append", default=[], metavar="NAME=ID",
                   help="keep entities linked to ID through the kind's filter NAME (repeatable)")
    p.add_argument("--from", dest="date_from", help="dated kinds: on or after YYYY[-MM[-DD]]")
    p.add_argument("--to", dest="date_to", help="dated kinds: on or before YYYY[-MM[-DD]]")
    p.add_argument("--type", help="most specific class, e.g. Notice, University")
    p.add_argument("--sort", default="label", choices=("label", "date", "-date"))
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--per-page", type=int, default=50)
    p.add_argument("--format", default="table", choices=("table", "json"))
    p.set_defaults(handler=run_list_command)


def run_list_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``seikg list``; returns the exit code.

    Raises
    ------
    kg.errors.InvalidArgument
        If a filter is malformed or not one of the kind's (exit 2).
    kg.errors.LoadError
        If the data does not build.
    """
    spec = KINDS[args.kind]
    filters: dict[str, str] = {}
    for item in args.filter:
        name, sep, value = item.partition("=")
        if not sep or name not in spec.filter_map:
            raise InvalidArgument(f"--filter {item!r}: NAME=ID with NAME one of "
                                  f"{', '.join(spec.filter_map) or '(none for this kind)'}")
        filters[name] = value
    nquads = serialize_dataset(build_dataset(settings).dataset, "nquads")
    service = QueryService.from_snapshot(replace(settings, query_workers=1), write_snapshot(nquads, settings.store_dir))
    try:
        page = list_entities(service, args.kind, q=args.q, filters=filters, date_from=args.date_from,
                             date_to=args.date_to, type_name=args.type, sort=args.sort, page=args.page,
                             per_page=args.per_page)
    finally:
        service.close()
    if args.format == "json":
        print(json.dumps(asdict(page), ensure_ascii=False, indent=2))
        return 0
    print(f"{spec.title}: {page.total} (page {page.page}, {len(page.items)} shown)")
    for item in page.items:
        dates = f"  [{', '.join(item.dates)}]" if item.dates else ""
        chinese = f"  {item.label_zh}" if item.label_zh else ""
        print(f"  {item.id}  {item.label}{chinese}{dates}")
    return 0

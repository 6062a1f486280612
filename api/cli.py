"""The ``seikg serve`` command, registered with the CLI through the ``seikg.commands`` entry point."""
from __future__ import annotations

import argparse
import signal

from kg.config import Settings

__all__ = ["add_serve_command"]


def add_serve_command(subparsers: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``serve`` to the ``seikg`` command line."""
    parser = subparsers.add_parser(
        "serve", help="build and validate the graph, then serve SPARQL and the API (default 127.0.0.1:8000)",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--store", help="'embedded' (default) or the URL of a SPARQL 1.1 endpoint that holds the graph")
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from dataclasses import replace

    from .app import create_app

    if args.store:
        settings = replace(settings, store=args.store)
        settings.check()
    app = create_app(settings)
    # SIGHUP reloads: build and validate a new snapshot in the background, then swap it in;
    # a failed reload keeps serving the old graph and says why at /status.
    signal.signal(signal.SIGHUP, lambda *_: app.state.service.load_in_background())
    print(f"seikg: loading the graph from {settings.data_dir}; serving at http://{args.host}:{args.port}/ "
          "(/status says when the graph is ready; `kill -HUP` reloads)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0

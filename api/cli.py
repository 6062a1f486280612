"""The ``seikg serve`` command, registered with the CLI through the ``seikg.commands`` entry point."""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from kg.config import Settings
from kg.errors import ConfigError

__all__ = ["add_serve_command"]


def add_serve_command(subparsers: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``serve`` to the ``seikg`` command line."""
    parser = subparsers.add_parser(
        "serve", help="build and validate the graph, then serve SPARQL and the API (default 127.0.0.1:8000)",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--store", help="'embedded' (default) or the URL of a SPARQL 1.1 endpoint that holds the graph")
    parser.add_argument("--graph", type=Path, metavar="FILE.nq",
                        help="serve this N-Quads file (an export) instead of building the data folder")
    parser.add_argument("--workers", type=int, default=1,
                        help="web worker processes behind the one address (default 1); each holds its own "
                             "copy of an embedded store, so use a remote --store for many workers")
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from dataclasses import replace

    from .app import create_app

    if args.store:
        settings = replace(settings, store=args.store)
    if args.graph:
        settings = replace(settings, graph_file=args.graph.resolve())
    settings.check()
    if args.workers < 1:
        raise ConfigError(f"--workers {args.workers}: must be at least 1")
    source = settings.graph_file or settings.data_dir
    if args.workers > 1:
        # each worker builds its app from the environment (create_app reads no settings at import time);
        # uvicorn's supervisor restarts the workers on SIGHUP, which reloads the graph in each
        os.environ.update(settings.to_env())
        print(f"seikg: {args.workers} workers loading the graph from {source}; serving at "
              f"http://{args.host}:{args.port}/", flush=True)
        uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                    log_level=args.log_level)
        return 0
    app = create_app(settings)
    # A reload projects and analyses the new graph in a thread of this process; a 1 ms switch interval
    # (default 5 ms) hands the GIL back to the event loop often enough that requests keep answering.
    sys.setswitchinterval(0.001)
    # SIGHUP reloads: build and validate a new snapshot in the background, then swap it in;
    # a failed reload keeps serving the old graph and says why at /status.
    signal.signal(signal.SIGHUP, lambda *_: app.state.service.load_in_background())
    print(f"seikg: loading the graph from {source}; serving at http://{args.host}:{args.port}/ "
          "(/status says when the graph is ready; `kill -HUP` reloads)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0

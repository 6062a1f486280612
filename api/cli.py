"""The ``seikg serve`` command, registered with the CLI through the ``seikg.commands`` entry point."""
from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kg.config import Settings
from kg.errors import ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["SWITCH_INTERVAL", "WORKER_HEALTHCHECK_SECONDS", "add_serve_command", "bind_listener",
           "create_worker_app"]


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


#: The GIL switch interval of a serving process (Python's default is 5 ms). A load projects and analyses
#: the graph in a thread while the event loop answers requests, and every request hands the GIL between
#: the loop and a handler thread several times: at 5 ms, a request waited about 40 ms more in each of
#: several web workers (bench/deployment.py), and /health slowed during a reload.
SWITCH_INTERVAL = 0.001

#: Connections and tasks a web worker serves at once; past it uvicorn answers 503. With the body limit
#: (``max_body_kb``) and the result cap (``max_result_mb``) it bounds what requests and responses can hold in
#: memory: MAX_CONNECTIONS x (max_body_kb + max_result_mb), 1 GiB with the defaults (docs/security.md).
MAX_CONNECTIONS = 64

#: How long uvicorn's supervisor waits for a web worker to answer its health check before killing it.
WORKER_HEALTHCHECK_SECONDS = 300


def bind_listener(host: str, port: int) -> socket.socket:
    """The listening socket that ``serve --workers N`` hands to its web workers.

    uvicorn's own (``Config.bind_socket``) leaves the protocol at 0; accepted sockets inherit it, and
    asyncio sets TCP_NODELAY only on sockets that say IPPROTO_TCP, so every keep-alive request after
    the first waited about 40 ms for a delayed ACK (uvicorn issue #3149). This one says IPPROTO_TCP.

    Raises
    ------
    kg.errors.ConfigError
        If the address cannot be bound (in use, or not an address of this machine).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"--host {host} --port {port}: cannot listen there: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def create_worker_app() -> FastAPI:
    """The app of one of several web workers (``serve --workers N``): settings from the environment,
    which ``serve`` exported, and the serving process's GIL switch interval."""
    from api.app import create_app

    sys.setswitchinterval(SWITCH_INTERVAL)
    return create_app(Settings.from_env())


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from dataclasses import replace

    from api.app import create_app

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
        from uvicorn.supervisors import Multiprocess

        # the supervisor kills a worker that does not answer its ping within the health-check timeout (5 s
        # by default); a worker reading a large remote store can hold the GIL in one call for longer than
        # that (found at 10M triples: both workers were killed and restarted, over and over)
        config = uvicorn.Config("api.cli:create_worker_app", factory=True, host=args.host, port=args.port,
                                workers=args.workers, log_level=args.log_level, limit_concurrency=MAX_CONNECTIONS,
                                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
        Multiprocess(config, sockets=[bind_listener(args.host, args.port)]).run()
        return 0
    app = create_app(settings)
    sys.setswitchinterval(SWITCH_INTERVAL)
    # SIGHUP reloads: build and validate a new snapshot in the background, then swap it in;
    # a failed reload keeps serving the old graph and says why at /status.
    signal.signal(signal.SIGHUP, lambda *_: app.state.service.load_in_background())
    print(f"seikg: loading the graph from {source}; serving at http://{args.host}:{args.port}/ "
          "(/status says when the graph is ready; `kill -HUP` reloads)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, limit_concurrency=MAX_CONNECTIONS)
    return 0

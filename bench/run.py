"""The benchmark harness: seikg against its peers on one synthetic graph, in one run.

    python bench/run.py --size 1m                 # prints the tables; writes bench/results/run-1m.json
    python bench/run.py --size 1m --markdown      # the tables for docs/performance.md, from the JSON

One run measures, on the same seeded synthetic graph (bench/synthetic.py plus the ontology):

1. seikg: loading the store from N-Quads, the server's time to ready and peak memory, every canned,
   competency and gap query over HTTP (median, p95), the HTTP API under concurrent load from a second
   process (/sparql with a canned query, /api/policies, an entity page, /api/regions/{id}/gaps), /health
   while a reload runs, every analysis, and HTML generation for views of 100, 1k and 10k nodes;
2. the peers, on the same data and queries: Virtuoso (Debian virtuoso-opensource, started here on
   127.0.0.1), rdflib-endpoint (PyPI) and rdflib's in-memory store queried directly.

Every figure gets its ratio, seikg / peer. Every server is started on 127.0.0.1 and stopped by PID; every
load test is bounded in time and count; a peer's query that exceeds --timeout is reported as such, and a
peer that exceeds its --peer-budget stops running queries (the rest are reported as not run).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peers, report  # noqa: E402
from bench.workload import (GAP_REGIONS, SIZES, Target, canned_queries, competency_queries, gap_queries,  # noqa: E402
                            summarise, synthetic_graph, time_query)

#: the issue's targets at 1M triples, checked by report.targets()
CANNED = "entity links with evidence"


def _queries() -> dict[str, dict[str, str]]:
    return {"canned": canned_queries(), "competency": competency_queries(), "gaps": gap_queries()}


def _time_all(base: str, path: str, queries: dict[str, dict[str, str]], *, repeat: int, timeout: float,
              budget: float | None = None, restart=None) -> dict[str, dict]:  # noqa: ANN001
    """Time every query; with ``restart`` (returns the new base URL), a peer whose query ran past the limit
    is restarted (its engine would go on computing), as long as its ``budget`` lasts."""
    results: dict[str, dict] = {}
    started = time.monotonic()
    for group, named in queries.items():
        for name, text in named.items():
            if budget is not None and time.monotonic() - started > budget:
                results[f"{group}: {name}"] = {"error": f"not run: the peer used its {budget:g} s budget"}
                continue
            result = time_query(base, path, text, repeat=repeat, timeout=timeout)
            results[f"{group}: {name}"] = result
            if restart is not None and "limit" in result.get("error", ""):
                base = restart()
    return results


def _second_process_load(target: Target, seconds: float, connections: int) -> dict:
    spec = {"target": target.__dict__, "options": {"seconds": seconds, "connections": connections}}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "workload.py"), "load-test", json.dumps(spec)],
                          capture_output=True, text=True, timeout=seconds + 120)
    return json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-500:]}


def _watch_memory(pid: int, stop: threading.Event, peak: dict[str, float]) -> None:
    """Keep the peak RSS and PSS of ``pid`` and its descendants in ``peak`` until ``stop``."""
    while not stop.is_set():
        peak["rss"] = max(peak.get("rss", 0.0), peers.rss_mib(pid))
        peak["pss"] = max(peak.get("pss", 0.0), peers.pss_mib(pid))
        stop.wait(0.5)


def _store_load(path: Path, out) -> None:  # noqa: ANN001 - a child process
    from kg.store.snapshot import load_in_memory
    before = peers.rss_mib(os.getpid(), children=False)
    started = time.perf_counter()
    store = load_in_memory(str(path))
    seconds = time.perf_counter() - started
    out.send({"seconds": round(seconds, 2), "quads": len(store),
              "store_mib": round(peers.rss_mib(os.getpid(), children=False) - before, 1)})


def measure_store_load(path: Path) -> dict:
    """Load the N-Quads into an in-memory Oxigraph store, as a query worker does, in a fresh process."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("spawn").Process(target=_store_load, args=(path, send))
    child.start()
    result = receive.recv() if receive.poll(600) else {"error": "no answer in 600 s"}
    child.join(30)
    return result


def _api_targets(base: str, queries: dict) -> list[Target]:
    return [Target("/sparql canned query", base, "/sparql", queries["canned"][CANNED]),
            Target("/api/policies?issuer=…", base, "/api/policies?issuer=actor-3&per_page=20"),
            Target("/api/policies?issuer=… (another issuer each time)", base,
                   "/api/policies?issuer=actor-{n}&per_page=20", rotate=500),
            Target("entity page (HTML)", base, "/id/policy/policy-10"),
            Target("/api/regions/{id}/gaps", base, f"/api/regions/{GAP_REGIONS[2]}/gaps")]


def _watched(server: peers.Server) -> tuple[threading.Event, dict[str, float]]:
    stop, peak = threading.Event(), {"rss": peers.rss_mib(server.process.pid), "pss": peers.pss_mib(server.process.pid)}
    threading.Thread(target=_watch_memory, args=(server.process.pid, stop, peak), daemon=True).start()
    return stop, peak


def measure_seikg(path: Path, workdir: Path, queries: dict, args: argparse.Namespace) -> dict:
    """The seikg server over the graph, started twice on the same store folder.

    First with no answer cache (``SEIKG_ANSWER_CACHE_MB=0``), so that every query is evaluated: ready time
    for a graph it has not seen (snapshot, analyses, workers), memory, every query, the load tests and
    /health during a reload. Then restarted with the default cache: ready time for an unchanged graph
    (the snapshot and the stored analyses are reused), its memory, every query again (after its first run,
    answered from the cache) and the load tests again, now answered from the cache where a request repeats.
    """
    env = {"SEIKG_QUERY_DEADLINE": str(args.timeout), "SEIKG_MAX_ROWS": "100000"}
    result = _serve_and_measure(path, workdir, queries, args, {**env, "SEIKG_ANSWER_CACHE_MB": "0"}, reload=True)
    result["restarted"] = _serve_and_measure(path, workdir, queries, args, env, reload=False)
    return result


def _serve_and_measure(path: Path, workdir: Path, queries: dict, args: argparse.Namespace, env: dict[str, str], *,
                       reload: bool) -> dict:
    """One start of the server on ``workdir``'s store folder: its ready time, memory, every query, the load
    tests and (with ``reload``) /health during a reload."""
    started = time.monotonic()
    server = peers.start_seikg(workdir / "seikg", graph=path, timeout=1800, env=env)
    ready = time.monotonic() - started
    stop, peak = _watched(server)
    try:
        result: dict = {"ready_seconds": round(ready, 1), "rss_after_ready_mib": round(peak["rss"], 1),
                        "pss_after_ready_mib": round(peak["pss"], 1)}
        result["queries"] = _time_all(server.base, "/sparql", queries, repeat=args.repeat, timeout=args.timeout)
        result["load"] = {t.name: _second_process_load(t, args.load_seconds, args.connections)
                          for t in _api_targets(server.base, queries)}
        if reload:
            result["health_during_reload"] = _health_during_reload(server)
        result["peak_rss_mib"], result["peak_pss_mib"] = round(peak["rss"], 1), round(peak["pss"], 1)
        return result
    finally:
        stop.set()
        server.stop()


def _health_during_reload(server: peers.Server) -> dict:
    import urllib.request
    status = json.loads(urllib.request.urlopen(server.base + "/status", timeout=10).read())
    before = (status.get("last_reload") or {}).get("at")
    samples: list[float] = []
    os.kill(server.process.pid, signal.SIGHUP)
    started = time.monotonic()
    reloaded = None
    while time.monotonic() - started < 900:
        t0 = time.perf_counter()
        with urllib.request.urlopen(server.base + "/health", timeout=10) as response:
            response.read()
        samples.append((time.perf_counter() - t0) * 1000)
        if len(samples) % 25 == 0:
            status = json.loads(urllib.request.urlopen(server.base + "/status", timeout=10).read())
            if (status.get("last_reload") or {}).get("at") != before and not status.get("loading"):
                reloaded = time.monotonic() - started
                break
        time.sleep(0.02)
    return {**summarise(samples), "reload_seconds": round(reloaded, 1) if reloaded else None}


def measure_analyses(path: Path) -> tuple[dict, object]:
    """Project the graph and run the whole analysis suite, as the server does at load."""
    from kg.analyses import run_analyses
    from kg.projection import project_file
    started = time.perf_counter()
    projections = project_file(str(path), version="bench")
    project_seconds = time.perf_counter() - started
    started = time.perf_counter()
    suite = run_analyses(projections)
    return ({"project_seconds": round(project_seconds, 2), "suite_seconds": round(time.perf_counter() - started, 2),
             "parts": suite.seconds, "nodes": projections.entity.number_of_nodes(),
             "edges": projections.entity.number_of_edges()}, suite)


def measure_views(suite: object) -> dict:
    """Build and render the overview at 100, 1k and 10k nodes (the page's HTML, vis-network linked)."""
    from visualizations import render_view
    from visualizations.views import build_overview
    result = {}
    for cap in (100, 1_000, 10_000):
        started = time.perf_counter()
        view = build_overview(suite.projections, "https://w3id.org/seikg/", scores=suite.pagerank, cap=cap)
        html = render_view(view)
        result[str(cap)] = {"seconds": round(time.perf_counter() - started, 3), "nodes": view.shown,
                            "edges": len(view.edges), "html_kib": round(len(html.encode("utf-8")) / 1024)}
    return result


def measure_virtuoso(path: Path, workdir: Path, queries: dict, args: argparse.Namespace) -> dict:
    """Virtuoso started here, bulk-loaded, queried with the same texts and loaded with the same client."""
    if not peers.virtuoso_available():
        return {"error": "Virtuoso is not installed (apt-get install virtuoso-opensource)"}
    server = peers.start_virtuoso(workdir / "virtuoso")
    try:
        seconds = peers.virtuoso_bulk_load(server, path, "https://w3id.org/seikg/graph/data")
        result: dict = {"load_seconds": round(seconds, 1), "rss_after_load_mib": round(peers.rss_mib(server.process.pid), 1)}
        result["queries"] = _time_all(server.base, "/sparql", queries, repeat=args.repeat, timeout=args.timeout)
        result["load"] = {"/sparql canned query": _second_process_load(
            Target("/sparql canned query", server.base, "/sparql", queries["canned"][CANNED]), args.load_seconds,
            args.connections)}
        return result
    finally:
        server.stop()


def measure_rdflib_endpoint(path: Path, workdir: Path, queries: dict, args: argparse.Namespace) -> dict:
    """rdflib-endpoint over rdflib's memory store, restarted after a query past the limit, within a budget."""
    started = time.monotonic()
    servers: list[peers.Server] = []

    def start() -> str:
        if servers:
            servers.pop().stop()
        servers.append(peers.start_rdflib_endpoint(path, workdir / "rdflib-endpoint", timeout=args.peer_budget))
        return servers[-1].base

    try:
        base = start()
    except TimeoutError:
        return {"error": f"not ready within {args.peer_budget:g} s (loading into rdflib)"}
    try:
        result: dict = {"ready_seconds": round(time.monotonic() - started, 1),
                        "rss_after_load_mib": round(peers.rss_mib(servers[-1].process.pid), 1)}
        result["queries"] = _time_all(base, "/", queries, repeat=args.repeat, timeout=args.timeout,
                                      budget=args.peer_budget, restart=start)
        result["load"] = {"/sparql canned query": _second_process_load(
            Target("/sparql canned query", servers[-1].base, "/", queries["canned"][CANNED]), args.load_seconds,
            args.connections)}
        return result
    except TimeoutError:
        return {"error": f"a restart was not ready within {args.peer_budget:g} s"}
    finally:
        if servers:
            servers[-1].stop()


def _rdflib_child(path: str, connection) -> None:  # noqa: ANN001 - a child process
    from rdflib import Dataset
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    connection.send({"load_seconds": round(time.perf_counter() - started, 1)})
    while True:
        text, repeat = connection.recv()
        times = []
        rows = 0
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            rows = len(list(dataset.query(text)))
            times.append((time.perf_counter() - t0) * 1000)
        connection.send({"times": times[1:] or times, "rows": rows})


def measure_rdflib(path: Path, queries: dict, args: argparse.Namespace) -> dict:
    """rdflib's in-memory store queried directly in a child process; a query past the limit kills the child,
    and a new one loads the graph again for the next query, as long as the budget lasts."""
    context = multiprocessing.get_context("spawn")
    started = time.monotonic()
    state: dict = {}

    def start() -> bool:
        parent, child_end = multiprocessing.Pipe()
        child = context.Process(target=_rdflib_child, args=(str(path), child_end))
        child.start()
        state.update(parent=parent, child=child)
        if not parent.poll(max(1.0, args.peer_budget - (time.monotonic() - started))):
            child.kill()
            return False
        state["loaded"] = parent.recv()
        return True

    try:
        if not start():
            return {"error": f"not loaded within {args.peer_budget:g} s"}
        result: dict = {**state["loaded"], "queries": {}}
        for group, named in queries.items():
            for name, text in named.items():
                key = f"{group}: {name}"
                if state["child"] is None or time.monotonic() - started > args.peer_budget:
                    result["queries"][key] = {"error": f"not run: the peer used its {args.peer_budget:g} s budget"}
                    continue
                state["parent"].send((text, min(args.repeat, 3)))
                if state["parent"].poll(args.timeout):
                    answer = state["parent"].recv()
                    result["queries"][key] = {**summarise(answer["times"]), "rows": answer["rows"]}
                else:  # the engine cannot be interrupted: stop the process and load a new one
                    result["queries"][key] = {"error": f"over the {args.timeout:g} s limit"}
                    state["child"].kill()
                    if not start():
                        state["child"] = None
        return result
    finally:
        if state.get("child") is not None:
            state["child"].kill()


def machine() -> dict:
    """The machine and the versions measured."""
    from importlib import metadata
    versions = {name: metadata.version(name) for name in ("pyoxigraph", "rdflib", "rdflib-endpoint", "networkx",
                                                           "fastapi", "uvicorn")}
    virtuoso = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True) if peers.virtuoso_available() \
        else None
    if virtuoso is not None:
        versions["virtuoso"] = next((line.strip() for line in (virtuoso.stdout + virtuoso.stderr).splitlines()
                                     if "Version" in line), "unknown")
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "versions": versions}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="1m")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query after one warm-up")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a query is given up")
    parser.add_argument("--peer-budget", type=float, default=600.0,
                        help="seconds an rdflib peer may spend loading, and then on all its queries")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="duration of each load test")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections in a load test")
    parser.add_argument("--skip", nargs="*", default=[], choices=("virtuoso", "rdflib-endpoint", "rdflib"))
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--markdown", action="store_true", help="print the tables of an existing --out file")
    parser.add_argument("--compare", type=Path, help="with --markdown: an earlier run's JSON, compared target by "
                                                     "target with --out (bench/report.py comparison)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "results" / f"run-{args.size}.json"
    if args.markdown:
        results = json.loads(out.read_text(encoding="utf-8"))
        if args.compare:
            print(report.comparison(json.loads(args.compare.read_text(encoding="utf-8")), results) + "\n")
        print(report.markdown(results))
        return 0
    path = synthetic_graph(args.size, args.workdir)
    queries = _queries()
    results: dict = {"size": args.size, "graph": path.name, "machine": machine(),
                     "command": "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                     "options": {k: v for k, v in vars(args).items() if k in ("repeat", "timeout", "peer_budget",
                                                                              "load_seconds", "connections")}}
    with tempfile.TemporaryDirectory(prefix="seikg-bench-", dir=args.workdir) as scratch:
        workdir = Path(scratch)
        steps = [("store_load", lambda: measure_store_load(path)),
                 ("seikg", lambda: measure_seikg(path, workdir, queries, args))]
        for name, step in steps:
            print(f"[bench] {name} …", flush=True)
            results[name] = step()
        print("[bench] analyses …", flush=True)
        results["analyses"], suite = measure_analyses(path)
        print("[bench] views …", flush=True)
        results["views"] = measure_views(suite)
        del suite
        peer_steps = {"virtuoso": lambda: measure_virtuoso(path, workdir, queries, args),
                      "rdflib-endpoint": lambda: measure_rdflib_endpoint(path, workdir, queries, args),
                      "rdflib": lambda: measure_rdflib(path, queries, args)}
        results["peers"] = {}
        for name, step in peer_steps.items():
            if name in args.skip:
                results["peers"][name] = {"error": "skipped (--skip)"}
                continue
            print(f"[bench] peer {name} …", flush=True)
            results["peers"][name] = step()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(report.markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The deployment benchmark: seikg serving a remote Virtuoso, as docs/deployment.md describes, at 10M triples.

    python bench/deployment.py --size 10m             # prints the tables; writes bench/results/deployment-10m.json
    python bench/deployment.py --size 10m --markdown  # the tables for docs/deployment.md, from the JSON

One run, on the seeded synthetic graph of bench/synthetic.py (plus the ontology):

1. Virtuoso is started on 127.0.0.1 and loaded twice over: with its bulk loader, then (an empty database
   again) with ``seikg load --into`` over the Graph Store Protocol, the way the guide loads it;
2. ``seikg serve --store`` over that Virtuoso with two web workers: time to ready (describing the store,
   reading it whole for the analyses, the analysis suite) and peak memory of the web tier;
3. every canned, competency and gap query over HTTP, through seikg and straight to Virtuoso (seikg ÷
   Virtuoso is what the query service's screen, limits and format conversion cost);
4. the HTTP API under concurrent load from a second process (the four targets of bench/run.py), and
   Virtuoso's own /sparql on the canned query.

The embedded store is not measured at this size: every query process holds its own copy in memory
(docs/performance.md), which is what the remote store is for. Every server is stopped by PID.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peers  # noqa: E402
from bench.report import load_table, query_table  # noqa: E402
from bench.run import CANNED, _queries, _second_process_load, _time_all, _watched, machine  # noqa: E402
from bench.workload import GAP_REGIONS, SIZES, Target, synthetic_graph  # noqa: E402

DATA_GRAPH = "https://w3id.org/seikg/graph/data"


def _gsp_load(server: peers.Server, path: Path, store_dir: Path) -> dict:
    """``seikg load --into`` the store's authenticated Graph Store Protocol URL, its analyses stored in
    ``store_dir`` (the web workers' own); seconds and the CLI's report."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg.cli", "load", "--into", server.base + "/sparql-graph-crud-auth",
                           "--user", "dba", "--graph", str(path)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "SEIKG_STORE_PASSWORD": "dba", "SEIKG_STORE_DIR": str(store_dir)},
                          timeout=7200)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr[-500:]}"}
    analysed = [line for line in done.stdout.splitlines() if line.startswith("analyses of version")]
    analyses_seconds = float(analysed[0].rsplit(" in ", 1)[1].split(" s")[0]) if analysed else None
    return {"seconds": round(seconds, 1), "analyses_seconds": analyses_seconds, "report": done.stdout.strip()[-400:]}


def measure(path: Path, workdir: Path, args: argparse.Namespace) -> dict:
    """Both loads, seikg over the loaded Virtuoso, queries through both, and the load tests."""
    queries = _queries()
    result: dict = {}
    bulk = peers.start_virtuoso(workdir / "virtuoso-bulk", buffers=args.buffers)
    try:
        result["bulk_load_seconds"] = round(peers.virtuoso_bulk_load(bulk, path, DATA_GRAPH, timeout=7200), 1)
        result["virtuoso_rss_after_bulk_load_mib"] = round(peers.rss_mib(bulk.process.pid), 1)
    finally:
        bulk.stop()
    print("[deployment] seikg load --into (Graph Store Protocol) …", flush=True)
    server = peers.start_virtuoso(workdir / "virtuoso", buffers=args.buffers)
    try:
        result["gsp_load"] = _gsp_load(server, path, workdir / "seikg" / "stores")  # where start_seikg points
        result["virtuoso_rss_after_gsp_load_mib"] = round(peers.rss_mib(server.process.pid), 1)
        print("[deployment] seikg serve --store …", flush=True)
        started = time.monotonic()
        seikg = peers.start_seikg(workdir / "seikg", store=server.endpoint, workers=args.workers, timeout=7200,
                                  env={"SEIKG_QUERY_DEADLINE": str(args.timeout), "SEIKG_MAX_ROWS": "100000",
                                       "SEIKG_QUERY_WORKERS": str(args.query_workers)})
        result["seikg_ready_seconds"] = round(time.monotonic() - started, 1)
        stop, peak = _watched(seikg)
        try:
            import urllib.request
            status = json.loads(urllib.request.urlopen(seikg.base + "/status", timeout=60).read())
            result["seikg_status"] = {"quads": status["store"]["quads"], "last_reload": status["last_reload"]}
            result["seikg_rss_after_ready_mib"] = round(peak["rss"], 1)
            result["seikg_pss_after_ready_mib"] = round(peak["pss"], 1)
            print("[deployment] queries …", flush=True)
            result["seikg"] = {"queries": _time_all(seikg.base, "/sparql", queries, repeat=args.repeat,
                                                    timeout=args.timeout)}
            virtuoso = {"queries": _time_all(server.base, "/sparql", queries, repeat=args.repeat,
                                             timeout=args.timeout)}
            print("[deployment] load tests …", flush=True)
            canned = queries["canned"][CANNED]
            targets = [Target("/sparql canned query", seikg.base, "/sparql", canned),
                       Target("/api/policies?issuer=…", seikg.base, "/api/policies?issuer=actor-3&per_page=20"),
                       Target("entity page (HTML)", seikg.base, "/id/policy/policy-10"),
                       Target("/api/regions/{id}/gaps", seikg.base, f"/api/regions/{GAP_REGIONS[2]}/gaps")]
            result["seikg"]["load"] = {t.name: _second_process_load(t, args.load_seconds, args.connections)
                                       for t in targets}
            virtuoso["load"] = {"/sparql canned query": _second_process_load(
                Target("/sparql canned query", server.base, "/sparql", canned), args.load_seconds, args.connections)}
            result["peers"] = {"virtuoso": virtuoso}
            result["seikg_peak_rss_mib"] = round(peak["rss"], 1)
            result["seikg_peak_pss_mib"] = round(peak["pss"], 1)
        finally:
            stop.set()
            seikg.stop()
    finally:
        server.stop()
    return result


def markdown(results: dict) -> str:
    """The deployment run's tables."""
    m = results["machine"]
    status = results.get("seikg_status", {})
    reload = status.get("last_reload") or {}
    gsp = results.get("gsp_load", {})
    rows = [("Virtuoso bulk loader (ld_dir + rdf_loader_run)", f"{results.get('bulk_load_seconds')} s",
             f"Virtuoso {results.get('virtuoso_rss_after_bulk_load_mib')} MiB"),
            ("`seikg load --into` (Graph Store Protocol, chunks of 100,000"
             + (", then the analyses of the version loaded, stored for the web workers)"
                if gsp.get("analyses_seconds") is not None else ")"),
             (f"{gsp['seconds']} s" + (f" (of which analyses {gsp['analyses_seconds']} s)"
                                       if gsp.get("analyses_seconds") is not None else ""))
             if "seconds" in gsp else gsp.get("error", "–"),
             f"Virtuoso {results.get('virtuoso_rss_after_gsp_load_mib')} MiB"),
            (f"`seikg serve --store` ready, {results['options']['workers']} web workers of "
             f"{results['options'].get('query_workers', '?')} query slots each ("
             + ("describe the store, read the stored analyses)" if gsp.get("analyses_seconds") is not None
                else "describe the store, read it whole, run the analyses)"),
             f"{results.get('seikg_ready_seconds')} s (this worker's load: {reload.get('seconds')} s)",
             f"web tier peak {results.get('seikg_peak_rss_mib')} MiB RSS"
             + (f", {results['seikg_peak_pss_mib']} MiB PSS" if "seikg_peak_pss_mib" in results else "")),
            ]
    lines = ["| step | time | memory |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n\n".join([
        f"Size {results['size']} ({results['graph']}, {status.get('quads', '?')} quads in the store); "
        f"{m['cpus']} CPUs, {m['memory_gib']} GiB, Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + f". Command: `{results['command']}`.",
        "**Load and readiness**\n\n" + "\n".join(lines),
        "**Queries** (median / p95 ms over HTTP; seikg's /sparql over Virtuoso, and Virtuoso's own /sparql)\n\n"
        + query_table(results, ("virtuoso",)),
        "**HTTP under concurrent load** (a second process, keep-alive connections, bounded in time)\n\n"
        + load_table(results),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="10m")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query after one warm-up")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a query is given up")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="duration of each load test")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections in a load test")
    parser.add_argument("--workers", type=int, default=2, help="seikg web workers")
    parser.add_argument("--query-workers", type=int, default=4,
                        help="SEIKG_QUERY_WORKERS: concurrent queries to the store per web worker")
    parser.add_argument("--buffers", type=int, default=680_000,
                        help="Virtuoso's page cache in 8 KiB pages (680,000 is about 5.2 GiB)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--markdown", action="store_true", help="print the tables of an existing --out file")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "results" / f"deployment-{args.size}.json"
    if args.markdown:
        print(markdown(json.loads(out.read_text(encoding="utf-8"))))
        return 0
    if not peers.virtuoso_available():
        print("bench/deployment.py: Virtuoso is not installed (apt-get install virtuoso-opensource)", file=sys.stderr)
        return 2
    path = synthetic_graph(args.size, args.workdir)
    results: dict = {"size": args.size, "graph": path.name, "machine": machine(),
                     "command": "python bench/deployment.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                     "options": {k: v for k, v in vars(args).items() if k in ("repeat", "timeout", "load_seconds",
                                                                              "connections", "workers", "query_workers",
                                                                              "buffers")}}
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="seikg-deployment-", dir=args.workdir) as scratch:
        results.update(measure(path, Path(scratch), args))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

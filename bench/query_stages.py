"""Where the time of a small query goes: each stage of its path, measured apart in one run.

    python bench/query_stages.py                 # over the shipped graph (data/)
    python bench/query_stages.py --size 1m       # over the synthetic graph of bench/synthetic.py

For a few small queries (the entity card, PUB04, an ASK), it times, each as a median of ``--repeat`` runs:

1. **engine**: ``store.query`` and Oxigraph's serialiser in this process, on a store loaded here (the work a
   worker does, without any process boundary);
2. **screen**: the query screen (``QueryService.screen``: tokens, forms, graphs);
3. **executor**: ``QueryExecutor.run``: the queue, the pipe to a forked worker and back, the worker's parsed
   check and evaluation (``executor − engine`` is the cost of the process boundary);
4. **HTTP, uncached**: the same query POSTed to a running ``seikg serve`` with no answer cache
   (``SEIKG_ANSWER_CACHE_MB=0``), on a new connection each time as the harness does
   (``HTTP − executor − screen`` is the cost of uvicorn, FastAPI, the middleware and the socket);
5. **HTTP, cached**: the same, with the default answer cache (the answer is kept after the first run);
6. **Virtuoso**, on the same graph and texts, when it is installed: the peer's whole HTTP round trip.

Results go to ``bench/results/query-stages-SIZE.json`` and print as a table for docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peers  # noqa: E402
from bench.workload import SIZES, canned_queries, competency_queries, sparql_get, synthetic_graph  # noqa: E402

STAGES = ("engine", "screen", "executor", "http_uncached", "http_cached", "virtuoso")


def small_queries() -> dict[str, str]:
    """The small queries measured: those whose answer takes the engine well under a millisecond or two."""
    competency = competency_queries()
    chosen = {"entity card": canned_queries()["entity card"], "ASK": "ASK { ?s ?p ?o }"}
    for name in ("PUB04", "PUB10"):
        if name in competency:
            chosen[name] = competency[name]
    return chosen


def _median_ms(run, repeat: int) -> float:  # noqa: ANN001
    run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


def measure_in_process(graph: Path | None, queries: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    """Stages 1-3, with a service built here over ``graph`` (or data/)."""
    import pyoxigraph as ox

    from kg.config import Settings
    from kg.runtime import QueryService
    from kg.store.snapshot import load_in_memory
    from kg.store.worker import Job

    settings = Settings.from_env({"SEIKG_ANSWER_CACHE_MB": "0", **({"SEIKG_GRAPH": str(graph)} if graph else {})})
    service = QueryService(settings)
    service.load()
    try:
        with service.graph_file() as served:  # the served graphs, analyses included
            store = load_in_memory(str(served))
        results: dict[str, dict[str, float]] = {}
        for name, text in queries.items():
            screened = service.screen(text)
            job = Job(screened.text, screened.form, "json", None, None, screened.base_iri, None, screened.parse)
            executor = service._current().executor  # the service's own pool

            def engine() -> None:
                answer = store.query(text, use_default_graph_as_union=True)
                if isinstance(answer, ox.QuerySolutions):
                    sum(1 for _ in answer)  # the worker counts the rows against the cap, then evaluates again
                    answer = store.query(text, use_default_graph_as_union=True)
                answer.serialize(format=ox.QueryResultsFormat.JSON)

            results[name] = {"engine": _median_ms(engine, repeat),
                             "screen": _median_ms(lambda: service.screen(text), repeat),
                             "executor": _median_ms(lambda: executor.run(job), repeat)}
        return results
    finally:
        service.close()


def measure_http(graph: Path | None, workdir: Path, queries: dict[str, str], repeat: int, *,
                 cache_mb: int) -> dict[str, float]:
    """Stage 4 or 5: the whole round trip to a running server, median per query."""
    server = peers.start_seikg(workdir / f"seikg-{cache_mb}", graph=graph, timeout=1800,
                               env={"SEIKG_ANSWER_CACHE_MB": str(cache_mb)})
    try:
        return {name: _median_ms(lambda: _ok(sparql_get(server.base, "/sparql", text, 30)), repeat)
                for name, text in queries.items()}
    finally:
        server.stop()


def measure_virtuoso(graph: Path, workdir: Path, queries: dict[str, str], repeat: int) -> dict[str, float]:
    """Stage 6: Virtuoso started here, bulk-loaded with the same graph."""
    server = peers.start_virtuoso(workdir / "virtuoso")
    try:
        peers.virtuoso_bulk_load(server, graph, "https://w3id.org/seikg/graph/data")
        return {name: _median_ms(lambda: _ok(sparql_get(server.base, "/sparql", text, 30)), repeat)
                for name, text in queries.items()}
    finally:
        server.stop()


def _ok(answer: tuple[int, bytes]) -> None:
    if answer[0] != 200:
        raise RuntimeError(f"HTTP {answer[0]}: {answer[1][:200]!r}")


def table(results: dict) -> str:
    """The stages as a Markdown table, one row per query, with the derived costs."""
    lines = ["| query | engine | screen | executor (boundary) | HTTP uncached (HTTP layer) | HTTP cached | "
             "Virtuoso |", "|---|---|---|---|---|---|---|"]
    for name, stage in results["queries"].items():
        boundary = stage["executor"] - stage["engine"]
        layer = stage["http_uncached"] - stage["executor"] - stage["screen"]
        virtuoso = stage.get("virtuoso")
        lines.append(f"| {name} | {stage['engine']:.2f} | {stage['screen']:.2f} | {stage['executor']:.2f} "
                     f"({boundary:+.2f}) | {stage['http_uncached']:.2f} ({layer:+.2f}) | {stage['http_cached']:.2f} | "
                     f"{'–' if virtuoso is None else f'{virtuoso:.2f}'} |")
    return "\n".join(lines) + "\n\nMilliseconds, medians; in brackets, the cost the stage adds to the one before it."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["data", *SIZES], default="data")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--markdown", action="store_true", help="print the table of an existing result")
    args = parser.parse_args(argv)
    out = ROOT / "bench" / "results" / f"query-stages-{args.size}.json"
    if args.markdown:
        print(table(json.loads(out.read_text(encoding="utf-8"))))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    queries = small_queries()
    with tempfile.TemporaryDirectory(prefix="seikg-stages-", dir=args.workdir) as scratch:
        workdir = Path(scratch)
        graph = None if args.size == "data" else synthetic_graph(args.size, args.workdir)
        stages = measure_in_process(graph, queries, args.repeat)
        for name, value in measure_http(graph, workdir, queries, args.repeat, cache_mb=0).items():
            stages[name]["http_uncached"] = value
        for name, value in measure_http(graph, workdir, queries, args.repeat, cache_mb=64).items():
            stages[name]["http_cached"] = value
        if graph is not None and peers.virtuoso_available():
            for name, value in measure_virtuoso(graph, workdir, queries, args.repeat).items():
                stages[name]["virtuoso"] = value
    from bench.run import machine
    results = {"size": args.size, "repeat": args.repeat, "machine": machine(), "queries": stages}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

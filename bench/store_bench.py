"""Which embedded store? rdflib's memory store, oxrdflib, and pyoxigraph in memory and on disk,
measured on the project's own queries over synthetic graphs of 10k, 100k and 1M triples.

    python bench/store_bench.py --sizes 10k 100k 1m --out bench/results/stores.json

Each (store, size) runs in its own process, so peak memory is that store's own
and a case past its time limit is stopped. Results go to JSON; ``--markdown``
prints the tables for docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
STORES = ["rdflib-memory", "oxrdflib", "pyoxigraph-memory", "pyoxigraph-disk"]
REPEAT = 5
SLOW = 20.0  # a query slower than this is run once, not repeated


def _queries() -> dict[str, str]:
    from kg.model.kinds import counted_classes
    from kg.sparql.queries import bind_values, load_query
    seikg = "https://w3id.org/seikg/"
    return {
        "list policies by issuer": bind_values(load_query("entity_index"), {
            "class": ("iri", "https://w3id.org/seikg/ontology#PolicyDocument"), "q": None,
            "p1": ("iri", "https://w3id.org/seikg/ontology#issuedBy"), "o1": ("iri", f"{seikg}id/actor/actor-3"),
            "p2": None, "o2": None, "p3": None, "o3": None, "pin": None, "oin": None, "from": None, "to": None}),
        "entity links with evidence": bind_values(load_query("entity_links"), {
            "entity": ("iri", f"{seikg}id/policy/policy-10")}),
        "class counts": bind_values(load_query("class_counts"), counted_classes()),
        "issuer label contains (competency style)": """
            PREFIX seikg: <https://w3id.org/seikg/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT DISTINCT ?label ?date WHERE {
              ?p a seikg:PolicyDocument ; seikg:issuedBy ?b ; rdfs:label ?label .
              OPTIONAL { ?p dcterms:issued ?date }
              ?b rdfs:label ?bl . FILTER(CONTAINS(LCASE(STR(?bl)), "actor 7"))
            }""",
        "search labels (api/search)": bind_values(load_query("entity_index"), {
            "class": ("iri", "https://w3id.org/seikg/ontology#Mechanism"), "q": ("literal", "mechanism 12"),
            "p1": None, "o1": None, "p2": None, "o2": None, "p3": None, "o3": None,
            "pin": None, "oin": None, "from": None, "to": None}),
    }


def _open(store: str, nquads: Path, workdir: Path):  # noqa: ANN202 - returns a query function
    import pyoxigraph as ox
    import rdflib
    if store == "rdflib-memory":
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(nquads, format="nquads")
        return lambda q: list(dataset.query(q))
    if store == "oxrdflib":
        dataset = rdflib.Dataset(store="Oxigraph", default_union=True)
        dataset.parse(nquads, format="ox-nquads")
        return lambda q: list(dataset.query(q))
    if store == "pyoxigraph-memory":
        memory = ox.Store()
        memory.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        return lambda q: list(memory.query(q, use_default_graph_as_union=True))
    disk_path = workdir / "oxigraph"
    disk = ox.Store(str(disk_path))
    disk.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    disk.flush()
    del disk
    read_only = ox.Store.read_only(str(disk_path))
    return lambda q: list(read_only.query(q, use_default_graph_as_union=True))


def run_case(store: str, size: str, nquads: Path) -> dict[str, object]:
    """Load, then time every query; runs inside its own process."""
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as workdir:
        started = time.perf_counter()
        query = _open(store, nquads, Path(workdir))
        load = time.perf_counter() - started
        results: dict[str, object] = {}
        for name, text in _queries().items():
            times, rows = [], 0
            for attempt in range(REPEAT + 1):
                t = time.perf_counter()
                rows = len(query(text))
                elapsed = time.perf_counter() - t
                if attempt:  # the first run warms caches
                    times.append(elapsed)
                if elapsed > SLOW:
                    times.append(elapsed)
                    break
            times.sort()
            results[name] = {"median_ms": round(statistics.median(times) * 1000, 2),
                             "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))] * 1000, 2),
                             "runs": len(times), "rows": rows}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"store": store, "size": size, "load_s": round(load, 3), "peak_rss_mb": round(peak_mb, 1),
            "queries": results}


def machine() -> dict[str, object]:
    """The machine and versions, for the report."""
    import pyoxigraph
    import rdflib
    try:
        from importlib.metadata import version
        oxrdflib_version = version("oxrdflib")
    except Exception:  # noqa: BLE001 - report what is there
        oxrdflib_version = "not installed"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "memory_gib": round(memory, 1), "python": platform.python_version(),
            "platform": platform.platform(), "rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__,
            "oxrdflib": oxrdflib_version}


def markdown(report: dict) -> str:
    """The tables for docs/performance.md."""
    lines = ["| size | store | load (s) | peak RSS (MiB) | " + " | ".join(report["queries"]) + " |",
             "|---|---|---|---|" + "---|" * len(report["queries"])]
    for case in report["cases"]:
        if "error" in case:
            lines.append(f"| {case['size']} | {case['store']} | {case['error']} |")
            continue
        cells = [f"{q['median_ms']} / {q['p95_ms']}" for q in case["queries"].values()]
        lines.append(f"| {case['size']} | {case['store']} | {case['load_s']} | {case['peak_rss_mb']} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k", "1m"], choices=sorted(SIZES))
    parser.add_argument("--stores", nargs="+", default=STORES, choices=STORES)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per (store, size) case")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "stores.json")
    parser.add_argument("--case", nargs=3, metavar=("STORE", "SIZE", "NQUADS"), help=argparse.SUPPRESS)
    parser.add_argument("--markdown", action="store_true", help="print the tables of an existing --out file")
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case[0], args.case[1], Path(args.case[2]))))
        return 0
    if args.markdown:
        print(markdown(json.loads(args.out.read_text(encoding="utf-8"))))
        return 0
    from synthetic import generate
    report: dict[str, object] = {"machine": machine(), "queries": list(_queries()), "cases": []}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            nquads = Path(tmp) / f"synthetic-{size}.nq"
            with nquads.open("w", encoding="utf-8") as out:
                generate(SIZES[size], out)
            for store in args.stores:
                print(f"{size} {store} ...", file=sys.stderr, flush=True)
                try:
                    done = subprocess.run([sys.executable, __file__, "--case", store, size, str(nquads)],
                                          capture_output=True, text=True, timeout=args.timeout)
                    case = json.loads(done.stdout) if done.returncode == 0 else {
                        "store": store, "size": size, "error": f"failed: {done.stderr.strip()[-200:]}"}
                except subprocess.TimeoutExpired:
                    case = {"store": store, "size": size, "error": f"over the {args.timeout:g} s limit"}
                report["cases"].append(case)  # type: ignore[union-attr]
                print(json.dumps(case), file=sys.stderr, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

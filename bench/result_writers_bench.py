"""What writing a large SELECT result costs: Oxigraph's own writers (what the query workers use since issue 17)
against rdflib's result writers (what they used before), on the real graph served with its analyses.

The query is ``SELECT ?s ?p ?o { ?s ?p ?o }`` over the union of the graphs, the largest result a user can
ask for. Each writer is timed in one process on the same store; the worker pays "count" (the rows counted
against the cap) plus one writer. Medians over ``--repeat`` runs.

    python bench/result_writers_bench.py --out bench/results/result-writers.json
"""
from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def _rdflib_bytes(variables: list[str], rows: list, fmt: str) -> bytes:
    from rdflib import BNode, Literal, URIRef, Variable
    from rdflib.query import Result
    import pyoxigraph as ox

    def term(t: object) -> object:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:  # type: ignore[attr-defined]
            return Literal(t.value, lang=t.language)  # type: ignore[attr-defined]
        return Literal(t.value, datatype=URIRef(t.datatype.value))  # type: ignore[attr-defined]

    result = Result("SELECT")
    result.vars = [Variable(v) for v in variables]
    result.bindings = [{Variable(v): term(row[v]) for v in variables if row[v] is not None} for row in rows]
    return result.serialize(format=fmt, encoding="utf-8")  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    import pyoxigraph as ox

    from kg.config import Settings
    from kg.runtime import QueryService
    from kg.store.snapshot import build_snapshot

    settings = Settings(store_dir=Path(tempfile.mkdtemp()), query_workers=1)
    service = QueryService.from_snapshot(settings, build_snapshot(settings), analysis_graph=True)
    with service.graph_file() as path:
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    service.close()
    out: dict[str, object] = {"query": QUERY}
    rows_seen = 0
    for fmt in ("json", "xml", "csv", "tsv"):
        timings: dict[str, list[float]] = {"count": [], "oxigraph": [], "rdflib": []}
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows_seen = sum(1 for _ in itertools.islice(store.query(QUERY, use_default_graph_as_union=True), 10**7))
            timings["count"].append(time.perf_counter() - started)
            started = time.perf_counter()
            store.query(QUERY, use_default_graph_as_union=True).serialize(
                format=getattr(ox.QueryResultsFormat, fmt.upper()))
            timings["oxigraph"].append(time.perf_counter() - started)
            if fmt != "tsv":  # the old path wrote TSV by hand
                solutions = store.query(QUERY, use_default_graph_as_union=True)
                variables = [v.value for v in solutions.variables]
                started = time.perf_counter()
                _rdflib_bytes(variables, list(solutions), fmt)
                timings["rdflib"].append(time.perf_counter() - started)
        out[fmt] = {name: round(statistics.median(values), 3) for name, values in timings.items() if values}
    out["rows"] = rows_seen
    text = json.dumps(out, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

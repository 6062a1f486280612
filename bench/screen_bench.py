"""What the query screen costs a user: both passes timed on the shipped queries, against the engine itself.

For every public competency question and every editor example, measured in
one process on the real graph:

* the lexical first pass (``kg.sparql.screen.screen_query``), which every query pays;
* the parsed check (``kg.sparql.parsed_screen.check_parsed``), paid only by the texts
  the first pass sends to it, cold (first sight of the text) and cached;
* Oxigraph evaluating the same query in memory, the peer the screen is
  compared with.

A few hostile texts (the issue-12 findings) are timed too: they must be
refused in well under the deadline. Medians over ``--repeat`` runs.

    python bench/screen_bench.py --out bench/results/screen.json
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOSTILE = {
    "ssrf-after-prefixed-name": 'PREFIX ex: <http://ex/> SELECT * WHERE { BIND(ex:a||"x y" AS ?z) '
                                'SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
    "ten-thousand-nots": "SELECT * WHERE { FILTER(" + "!" * 10_000 + ") }",
    "plus-chain-1500": "SELECT * WHERE { FILTER(" + "+".join(["1"] * 1500) + ") }",
    "union-chain-300": "SELECT * WHERE { " + " UNION ".join(["{}"] * 300) + " }",
}


def _median_ms(action, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _queries() -> dict[str, str]:
    import yaml

    from kg.sparql.examples import list_examples
    texts = {f"example: {e.title}": e.query for e in list_examples()}
    public = ROOT.parent / "shared" / "competency" / "public.yaml"
    if public.is_file():
        questions = yaml.safe_load(public.read_text(encoding="utf-8"))
        texts.update({q["id"]: questions["prefixes"] + q["sparql"] for q in questions["questions"]})
    # two ordinary queries that the first pass sends to the parse: a word in a literal, a FROM clause
    texts["literal with 'service'"] = ('SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "service")) } '
                                       'LIMIT 5')
    texts["FROM the data graph"] = ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/seikg/graph/data> "
                                    "WHERE { ?s ?p ?o }")
    return texts


def measure(repeat: int) -> dict[str, object]:
    """Time both passes and the engine on every shipped query, and the screen on the hostile ones."""
    import pyoxigraph as ox

    from kg import Settings, build_dataset, serialize_dataset
    from kg.errors import QueryError
    from kg.sparql.screen import screen_query
    from kg.sparql.parsed_screen import _check_parsed, check_parsed

    store = ox.Store()
    store.bulk_load(serialize_dataset(build_dataset(Settings()).dataset, "nquads"), format=ox.RdfFormat.N_QUADS)
    graphs = frozenset(g.value for g in store.named_graphs())
    rows = []
    for name, text in _queries().items():
        screened = screen_query(text, allowed_graphs=graphs)
        first = _median_ms(lambda: screen_query(text, allowed_graphs=graphs), repeat)
        cold = cached = 0.0
        if screened.parse:
            def parse_cold() -> None:
                _check_parsed.cache_clear()
                check_parsed(text, form=screened.form, allowed_graphs=graphs)
            cold = _median_ms(parse_cold, repeat)
            cached = _median_ms(lambda: check_parsed(text, form=screened.form, allowed_graphs=graphs), repeat)
        engine = _median_ms(lambda: list(store.query(text, use_default_graph_as_union=True)), repeat)
        rows.append({"query": name, "parsed": screened.parse, "first_pass_ms": round(first, 4),
                     "parse_cold_ms": round(cold, 3), "parse_cached_ms": round(cached, 4),
                     "screen_ms": round(first + cold, 4), "engine_ms": round(engine, 3)})
    hostile = {}
    for name, text in HOSTILE.items():
        def refuse() -> None:
            _check_parsed.cache_clear()
            try:
                screened = screen_query(text, allowed_graphs=graphs)
                if screened.parse:
                    check_parsed(text, form=screened.form, allowed_graphs=graphs)
            except QueryError:
                return
            raise AssertionError(f"{name} was admitted")
        hostile[name] = round(_median_ms(refuse, max(1, repeat // 5)), 2)
    screen = [row["screen_ms"] for row in rows]
    engine = [row["engine_ms"] for row in rows]
    return {"repeat": repeat, "queries": rows, "hostile_refusal_ms": hostile,
            "summary": {"queries": len(rows), "parsed": sum(row["parsed"] for row in rows),
                        "screen_median_ms": round(statistics.median(screen), 4),
                        "screen_max_ms": round(max(screen), 3),
                        "engine_median_ms": round(statistics.median(engine), 3),
                        "screen_to_engine_median": round(statistics.median(screen) / statistics.median(engine), 4)}}


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "screen.json")
    args = parser.parse_args(argv)
    results = measure(args.repeat)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["summary"], indent=2))
    print(json.dumps(results["hostile_refusal_ms"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

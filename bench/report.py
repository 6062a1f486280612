"""The harness's tables (Markdown) and its check of the issue's targets, from one run's JSON."""
from __future__ import annotations

PEERS = ("virtuoso", "rdflib-endpoint", "rdflib")


def _cell(result: dict | None) -> str:
    if not result:
        return "–"
    if "error" in result:
        return result["error"]
    return f"{result['median_ms']:g} / {result['p95_ms']:g}"


def _ratio(mine: dict | None, theirs: dict | None) -> str:
    """seikg / peer on medians; a peer over its limit gives a bound (seikg / limit)."""
    if not mine or "median_ms" not in mine or not theirs:
        return "–"
    if "median_ms" in theirs:
        return f"{mine['median_ms'] / theirs['median_ms']:.3g}"
    if "limit" in theirs.get("error", ""):
        limit = float(theirs["error"].split("the ")[1].split(" s")[0]) * 1000
        return f"< {mine['median_ms'] / limit:.2g}"
    return "–"


_TITLES = {"virtuoso": "Virtuoso", "rdflib-endpoint": "rdflib-endpoint", "rdflib": "rdflib (direct)"}


def query_table(results: dict, peers: tuple[str, ...] = PEERS) -> str:
    """Median / p95 in ms per query and engine, with seikg / peer ratios."""
    mine = results["seikg"]["queries"]
    theirs = {name: results["peers"].get(name, {}).get("queries", {}) for name in peers}
    lines = ["| query | seikg | " + " | ".join(_TITLES[p] for p in peers) + " | "
             + " | ".join(f"÷ {_TITLES[p].split(' ')[0]}" for p in peers) + " |",
             "|---|---|" + "---|" * (2 * len(peers))]
    for name, result in mine.items():
        cells = [_cell(result)] + [_cell(theirs[p].get(name)) for p in peers]
        ratios = [_ratio(result, theirs[p].get(name)) for p in peers]
        rows = f" ({result['rows']} rows)" if "rows" in result else ""
        lines.append(f"| {name}{rows} | " + " | ".join(cells + ratios) + " |")
    return "\n".join(lines)


def load_table(results: dict) -> str:
    """Requests/s, p50 and p99 under concurrent load, with seikg / peer ratios of throughput."""
    lines = ["| target | engine | requests | req/s | p50 ms | p99 ms | statuses | seikg ÷ peer (req/s) |",
             "|---|---|---|---|---|---|---|---|"]
    mine = results["seikg"]["load"]
    for name, result in mine.items():
        lines.append(f"| {name} | seikg | {result.get('requests', '–')} | {result.get('rps', '–')} | "
                     f"{result.get('p50_ms', '–')} | {result.get('p99_ms', '–')} | {result.get('statuses', '')} | |")
        for peer in PEERS:
            theirs = results["peers"].get(peer, {}).get("load", {}).get(name)
            if theirs and theirs.get("rps"):
                ratio = f"{result['rps'] / theirs['rps']:.3g}" if result.get("rps") else "–"
                lines.append(f"| {name} | {peer} | {theirs['requests']} | {theirs['rps']} | {theirs['p50_ms']} | "
                             f"{theirs['p99_ms']} | {theirs['statuses']} | {ratio} |")
    return "\n".join(lines)


def load_memory_table(results: dict) -> str:
    """Load times and memory for every engine."""
    store, seikg = results["store_load"], results["seikg"]
    peers = results["peers"]
    rows = [("seikg: N-Quads into one in-memory store (a query worker's load)", f"{store.get('seconds')} s",
             f"{store.get('store_mib')} MiB (the store)"),
            ("seikg: server ready (snapshot, analyses, workers)", f"{seikg['ready_seconds']} s",
             f"peak {seikg['peak_rss_mib']} MiB (all processes) = "
             f"{seikg['peak_rss_mib'] / store['store_mib']:.1f}x the store" if store.get("store_mib") else "–"),
            ("Virtuoso: bulk loader", f"{peers.get('virtuoso', {}).get('load_seconds', '–')} s",
             f"{peers.get('virtuoso', {}).get('rss_after_load_mib', '–')} MiB"),
            ("rdflib-endpoint: parse into rdflib and serve", f"{peers.get('rdflib-endpoint', {}).get('ready_seconds', '–')} s",
             f"{peers.get('rdflib-endpoint', {}).get('rss_after_load_mib', '–')} MiB"),
            ("rdflib: parse into a Dataset", f"{peers.get('rdflib', {}).get('load_seconds', '–')} s", "–")]
    lines = ["| step | time | memory |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def analysis_table(results: dict) -> str:
    """Each analysis part's seconds."""
    analyses = results["analyses"]
    lines = ["| part | seconds |", "|---|---|", f"| projection (from the N-Quads file) | {analyses['project_seconds']} |"]
    lines += [f"| {name} | {seconds} |" for name, seconds in analyses["parts"].items()]
    lines.append(f"| **whole suite** | **{analyses['suite_seconds']}** |")
    return "\n".join(lines)


def views_table(results: dict) -> str:
    """HTML generation for views of 100, 1k and 10k nodes."""
    lines = ["| nodes (cap) | drawn nodes | edges | seconds | HTML KiB |", "|---|---|---|---|---|"]
    lines += [f"| {cap} | {v['nodes']} | {v['edges']} | {v['seconds']} | {v['html_kib']} |"
              for cap, v in results["views"].items()]
    return "\n".join(lines)


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    """Each target of the performance issue: (target, measured, met)."""
    mine = results["seikg"]["queries"]
    peers = results["peers"]
    out: list[tuple[str, str, bool | None]] = []
    for peer, bound, text in (("rdflib-endpoint", 1 / 20, "at least 20x faster than rdflib-endpoint"),
                              ("virtuoso", 2.0, "within 2x of Virtuoso")):
        theirs = peers.get(peer, {}).get("queries", {})
        ratios = []
        for name, result in mine.items():
            other = theirs.get(name)
            if "median_ms" in result and other and "median_ms" in other:
                ratios.append((result["median_ms"] / other["median_ms"], name))
            elif "median_ms" in result and other and "limit" in other.get("error", ""):
                limit = float(other["error"].split("the ")[1].split(" s")[0]) * 1000
                ratios.append((result["median_ms"] / limit, f"{name} (the peer ran past its limit; a bound)"))
        if not ratios:
            out.append((f"queries {text} (median)", "peer not measured", None))
            continue
        met = [r for r, _ in ratios if r <= bound]
        worst = max(ratios)
        out.append((f"queries {text} (median)", f"{len(met)} of {len(ratios)} queries; worst {worst[1]}: "
                    f"seikg / peer = {worst[0]:.3g}", len(met) == len(ratios)))
    load = results["seikg"]["load"].get("/sparql canned query", {})
    theirs = peers.get("virtuoso", {}).get("load", {}).get("/sparql canned query", {})
    if load.get("rps") and theirs.get("rps"):
        out.append(("HTTP throughput on a canned query ≥ Virtuoso's", f"{load['rps']} vs {theirs['rps']} req/s "
                    f"({load['rps'] / theirs['rps']:.2f}x)", load["rps"] >= theirs["rps"]))
    gaps = [r for name, r in mine.items() if name.startswith("gaps:")]
    worst_gap = max((r.get("median_ms", float("inf")) for r in gaps), default=None)
    if worst_gap is not None:
        out.append(("every gap query under 50 ms", f"slowest median {worst_gap:g} ms", worst_gap < 50))
    store = results["store_load"]
    out.append(("load from N-Quads under 5 s", f"{store.get('seconds')} s", (store.get("seconds") or 99) < 5))
    if store.get("store_mib"):
        ratio = results["seikg"]["peak_rss_mib"] / store["store_mib"]
        out.append(("server peak memory under 2x its store", f"{ratio:.1f}x ({results['seikg']['peak_rss_mib']} MiB "
                    f"/ {store['store_mib']} MiB)", ratio < 2))
    suite = results["analyses"]["suite_seconds"]
    out.append(("whole analysis suite within 60 s", f"{suite} s", suite <= 60))
    health = results["seikg"]["health_during_reload"]
    out.append(("/health p95 under 50 ms during a reload", f"{health['p95_ms']} ms over {health['n']} requests "
                f"(reload {health['reload_seconds']} s)", health["p95_ms"] < 50))
    return out


def markdown(results: dict) -> str:
    """Every table of one run."""
    machine = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in machine["versions"].items())
    target_lines = ["| target | measured | met |", "|---|---|---|"]
    target_lines += [f"| {t} | {m} | {'yes' if ok else 'no' if ok is False else 'not measured'} |"
                     for t, m, ok in targets(results)]
    return "\n\n".join([
        f"Size {results['size']} ({results['graph']}); {machine['cpus']} CPUs, {machine['memory_gib']} GiB, "
        f"Python {machine['python']}; {versions}. Command: `{results['command']}`.",
        "**Targets**\n\n" + "\n".join(target_lines),
        "**Queries** (median / p95 ms over HTTP /sparql; rdflib direct in-process; ratios are seikg ÷ peer on "
        "medians, below 1 means seikg is faster)\n\n" + query_table(results),
        "**HTTP under concurrent load** (a second process, keep-alive connections, bounded in time)\n\n"
        + load_table(results),
        "**Load and memory**\n\n" + load_memory_table(results),
        "**Analyses** (the whole suite as the server runs it at load)\n\n" + analysis_table(results),
        "**Graph views** (build the overview and render its HTML)\n\n" + views_table(results),
    ])

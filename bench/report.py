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
    """Median / p95 in ms per query and engine, with seikg / peer ratios (seikg evaluating every run; beside
    it, where the run has it, seikg answering the repeats from its answer cache)."""
    mine = results["seikg"]["queries"]
    cached = results["seikg"].get("restarted", {}).get("queries")
    theirs = {name: results["peers"].get(name, {}).get("queries", {}) for name in peers}
    lines = ["| query | seikg | " + ("seikg, answer cache | " if cached else "")
             + " | ".join(_TITLES[p] for p in peers) + " | "
             + " | ".join(f"÷ {_TITLES[p].split(' ')[0]}" for p in peers) + " |",
             "|---|---|" + ("---|" if cached else "") + "---|" * (2 * len(peers))]
    for name, result in mine.items():
        cells = [_cell(result)] + ([_cell(cached.get(name))] if cached else []) + [_cell(theirs[p].get(name))
                                                                                  for p in peers]
        ratios = [_ratio(result, theirs[p].get(name)) for p in peers]
        rows = f" ({result['rows']} rows)" if "rows" in result else ""
        lines.append(f"| {name}{rows} | " + " | ".join(cells + ratios) + " |")
    return "\n".join(lines)


def load_table(results: dict) -> str:
    """Requests/s, p50 and p99 under concurrent load, with seikg / peer ratios of throughput; seikg without its
    answer cache, then (where the run has it) restarted with the cache."""
    lines = ["| target | engine | requests | req/s | p50 ms | p99 ms | statuses | seikg ÷ peer (req/s) |",
             "|---|---|---|---|---|---|---|---|"]
    runs = [("seikg, no answer cache", results["seikg"]["load"])]
    if "restarted" in results["seikg"]:
        runs.append(("seikg, answer cache", results["seikg"]["restarted"]["load"]))
    for name in results["seikg"]["load"]:
        for engine, loads in runs:
            result = loads.get(name, {})
            lines.append(f"| {name} | {engine} | {result.get('requests', '–')} | {result.get('rps', '–')} | "
                         f"{result.get('p50_ms', '–')} | {result.get('p99_ms', '–')} | {result.get('statuses', '')} | |")
        for peer in PEERS:
            theirs = results["peers"].get(peer, {}).get("load", {}).get(name)
            mine = results["seikg"]["load"].get(name, {})
            if theirs and theirs.get("rps"):
                ratio = f"{mine['rps'] / theirs['rps']:.3g}" if mine.get("rps") else "–"
                lines.append(f"| {name} | {peer} | {theirs['requests']} | {theirs['rps']} | {theirs['p50_ms']} | "
                             f"{theirs['p99_ms']} | {theirs['statuses']} | {ratio} (no cache) |")
    return "\n".join(lines)


def _memory(run: dict, store_mib: float | None) -> str:
    if "peak_pss_mib" not in run:  # a run from before PSS was measured
        return f"peak RSS {run['peak_rss_mib']} MiB (all processes)"
    ratio = f" = {run['peak_pss_mib'] / store_mib:.1f}x the store" if store_mib else ""
    return (f"peak PSS {run['peak_pss_mib']} MiB{ratio} (RSS {run['peak_rss_mib']} MiB; all processes; "
            f"after ready: PSS {run['pss_after_ready_mib']}, RSS {run['rss_after_ready_mib']})")


def load_memory_table(results: dict) -> str:
    """Load times and memory for every engine."""
    store, seikg = results["store_load"], results["seikg"]
    peers = results["peers"]
    rows = [("seikg: N-Quads into one in-memory store (a query worker's load)", f"{store.get('seconds')} s",
             f"{store.get('store_mib')} MiB (the store)"),
            ("seikg: server ready on a graph it has not seen (snapshot, analyses, workers)",
             f"{seikg['ready_seconds']} s", _memory(seikg, store.get("store_mib")))]
    if "restarted" in seikg:
        rows.append(("seikg: restarted on the same graph (snapshot and analyses reused)",
                     f"{seikg['restarted']['ready_seconds']} s", _memory(seikg["restarted"], store.get("store_mib"))))
    rows += [("Virtuoso: bulk loader", f"{peers.get('virtuoso', {}).get('load_seconds', '–')} s",
              f"{peers.get('virtuoso', {}).get('rss_after_load_mib', '–')} MiB"),
             ("rdflib-endpoint: parse into rdflib and serve",
              f"{peers.get('rdflib-endpoint', {}).get('ready_seconds', '–')} s",
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
            elif "error" in result and other and "median_ms" in other:  # seikg failed where the peer answered
                ratios.append((float("inf"), f"{name} ({result['error']})"))
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
        out.append(("HTTP throughput on a canned query ≥ 1.5x Virtuoso's (no answer cache)",
                    f"{load['rps']} vs {theirs['rps']} req/s ({load['rps'] / theirs['rps']:.2f}x)",
                    load["rps"] >= 1.5 * theirs["rps"]))
    for name in ("/api/policies?issuer=… (another issuer each time)", "/api/policies?issuer=…"):
        listed = results["seikg"]["load"].get(name)
        if listed and listed.get("rps"):
            refused = listed.get("statuses", {}).get("429", 0)
            out.append((f"{name} ≥ 126 req/s (20x 6.3), no 429 (no answer cache)",
                        f"{listed['rps']} req/s, {refused} refused", listed["rps"] >= 126 and not refused))
    gaps = [r for name, r in mine.items() if name.startswith("gaps:")]
    worst_gap = max((r.get("median_ms", float("inf")) for r in gaps), default=None)
    if worst_gap is not None:
        out.append(("every gap query under 50 ms", f"slowest median {worst_gap:g} ms", worst_gap < 50))
    store = results["store_load"]
    out.append(("load from N-Quads ≤ 5 s", f"{store.get('seconds')} s", (store.get("seconds") or 99) <= 5))
    seikg = results["seikg"]
    memory = max(seikg.get("peak_pss_mib", 0), seikg.get("restarted", {}).get("peak_pss_mib", 0))
    if store.get("store_mib") and memory:
        ratio = memory / store["store_mib"]
        out.append(("server memory (PSS, all processes) ≤ 2x one store", f"{ratio:.1f}x ({memory} MiB "
                    f"/ {store['store_mib']} MiB)", ratio <= 2))
    out.append(("ready on a changed graph ≤ 60 s", f"{seikg['ready_seconds']} s", seikg["ready_seconds"] <= 60))
    if "restarted" in seikg:
        ready = seikg["restarted"]["ready_seconds"]
        out.append(("ready after a restart on an unchanged graph ≤ 10 s", f"{ready} s", ready <= 10))
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
        "**Queries** (median / p95 ms over HTTP /sparql; rdflib direct in-process; ratios are seikg (no answer "
        "cache) ÷ peer on medians, below 1 means seikg is faster)\n\n" + query_table(results),
        "**HTTP under concurrent load** (a second process, keep-alive connections, bounded in time)\n\n"
        + load_table(results),
        "**Load and memory**\n\n" + load_memory_table(results),
        "**Analyses** (the whole suite as the server runs it at load)\n\n" + analysis_table(results),
        "**Graph views** (build the overview and render its HTML)\n\n" + views_table(results),
    ])


def _query_ratio(results: dict, name: str) -> str:
    mine = results["seikg"]["queries"].get(name, {})
    theirs = results["peers"].get("virtuoso", {}).get("queries", {}).get(name, {})
    if "median_ms" not in mine:
        return mine.get("error", "–")
    ratio = f" ({mine['median_ms'] / theirs['median_ms']:.2g}x Virtuoso)" if "median_ms" in theirs else ""
    return f"{mine['median_ms']:g} ms{ratio}"


def _within(results: dict, bound: float = 2.0) -> str:
    mine, theirs = results["seikg"]["queries"], results["peers"].get("virtuoso", {}).get("queries", {})
    compared = [(name, r, theirs[name]) for name, r in mine.items() if "median_ms" in theirs.get(name, {})]
    met = [name for name, r, t in compared if "median_ms" in r and r["median_ms"] <= bound * t["median_ms"]]
    return f"{len(met)} of {len(compared)}"


def _load(results: dict, name: str, run: str = "") -> str:
    loads = (results["seikg"].get("restarted", {}) if run else results["seikg"]).get("load", {})
    result = loads.get(name)
    if not result or "rps" not in result:
        return "–"
    refused = result.get("statuses", {}).get("429", 0)
    return f"{result['rps']} req/s, {refused} × 429"


def _memory_ratio(results: dict) -> str:
    store = results["store_load"].get("store_mib")
    seikg = results["seikg"]
    if not store:
        return "–"
    if "peak_pss_mib" in seikg:
        pss = max(seikg["peak_pss_mib"], seikg.get("restarted", {}).get("peak_pss_mib", 0))
        return f"PSS {pss / store:.1f}x (RSS {seikg['peak_rss_mib'] / store:.1f}x)"
    return f"RSS {seikg['peak_rss_mib'] / store:.1f}x (PSS not measured)"


def comparison(before: dict, after: dict) -> str:
    """Issue 18's targets, the run ``before`` it beside the run ``after``, one row per target."""
    virtuoso = "/sparql canned query"

    def canned(results: dict) -> str:
        mine = results["seikg"]["load"].get(virtuoso, {}).get("rps")
        theirs = results["peers"].get("virtuoso", {}).get("load", {}).get(virtuoso, {}).get("rps")
        return f"{mine} vs {theirs} req/s ({mine / theirs:.2f}x)" if mine and theirs else "–"

    rows = [
        ("queries within 2x of Virtuoso's median", _within),
        ("PUB02", lambda r: _query_ratio(r, "competency: PUB02")),
        ("PUB01", lambda r: _query_ratio(r, "competency: PUB01")),
        ("policies by issuer (the list query)", lambda r: _query_ratio(r, "canned: policies by issuer "
                                                                          "(entity_index_linked)")),
        ("entity card (a small query)", lambda r: _query_ratio(r, "canned: entity card")),
        ("/api/policies?issuer=… under 8 connections (≥ 126 req/s, no 429)",
         lambda r: _load(r, "/api/policies?issuer=…")),
        ("the same, another issuer each time", lambda r: _load(r, "/api/policies?issuer=… (another issuer each time)")),
        ("the same with the answer cache (restarted server)", lambda r: _load(r, "/api/policies?issuer=…", "cache")),
        ("canned /sparql throughput (≥ 1.5x Virtuoso's)", canned),
        ("server memory ÷ one store (≤ 2x, PSS)", _memory_ratio),
        ("ready on a new graph (≤ 60 s)", lambda r: f"{r['seikg']['ready_seconds']} s"),
        ("ready after a restart, graph unchanged (≤ 10 s)",
         lambda r: f"{r['seikg']['restarted']['ready_seconds']} s" if "restarted" in r["seikg"] else "not measured"),
        ("load from N-Quads (≤ 5 s)", lambda r: f"{r['store_load'].get('seconds')} s"),
        ("/health p95 during a reload (< 50 ms)",
         lambda r: f"{r['seikg']['health_during_reload']['p95_ms']} ms"),
    ]
    lines = ["| target | before (run-1m-before-issue-18.json) | after (run-1m.json) |", "|---|---|---|"]
    lines += [f"| {name} | {measure(before)} | {measure(after)} |" for name, measure in rows]
    return "\n".join(lines)

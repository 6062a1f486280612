"""The benchmark harness runs end to end on a small graph: it starts and stops its peers, measures every
section, and reports each target. (Its figures are not asserted: timings belong to the benchmark.)"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.peers import virtuoso_available
from bench.report import markdown, targets

from tests.conftest import ROOT

pytestmark = [pytest.mark.timeout(900), pytest.mark.bench, pytest.mark.slow]


def test_harness_runs_at_10k_with_its_peers(tmp_path) -> None:
    out = tmp_path / "run.json"
    skip = ["rdflib-endpoint", "rdflib"] + ([] if virtuoso_available() else ["virtuoso"])
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--size", "10k", "--repeat", "1",
                           "--load-seconds", "1", "--connections", "2", "--workdir", str(tmp_path), "--out", str(out),
                           "--skip", *skip], cwd=ROOT, capture_output=True, text=True, timeout=850)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"store_load", "seikg", "analyses", "views", "peers"} <= set(results)
    queries = results["seikg"]["queries"]
    assert all("median_ms" in result for result in queries.values()), queries  # seikg answers every query
    assert any(name.startswith("competency: PUB") for name in queries) and any(n.startswith("gaps:") for n in queries)
    targets_loaded = {"/sparql canned query", "/api/policies?issuer=…", "/api/policies?issuer=… (another issuer each time)",
                      "entity page (HTML)", "/api/regions/{id}/gaps"}
    restarted = results["seikg"]["restarted"]  # the second start, on the same store folder, with the answer cache
    assert set(results["seikg"]["load"]) == set(restarted["load"]) == targets_loaded
    assert all(r["statuses"].get("200") for r in [*results["seikg"]["load"].values(), *restarted["load"].values()])
    for run in (results["seikg"], restarted):  # memory as PSS (shared pages once) and as RSS, of all processes
        assert 0 < run["pss_after_ready_mib"] <= run["peak_pss_mib"] <= run["peak_rss_mib"]
    if "virtuoso" not in skip:
        assert all("median_ms" in r for r in results["peers"]["virtuoso"]["queries"].values())
    names = [name for name, _, _ in targets(results)]
    assert "every gap query under 50 ms" in names and "whole analysis suite within 60 s" in names
    assert "ready after a restart on an unchanged graph ≤ 10 s" in names
    assert "server memory (PSS, all processes) ≤ 2x one store" in names
    assert "**Targets**" in markdown(results) and "**Queries**" in done.stdout
    assert _processes_mentioning(str(tmp_path)) == []  # every server it started was stopped


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found


def test_deployment_benchmark_runs_at_10k_over_virtuoso(tmp_path) -> None:
    """bench/deployment.py: both loads, seikg serving Virtuoso with two workers, queries through both."""
    if not virtuoso_available():
        pytest.skip("Virtuoso is not installed (Debian virtuoso-opensource; .ci/run installs it)")
    out = tmp_path / "deployment.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "deployment.py"), "--size", "10k", "--repeat", "1",
                           "--load-seconds", "1", "--connections", "2", "--buffers", "20000", "--workdir",
                           str(tmp_path), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=850)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["bulk_load_seconds"] > 0 and results["gsp_load"]["seconds"] > 0
    quads = results["seikg_status"]["quads"]
    assert quads >= 10_000  # the synthetic graph and the ontology, as the store holds them
    mine, theirs = results["seikg"]["queries"], results["peers"]["virtuoso"]["queries"]
    assert set(mine) == set(theirs) and all("median_ms" in r for r in mine.values()), mine
    assert all(mine[name]["rows"] == theirs[name]["rows"] for name in mine)  # the same answers through seikg
    assert all(r["statuses"].get("200") for r in results["seikg"]["load"].values())
    assert "**Load and readiness**" in done.stdout and "÷ Virtuoso" in done.stdout
    assert _processes_mentioning(str(tmp_path)) == []

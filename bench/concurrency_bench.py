"""Does the service keep answering while runaway queries fill every worker?

Starts ``seikg serve`` on 127.0.0.1 (one query worker, as on a 2-core machine),
keeps three runaway queries running from three threads, and meanwhile samples
``/health``, a small JSON API request (the canned-query lane) and a small user
SPARQL query. Bounded: a fixed number of samples and a time limit; loopback
only; the server is stopped by its PID.

    python bench/concurrency_bench.py --out bench/results/concurrency.json
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _get(url: str, timeout: float = 30) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, (time.perf_counter() - started) * 1000


def _summary(samples: list[tuple[int, float]]) -> dict[str, object]:
    times = sorted(ms for _, ms in samples)
    statuses: dict[str, int] = {}
    for status, _ in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {"n": len(times), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2), "max_ms": round(times[-1], 2),
            "statuses": statuses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "concurrency.json")
    args = parser.parse_args(argv)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SEIKG_QUERY_WORKERS": "1", "SEIKG_QUERY_DEADLINE": "10",
           "SEIKG_STORE_DIR": tempfile.mkdtemp(prefix="seikg-bench-")}
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--log-level",
                               "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if json.loads(urllib.request.urlopen(f"{base}/status", timeout=2).read())["ready"]:
                    break
            except (OSError, ValueError):
                time.sleep(0.5)
        runaway_url = f"{base}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        runaway_statuses: list[int] = []

        def keep_running() -> None:
            while not stop.is_set():
                runaway_statuses.append(_get(runaway_url, timeout=30)[0])

        threads = [threading.Thread(target=keep_running, daemon=True) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        health, api, user = [], [], []
        ask = f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        for _ in range(args.samples):
            health.append(_get(f"{base}/health"))
            api.append(_get(f"{base}/api/policies?per_page=5"))
            if len(user) < 20:
                user.append(_get(ask))
            time.sleep(0.02)
        stop.set()
        report = {"health": _summary(health), "api_small_query": _summary(api),
                  "user_small_query": _summary(user), "runaway_statuses": runaway_statuses,
                  "cpus": os.cpu_count(), "workers": 1}
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

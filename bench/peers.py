"""The servers a benchmark or a test starts on 127.0.0.1 and stops by PID: Virtuoso, rdflib-endpoint, seikg.

Every server listens on loopback only, on a free port, with its own working folder; ``stop()`` terminates
it by PID and kills it if it lingers. Used by ``bench/run.py`` and by the remote-store tests.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ServerThreads = 8
CheckpointInterval = 0
MaxQueryMem = 2G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 8
MaxClientConnections = 16

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float, *, ready: str | None = None, processes: int = 1) -> None:
    """Wait until ``url`` answers (and, with ``ready``, its JSON has that key true); with ``processes`` > 1,
    until that many distinct ``pid`` values have answered ready (web workers sharing one address each load
    the graph on their own, and the kernel may hand every new connection to the same one for a while).

    Raises
    ------
    TimeoutError
        If it does not within ``seconds``.
    """
    deadline = time.monotonic() + seconds
    seen: set[object] = set()
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # a new connection each time
                answer = json.loads(response.read()) if ready is not None or processes > 1 else {}
                if ready is None or answer.get(ready):
                    seen.add(answer.get("pid"))
                    if len(seen) >= processes:
                        return
        except (OSError, ValueError):
            pass
        time.sleep(0.5 if processes == 1 else 0.05)
    raise TimeoutError(f"{url} did not answer within {seconds:g} s"
                       + (f" from {processes} processes (saw {len(seen)})" if processes > 1 else ""))


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a server by its PID: terminate, then kill if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def rss_mib(pid: int, *, children: bool = True) -> float:
    """Resident memory of ``pid`` (and its descendants), in MiB, from /proc."""
    def one(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0
    return sum(one(p) for p in (_descendants(pid) if children else [pid]))


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def pss_mib(pid: int) -> float:
    """Proportional set size of ``pid`` and its descendants, in MiB: a page shared by n processes counts 1/n
    in each, so the sum counts every page once (the memory the server really holds; ``rss_mib`` counts a
    page shared copy-on-write once per process). From /proc/PID/smaps_rollup."""
    total = 0
    for current in _descendants(pid):
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


@dataclass
class Server:
    """A server process on 127.0.0.1, with its SPARQL endpoint URL."""

    name: str
    process: subprocess.Popen
    base: str
    endpoint: str
    workdir: Path
    extra: dict[str, object] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop it by PID."""
        stop_process(self.process)


def virtuoso_available() -> bool:
    """Whether Debian's virtuoso-opensource (virtuoso-t and isql-vt) is installed."""
    return shutil.which("virtuoso-t") is not None and (shutil.which("isql-vt") or shutil.which("isql")) is not None


def start_virtuoso(workdir: Path, *, buffers: int = 170_000) -> Server:
    """Start Virtuoso on loopback ports with its own database in ``workdir`` (empty).

    ``buffers`` is Virtuoso's page cache (8 KiB pages; 170,000 is about 1.3 GiB, Virtuoso's advice for
    2 GiB of memory per 1M-10M triples).

    Raises
    ------
    RuntimeError
        If Virtuoso is not installed.
    TimeoutError
        If it does not answer within two minutes.
    """
    if not virtuoso_available():
        raise RuntimeError("Virtuoso is not installed (Debian package virtuoso-opensource)")
    workdir.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (workdir / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port,
                                                              buffers=buffers, dirty=buffers * 3 // 4))
    process = subprocess.Popen([shutil.which("virtuoso-t"), "-c", str(workdir / "virtuoso.ini"), "-f"],
                               cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", process, base, base + "/sparql", workdir, {"sql_port": sql_port})
    try:
        wait_for(server.endpoint + "?query=ASK%7B%7D", 120)
    except TimeoutError:
        server.stop()
        raise
    return server


def virtuoso_bulk_load(server: Server, nquads: Path, graph: str, *, timeout: float = 1800) -> float:
    """Load ``nquads`` with Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``); returns seconds.

    Raises
    ------
    RuntimeError
        If the loader fails.
    """
    target = server.workdir / nquads.name
    if target.resolve() != nquads.resolve():
        shutil.copyfile(nquads, target)
    isql = shutil.which("isql-vt") or shutil.which("isql")
    started = time.perf_counter()
    done = subprocess.run([isql, str(server.extra["sql_port"]), "dba", "dba",
                           f"exec=ld_dir('{server.workdir}', '{nquads.name}', '{graph}'); rdf_loader_run(); checkpoint;"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "Error" in done.stdout:
        raise RuntimeError(f"Virtuoso's bulk loader failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - started


_RDFLIB_ENDPOINT = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
uvicorn.run(SparqlEndpoint(graph=dataset), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def start_rdflib_endpoint(nquads: Path, workdir: Path, *, timeout: float = 1800) -> Server:
    """Start rdflib-endpoint (PyPI) over ``nquads`` in rdflib's memory store (default graph: the union).

    Raises
    ------
    TimeoutError
        If it is not answering within ``timeout`` seconds (loading 1M triples into rdflib takes minutes).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", _RDFLIB_ENDPOINT, str(nquads), str(port)], cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    server = Server("rdflib-endpoint", process, base, base + "/", workdir)
    try:
        wait_for(base + "/?query=ASK%7B%7D", timeout)
    except TimeoutError:
        server.stop()
        raise
    return server


def start_seikg(workdir: Path, *, graph: Path | None = None, store: str | None = None, workers: int = 1,
                env: dict[str, str] | None = None, timeout: float = 600) -> Server:
    """Start ``seikg serve`` on 127.0.0.1 over ``graph`` (an N-Quads file) or the data folder, or over a
    remote ``store``; wait until ``/status`` says ready in every one of the ``workers``.

    Raises
    ------
    TimeoutError
        If the graph is not ready within ``timeout`` seconds.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--log-level", "warning",
               "--workers", str(workers)]
    if graph is not None:
        command += ["--graph", str(graph)]
    if store is not None:
        command += ["--store", store]
    full_env = {**os.environ, "SEIKG_STORE_DIR": str(workdir / "stores"), "RUST_BACKTRACE": "0", **(env or {})}
    with (workdir / "serve.log").open("wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    server = Server("seikg", process, base, base + "/sparql", workdir)
    try:
        wait_for(base + "/status", timeout, ready="ready", processes=workers)
    except TimeoutError:
        server.stop()
        raise
    return server

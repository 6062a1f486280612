"""Shared fixtures: the real graph (built once), the kitchen-sink graph, and the shared/ folder."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx2 as httpx
import pytest

from bench.peers import free_port, stop_process  # noqa: F401 - re-exported for the tests
from kg import Settings, build_dataset, load_shapes, serialize_dataset, union_graph, validate_graph

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
KITCHEN_SINK = TESTS / "data" / "kitchen_sink"
TOY = TESTS / "data" / "analyses" / "toy.ttl"  # the hand-built world of the analysis and view tests
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")
    parser.addoption("--update-screenshots", action="store_true",
                     help="copy the browser tests' screenshots to docs/screenshots/")


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's real settings (data/, ontology/, ../shared/seeds when present)."""
    return Settings()


@pytest.fixture(scope="session")
def seeds_dir(settings: Settings) -> Path:
    """The seed texts; tests that need them skip with a message when they are absent."""
    if settings.seeds_dir is None:
        pytest.skip("seed texts not found at ../shared/seeds: anchor checks against them are skipped")
    return settings.seeds_dir


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared with its tools and competency questions."""
    if not (SHARED / "tools" / "cq_check.py").is_file():
        pytest.skip("../shared/tools/cq_check.py not found: competency questions skipped")
    return SHARED


@pytest.fixture(scope="session")
def built(settings: Settings):
    """The real graph built from data/ (read-only: do not mutate)."""
    return build_dataset(settings)


@pytest.fixture(scope="session")
def real_graph(built):
    """The real graph's union of named graphs (read-only)."""
    return union_graph(built.dataset)


@pytest.fixture(scope="session")
def shapes(settings: Settings):
    return load_shapes(settings.ontology_dir)


@pytest.fixture(scope="session")
def real_report(built, shapes, settings: Settings):
    """The validation report of the real graph, computed once per session."""
    return validate_graph(built.dataset, shapes, seeds_dir=settings.seeds_dir)


@pytest.fixture(scope="session")
def ks_settings() -> Settings:
    """Settings pointing at the kitchen-sink data and its one seed text."""
    return Settings(data_dir=KITCHEN_SINK / "data", seeds_dir=KITCHEN_SINK / "seeds")


@pytest.fixture(scope="session")
def ks_built(ks_settings: Settings):
    return build_dataset(ks_settings)


@pytest.fixture(scope="session")
def ks_graph(ks_built):
    return union_graph(ks_built.dataset)


@pytest.fixture
def ks_copy(tmp_path: Path, ks_settings: Settings) -> Settings:
    """A writable copy of the kitchen-sink data, for tests that add or break files."""
    target = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", target)
    return Settings(data_dir=target, seeds_dir=ks_settings.seeds_dir)


@pytest.fixture(scope="session")
def toy():
    """The hand-built toy world (tests/data/analyses/toy.ttl), projected."""
    from kg.projection import project_file
    return project_file(TOY, version="toy")


# -- the query service ------------------------------------------------------------------

@pytest.fixture(scope="session")
def ks_snapshot(ks_built, tmp_path_factory: pytest.TempPathFactory):
    """A store of the kitchen sink plus the W3C protocol tests' named graphs."""
    from kg.store.snapshot import write_snapshot
    nquads = serialize_dataset(ks_built.dataset, "nquads")
    nquads += (TESTS / "data" / "w3c_protocol" / "graphs.nq").read_bytes()
    return write_snapshot(nquads, tmp_path_factory.mktemp("stores"))


@pytest.fixture(scope="session")
def ks_service(ks_settings: Settings, ks_snapshot):
    """A query service over the kitchen-sink store: two workers, a 2 s deadline, a 50-row cap."""
    from kg.runtime import QueryService
    settings = replace(ks_settings, query_workers=2, query_deadline=2.0, max_rows=50)
    service = QueryService.from_snapshot(settings, ks_snapshot)
    yield service
    service.close()


@pytest.fixture(scope="session")
def client(ks_service):
    """An in-process HTTP client of the app over ``ks_service``."""
    from fastapi.testclient import TestClient
    from api import create_app
    with TestClient(create_app(service=ks_service)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory):
    """The real `seikg serve` on 127.0.0.1 over the real data, started by the tests and stopped by PID."""
    port = free_port()
    env = {**os.environ, "SEIKG_STORE_DIR": str(tmp_path_factory.mktemp("live-stores")),
           "SEIKG_QUERY_DEADLINE": "3"}
    log = tmp_path_factory.mktemp("live-log") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port),
                                    "--log-level", "warning"], cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"seikg serve exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base}/status", timeout=2).json().get("ready"):
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"seikg serve was not ready in time: {log.read_text(errors='replace')[-2000:]}")
        yield base
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def listener():
    """A TCP listener on 127.0.0.1 that counts the connections it accepts, for the whole session.

    Hostile queries point SERVICE and FROM at it; :func:`no_outbound_connection` asserts, when the
    session ends, that nothing in the suite (or in the part of it that ran) ever connected.
    """
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted: list[tuple] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except OSError:
                continue
            accepted.append(address)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.fixture(scope="session", autouse=True)
def no_outbound_connection(listener):
    """Over the whole run, however it is selected, no query reached the loopback listener."""
    yield
    _, accepted = listener
    assert accepted == [], f"{len(accepted)} connection(s) reached the listener that SERVICE and FROM point at"


@pytest.fixture(scope="session")
def real_client(built, settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """An in-process HTTP client of the app over the real graph (one query worker; the analysis graph served)."""
    from fastapi.testclient import TestClient

    from api import create_app
    from kg.runtime import QueryService
    from kg.store.snapshot import write_snapshot
    snapshot = write_snapshot(serialize_dataset(built.dataset, "nquads"), tmp_path_factory.mktemp("real-stores"))
    service = QueryService.from_snapshot(replace(settings, query_workers=1), snapshot, analysis_graph=True)
    with TestClient(create_app(service=service)) as client:
        yield client
    service.close()

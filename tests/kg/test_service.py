"""The query service's (re)load: atomic swap to a new snapshot, and a failed reload keeps the old graph."""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import SeikgError
from kg.runtime import QueryService

from tests.conftest import KITCHEN_SINK, TESTS

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(service: QueryService) -> int:
    return int(json.loads(service.query(COUNT).body)["results"]["bindings"][0]["n"]["value"])


def _loaded_copy(tmp_path: Path, ks_settings, workers: int):
    """A service over a writable copy of the kitchen-sink data, loaded, with ``workers`` query workers."""
    data = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", data)
    settings = replace(ks_settings, data_dir=data, store_dir=tmp_path / "stores", query_workers=workers)
    service = QueryService(settings)
    service.load()
    yield service, data
    service.close()


@pytest.fixture
def reloadable(tmp_path: Path, ks_settings):
    yield from _loaded_copy(tmp_path, ks_settings, 1)


def test_service_reload_swaps_in_the_new_graph(reloadable) -> None:
    service, data = reloadable
    before, version = _count(service), service.status()["store"]["version"]
    (data / "more.yaml").write_text("units:\n  - {id: furlong, label: furlong}\n", encoding="utf-8")
    service.load()
    assert _count(service) > before
    assert service.status()["store"]["version"] != version
    assert service.status()["last_reload"]["ok"] is True


def test_service_failed_reload_keeps_serving_the_old_graph(reloadable) -> None:
    service, data = reloadable
    before, version = _count(service), service.status()["store"]["version"]
    shutil.copy(TESTS / "data" / "invalid" / "load" / "dangling_reference.yaml", data)
    with pytest.raises(SeikgError):
        service.load()
    assert _count(service) == before
    status = service.status()
    assert status["store"]["version"] == version and status["ready"] is True
    assert status["last_reload"]["ok"] is False
    assert "dangling_reference.yaml" in status["last_reload"]["message"]


def test_service_reload_refuses_a_graph_that_does_not_conform(reloadable) -> None:
    service, data = reloadable
    text = (data / "kitchen_sink.yaml").read_text(encoding="utf-8")
    (data / "kitchen_sink.yaml").write_text(text[:text.index("\nconflicts:")] + "\n", encoding="utf-8")
    with pytest.raises(SeikgError, match="does not conform"):
        service.load()
    assert service.status()["last_reload"]["ok"] is False
    assert _count(service) > 0


def test_service_analyses_computed_once_per_graph_version_and_served_as_a_graph(reloadable) -> None:
    service, data = reloadable
    suite = service.analyses()
    assert suite.version == service.status()["store"]["version"]
    assert service.analyses() is suite  # requests read it; nothing recomputes it
    assert "https://w3id.org/seikg/graph/analysis" in service.status()["store"]["graphs"]
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/seikg/graph/analysis> "
             "{ ?gap a <https://w3id.org/seikg/ontology#RegionGap> } }")
    rows = json.loads(service.query(query).body)["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == sum(len(r.gaps) for r in suite.region_gaps.values()) > 0
    (data / "more.yaml").write_text("units:\n  - {id: furlong, label: furlong}\n", encoding="utf-8")
    service.load()
    assert service.analyses() is not suite and service.analyses().version != suite.version


# -- issue 12 ---------------------------------------------------------------------------------------------

@pytest.fixture
def two_workers(tmp_path: Path, ks_settings):
    yield from _loaded_copy(tmp_path, ks_settings, 2)


def test_issue_12_a_thousand_reads_during_a_reload_get_no_error_and_no_429(two_workers) -> None:
    import threading

    from kg.errors import Overloaded
    service, data = two_workers
    before = service.status()["store"]["version"]
    outcomes: list[str] = []
    lock = threading.Lock()

    def read(count: int) -> None:
        for _ in range(count):
            try:
                _count(service)
                result = "ok"
            except Overloaded:
                result = "429"
            except SeikgError as exc:
                result = f"error: {exc}"
            with lock:
                outcomes.append(result)

    readers = [threading.Thread(target=read, args=(500,)) for _ in range(2)]
    for reader in readers:
        reader.start()
    (data / "more.yaml").write_text("units:\n  - {id: furlong, label: furlong}\n", encoding="utf-8")
    service.load()
    for reader in readers:
        reader.join()
    assert service.status()["store"]["version"] != before
    assert len(outcomes) == 1000
    assert [o for o in outcomes if o != "ok"] == []


def test_issue_12_a_hostile_file_fails_the_reload_and_keeps_the_graph(two_workers) -> None:
    from kg.errors import LoadError
    service, data = two_workers
    before = _count(service)
    shutil.copy(TESTS / "data" / "invalid" / "load" / "alias_bomb.yaml", data)
    with pytest.raises(LoadError, match="aliases may only be merged"):
        service.load()
    status = service.status()
    assert status["loading"] is False
    assert status["last_reload"]["ok"] is False and "still serving" in status["last_reload"]["message"]
    assert _count(service) == before


def test_issue_12_a_reload_past_its_deadline_is_stopped_and_reported(two_workers) -> None:
    from kg.errors import LoadError
    from kg.store.backend import EmbeddedBackend
    service, data = two_workers
    before = _count(service)
    service.settings = replace(service.settings, reload_deadline=0.2)  # less than a child process needs to start
    service.backend = EmbeddedBackend(service.settings)
    (data / "more.yaml").write_text("units:\n  - {id: furlong, label: furlong}\n", encoding="utf-8")
    with pytest.raises(LoadError, match="longer than 0.2 s"):
        service.load()
    assert service.status()["last_reload"]["ok"] is False
    assert _count(service) == before


def test_issue_12_status_says_the_workers_have_no_network(two_workers) -> None:
    service, _ = two_workers
    sandbox = service.status()["sandbox"]
    assert sandbox["isolated"] is True, sandbox
    assert "network namespace" in sandbox["layers"] or "seccomp" in sandbox["layers"]


# -- issue 18 ---------------------------------------------------------------------------------------------

def test_issue_18_a_restart_of_an_unchanged_graph_does_not_recompute_the_analyses(reloadable, monkeypatch) -> None:
    service, data = reloadable
    first = service.analyses()
    settings = service.settings
    import kg.runtime

    def refuse(*args, **kwargs):
        raise AssertionError("the analyses were computed again for an unchanged graph")

    monkeypatch.setattr(kg.runtime, "run_analyses", refuse)
    restarted = QueryService(settings)
    try:
        restarted.load()  # the same data: the same snapshot, its analyses read from beside it
        again = restarted.analyses()
        assert again.version == first.version and again.started_at == first.started_at
        assert again.results["region-gaps"].keys() == first.results["region-gaps"].keys()
        assert restarted.analysis_rdf() is not None and len(restarted.analysis_rdf()) == len(service.analysis_rdf())
        monkeypatch.undo()
        (data / "more.yaml").write_text("units:\n  - {id: furlong, label: furlong}\n", encoding="utf-8")
        restarted.load()  # a changed graph: analysed afresh
        assert restarted.analyses().version != first.version
    finally:
        restarted.close()


def test_issue_18_a_damaged_stored_analysis_is_computed_again(reloadable) -> None:
    service, _ = reloadable
    version = service.status()["store"]["version"]
    stored = list(Path(service.settings.store_dir, version).glob("analyses-*.pickle"))
    assert len(stored) == 1
    stored[0].write_bytes(b"not a pickle")
    restarted = QueryService(service.settings)
    try:
        restarted.load()
        assert restarted.analyses().version == version
        assert stored[0].read_bytes() != b"not a pickle"  # written again
    finally:
        restarted.close()


def test_issue_18_what_is_remembered_is_computed_once_for_concurrent_callers(ks_service) -> None:
    """Eight requests at once asking for the same facet links computed them eight times, filling the service's
    query lane (429); now the first computes and the others wait for its result."""
    import threading

    calls: list[int] = []
    started = threading.Event()

    def compute() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.3)  # long enough for every other caller to arrive while it runs
        return "value"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(ks_service.remember("issue-18-once", compute)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert started.is_set() and results == ["value"] * 8 and len(calls) == 1


def test_issue_18_the_worker_recycle_limit_is_a_setting(ks_settings) -> None:
    """SEIKG_WORKER_RECYCLE_MB sets how much of the shared store a worker may copy before a fresh fork replaces
    it (docs/performance.md measures the trade); a limit below 1 MiB is refused, naming the setting."""
    from kg.config import Settings
    from kg.errors import ConfigError

    settings = Settings.from_env({"SEIKG_WORKER_RECYCLE_MB": "512"})
    assert settings.worker_recycle_mb == 512 and settings.to_env()["SEIKG_WORKER_RECYCLE_MB"] == "512"
    assert QueryService(replace(ks_settings, worker_recycle_mb=512))._limits().recycle_bytes == 512 * 2**20
    with pytest.raises(ConfigError, match="worker_recycle_mb"):
        replace(ks_settings, worker_recycle_mb=0).check()

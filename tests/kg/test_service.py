"""The query service's (re)load: atomic swap to a new snapshot, and a failed reload keeps the old graph."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import SeikgError
from kg.service import QueryService

from ..conftest import KITCHEN_SINK, TESTS

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(service: QueryService) -> int:
    return int(json.loads(service.query(COUNT).body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def reloadable(tmp_path: Path, ks_settings):
    data = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", data)
    settings = replace(ks_settings, data_dir=data, store_dir=tmp_path / "stores", query_workers=1)
    service = QueryService(settings)
    service.load()
    yield service, data
    service.close()


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

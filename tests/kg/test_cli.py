"""Tests of the seikg command line: commands, outputs and documented exit codes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli.main import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main

from tests.conftest import KITCHEN_SINK, ROOT, TESTS

KS = ["--data", str(KITCHEN_SINK / "data"), "--seeds", str(KITCHEN_SINK / "seeds")]


def test_cli_build_writes_nquads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ks.nq"
    assert main(KS + ["build", "-o", str(out)]) == EXIT_OK
    assert out.read_text(encoding="utf-8").startswith("<")
    assert "anchors found in their seed texts" in capsys.readouterr().out


def test_cli_build_bad_data_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", data)
    shutil.copy(TESTS / "data" / "invalid" / "load" / "dangling_reference.yaml", data)
    out = tmp_path / "never.nq"
    code = main(["--data", str(data), "--seeds", str(KITCHEN_SINK / "seeds"), "build", "-o", str(out)])
    assert code == EXIT_USAGE
    assert not out.exists()
    err = capsys.readouterr().err
    assert "dangling_reference.yaml:8" in err and "issued_by" in err


def test_cli_validate_conforming_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(KS + ["validate"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("conforms") and "conflicts between sources: 1" in out


def test_cli_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(KS + ["validate", "--format", "json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is True and report["violations"] == []
    assert len(report["conflicts"]) == 1


def test_cli_validate_nonconforming_graph_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graph = tmp_path / "bad.ttl"
    assert main(KS + ["export", "--format", "turtle", "-o", str(graph)]) == EXIT_OK
    with graph.open("a", encoding="utf-8") as handle:
        handle.write((TESTS / "data" / "invalid" / "shapes" / "link_without_evidence.ttl").read_text())
    capsys.readouterr()
    assert main(KS + ["validate", "--graph", str(graph)]) == EXIT_FAILED
    assert "DOES NOT CONFORM" in capsys.readouterr().out


def test_cli_unrecorded_conflict_fails_validation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    text = (KITCHEN_SINK / "data" / "kitchen_sink.yaml").read_text(encoding="utf-8")
    (data / "kitchen_sink.yaml").write_text(text[:text.index("\nconflicts:")] + "\n", encoding="utf-8")
    code = main(["--data", str(data), "--seeds", str(KITCHEN_SINK / "seeds"), "validate"])
    assert code == EXIT_FAILED
    assert "no seikg:Conflict records the disagreement" in capsys.readouterr().out


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert caught.value.code == EXIT_USAGE
    assert main(KS + ["query"]) == EXIT_USAGE
    assert main(KS + ["query", "SELEC nonsense"]) == EXIT_USAGE
    assert "not a query" in capsys.readouterr().err  # the endpoint's screen and words (issue 13)
    assert main(["--data", "/no/such/folder", "build"]) == EXIT_USAGE


def test_cli_query_table_json_csv(capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT ?label WHERE { ?p a <https://w3id.org/seikg/ontology#Notice> ; rdfs:label ?label }"
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query
    assert main(KS + ["query", query]) == EXIT_OK
    table = capsys.readouterr().out
    assert "Example Notice on Joint Platforms" in table and "(2 rows)" in table
    assert main(KS + ["query", "--format", "json", query]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {r["label"]["value"] for r in rows} == {"Example Notice on Joint Platforms", "示例通知"}
    assert main(KS + ["query", "--format", "csv", query]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0].strip() == "label"


def test_cli_query_from_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert main(KS + ["query", "-f", str(path)]) == EXIT_OK
    assert capsys.readouterr().out == "true\n"


def test_cli_evidence_lists_every_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(KS + ["evidence", "policy/example-notice"]) == EXIT_OK
    out = capsys.readouterr().out
    for predicate in ("seikg:issuedBy", "seikg:establishesMechanism", "seikg:appliesToRegion", "dcterms:issued"):
        assert predicate in out
    assert "In March of the same year" in out
    assert main(KS + ["evidence", "policy/no-such-policy"]) == EXIT_USAGE


def test_cli_conflicts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(KS + ["conflicts"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "2020-03" in out and "2020-05-01" in out


def test_cli_generated_files_are_in_sync() -> None:
    assert main(["generate", "--check"]) == EXIT_OK


def test_cli_help_documents_exit_codes() -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    for line in ("0  success", "1  the graph does not conform", "2  usage error"):
        assert line in done.stdout


@pytest.mark.slow  # quick loop: see README
def test_issue_2_validate_exits_0_on_real_data(seeds_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "validate"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    assert "SHACL violations: 0" in done.stdout
    assert ", 0 missing," in done.stdout


@pytest.mark.parametrize("name,text", [
    ("alias_bomb", (TESTS / "data" / "invalid" / "load" / "alias_bomb.yaml").read_text(encoding="utf-8")),
    ("deep_nesting", "units: " + "[" * 20_000 + "]" * 20_000 + "\n"),
    ("deep_mapping", "".join("  " * depth + f"k{depth}:\n" for depth in range(3_000))),
])
@pytest.mark.timeout(60)  # a hang guard, not a speed check: an expanded bomb or a recursive parse never ends
def test_issue_12_hostile_yaml_exits_2_without_hanging(name: str, text: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", data)
    (data / f"{name}.yaml").write_text(text, encoding="utf-8")
    code = main(["--data", str(data), "--seeds", str(KITCHEN_SINK / "seeds"), "validate"])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{name}.yaml" in err and "Traceback" not in err
    assert "aliases may only be merged" in err or "nests deeper than" in err


@pytest.mark.parametrize("stray", ["extra.yml", "graph.ttl", "graph.rdf", "context.jsonld"])
def test_issue_12_unknown_files_in_the_data_folder_are_refused(stray: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", data)
    (data / stray).write_text("units: []\n", encoding="utf-8")
    code = main(["--data", str(data), "--seeds", str(KITCHEN_SINK / "seeds"), "validate"])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert stray in err and "not a data file" in err


_DATA_GRAPH = "https://w3id.org/seikg/graph/data"
_PARITY = {
    "union": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "graph": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_DATA_GRAPH}> {{ ?s ?p ?o }} }}",
    "from": f"SELECT (COUNT(*) AS ?n) FROM <{_DATA_GRAPH}> WHERE {{ ?s ?p ?o }}",
    "named-graphs": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    "analysis": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/seikg/graph/analysis> { ?s ?p ?o } }",
    "issue-17-predeclared-prefixes": "SELECT ?l WHERE { ?s a seikg:Region ; rdfs:label ?l } ORDER BY ?l",
}


@pytest.fixture(scope="module")
def parity(tmp_path_factory: pytest.TempPathFactory):
    """The kitchen sink served as `seikg serve` serves it, and the CLI pointed at the same store folder."""
    from dataclasses import replace as replace_settings

    from fastapi.testclient import TestClient

    from api import create_app
    from kg.config import Settings
    from kg.runtime import QueryService
    from kg.store.snapshot import build_snapshot
    stores = tmp_path_factory.mktemp("parity-stores")
    settings = replace_settings(Settings(data_dir=KITCHEN_SINK / "data", seeds_dir=KITCHEN_SINK / "seeds"),
                                store_dir=stores)
    service = QueryService.from_snapshot(settings, build_snapshot(settings), analysis_graph=True)
    with TestClient(create_app(service=service)) as client:
        yield client, stores
    service.close()


@pytest.mark.parametrize("name", sorted(_PARITY))
def test_issue_13_seikg_query_answers_as_the_endpoint(name: str, parity, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    client, stores = parity
    monkeypatch.setenv("SEIKG_STORE_DIR", str(stores))
    query = _PARITY[name]
    assert main(KS + ["query", "--format", "json", query]) == EXIT_OK
    cli_rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    http_rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert cli_rows == http_rows and cli_rows


@pytest.mark.parametrize("query,code", [("SELECT * WHERE { ?s ?p }", "syntax_error"),
                                        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                                         "query_rejected"),
                                        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "query_rejected")])
def test_issue_13_seikg_query_refuses_as_the_endpoint(query: str, code: str, parity, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    client, stores = parity
    monkeypatch.setenv("SEIKG_STORE_DIR", str(stores))
    assert main(KS + ["query", query]) == EXIT_USAGE
    message = capsys.readouterr().err.removeprefix("seikg: ").strip()
    error = client.get("/sparql", params={"query": query}).json()["error"]
    assert error["code"] == code and error["message"] == message


def test_issue_13_seikg_list_lists_any_kind_with_the_api_filters(capsys) -> None:
    data, seeds = str(KITCHEN_SINK / "data"), str(KITCHEN_SINK / "seeds")
    assert main(["--data", data, "--seeds", seeds, "list", "mechanisms", "--filter", "problem=low-enthusiasm",
                 "--format", "json"]) == EXIT_OK
    page = json.loads(capsys.readouterr().out)  # the API's filter: the problem or anything below it
    assert [item["id"] for item in page["items"]] == ["joint-platform-mechanism", "shared-fund"]
    assert main(["--data", data, "--seeds", seeds, "list", "strategies", "--filter", "colour=red"]) == EXIT_USAGE
    assert "NAME one of invoked_by, policy" in capsys.readouterr().err

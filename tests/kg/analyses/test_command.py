"""``seikg analyze`` from the command line: every analysis, tables, JSON, CSV, RDF, and clear errors."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF

from kg.cli.main import main
from kg.build.export import parse_export, serialize_dataset
from kg.model.vocab import SEIKG

from tests.kg.analyses.conftest import TOY


@pytest.fixture(scope="module")
def real_file(built, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("analyze") / "seikg.nq"
    path.write_bytes(serialize_dataset(built.dataset, "nquads"))
    return str(path)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["analyze", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_gaps_json_on_the_real_data(capsys, real_file) -> None:
    code, out, _ = _run(capsys, "gaps", "--region", "western-region", "--graph", real_file, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["region"]["label"] == "Western region of China"
    gaps = {g["problem"]["iri"].rsplit("/", 1)[-1]: g for g in result["gaps"]}
    assert "resource-endowment-limitations" in gaps
    gap = gaps["resource-endowment-limitations"]
    assert gap["faced_in"][0]["evidence"][0]["anchor"] == \
        "face significant constraints due to resource endowment limitations"
    assert "region_gaps" not in result["method"]["sparql"] and "partOfRegion*" in result["method"]["sparql"]


def test_analyze_gaps_table_explains_and_shows_the_sparql(capsys) -> None:
    code, out, _ = _run(capsys, "gaps", "--region", "z", "--graph", str(TOY))
    assert code == 0
    assert "gaps of Z (1 of 2 faced problems, 0 of its own; scope Z < P < C)" in out
    assert "m5 [2 source(s), 0 policies]" in out and "addresses the narrower problem p6" in out
    assert "re-run with SPARQL" in out and "<https://w3id.org/seikg/id/region/z>" in out


def test_analyze_csv_is_machine_readable(capsys) -> None:
    code, out, _ = _run(capsys, "coverage", "--graph", str(TOY), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0] == ["table", "problem", "mechanisms", "established", "identified by"]
    assert any(r[0].startswith("orphan problems") and r[1] == "p5" for r in rows)


@pytest.mark.parametrize("args", [["centrality", "--projection", "co-issuance", "--kind", "actor"],
                                  ["communities", "--projection", "co-issuance"], ["holes"], ["timeline"],
                                  ["coverage"], ["frameworks"], ["compare", "y", "z"]])
def test_analyze_every_analysis_in_every_format(capsys, args: list[str]) -> None:
    for fmt in ("table", "json", "csv"):
        code, out, err = _run(capsys, *args, "--graph", str(TOY), "--format", fmt)
        assert code == 0, err
        assert out.strip()
        if fmt == "json":
            json.loads(out)


def test_analyze_centrality_json_values(capsys) -> None:
    _, out, _ = _run(capsys, "centrality", "--projection", "co-issuance", "--kind", "actor", "--measure",
                     "betweenness", "--graph", str(TOY), "--format", "json")
    (ranking,) = json.loads(out)["rankings"]
    assert ranking["top"][0] == {"iri": "https://w3id.org/seikg/id/actor/a2", "label": "a2", "kind": "actor",
                                 "value": 0.333333, "rank": 1}


def test_analyze_export_is_rdf_with_prov(capsys, tmp_path) -> None:
    target = tmp_path / "analysis.ttl"
    code, _, _ = _run(capsys, "export", "--graph", str(TOY), "-o", str(target))
    assert code == 0
    graph = Graph().parse(data=target.read_text(encoding="utf-8"), format="turtle")
    (run,) = graph.subjects(RDF.type, SEIKG.AnalysisRun)
    assert graph.value(run, PROV.startedAtTime) is not None and graph.value(run, PROV.endedAtTime) is not None
    assert graph.value(run, PROV.wasAssociatedWith) is not None
    gaps = set(graph.subjects(RDF.type, SEIKG.RegionGap))
    assert len(gaps) == 5  # X: p3, Y: p2, Z: p2, D: p3 and p5
    for gap in gaps:
        assert graph.value(gap, PROV.wasGeneratedBy) == run
        assert "SELECT" in str(graph.value(graph.value(gap, DCTERMS.isPartOf), SEIKG.proofQuery))
    code, _, _ = _run(capsys, "export", "--graph", str(TOY), "--format", "nquads", "-o", str(tmp_path / "a.nq"))
    dataset = parse_export(tmp_path / "a.nq")
    assert code == 0 and {str(g.identifier) for g in dataset.graphs() if len(g)} == {
        "https://w3id.org/seikg/graph/analysis"}


@pytest.mark.parametrize(("args", "message"), [
    (["gaps", "--region", "tangshn"], "no region 'tangshn' in the graph; did you mean"),
    (["gaps"], "--region: give a region id"),
    (["compare", "y"], "at least two"),
    (["centrality", "--kind", "dragon"], "--kind: no 'dragon' nodes"),
    (["gaps", "--region", "y", "--format", "turtle"], "only `seikg analyze export` writes RDF"),
    (["timeline", "--top", "0"], "--top: must be at least 1"),
])
def test_analyze_bad_input_names_the_parameter(capsys, real_file, args: list[str], message: str) -> None:
    code, out, err = _run(capsys, *args, "--graph", real_file if "tangshn" in args else str(TOY))
    assert code == 2 and out == ""
    assert message in err


def test_analyze_missing_graph_file(capsys, tmp_path) -> None:
    code, _, err = _run(capsys, "timeline", "--graph", str(tmp_path / "missing.nq"))
    assert code == 2 and "--graph: no file" in err


def test_issue_14_analyze_counts_cross_paper_links_unless_told_not_to(capsys, real_file) -> None:
    _, out, _ = _run(capsys, "coverage", "--graph", real_file, "--format", "json")
    _, left_out, _ = _run(capsys, "coverage", "--graph", real_file, "--format", "json", "--cross-source", "exclude")
    included, excluded = json.loads(out), json.loads(left_out)
    assert included["method"]["parameters"] == {"cross_source": "include"}
    assert excluded["method"]["parameters"] == {"cross_source": "exclude"}
    assert len(excluded["orphans"]) > len(included["orphans"])
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", "coverage", "--cross-source", "sometimes"])
    assert exit_.value.code == 2

"""Tests of the SHACL shapes and kg.checks.validate: the real data conforms; each invalid file breaks one shape."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from kg import check_anchors, list_conflicts, validate_graph

from tests.conftest import TESTS

INVALID = sorted((TESTS / "data" / "invalid" / "shapes").glob("*.ttl"))
SHAPES_NS = "https://w3id.org/seikg/shapes#"


def test_issue_2_real_data_has_no_shacl_violations(real_report) -> None:
    assert real_report.violations == ()
    assert real_report.conforms


def test_issue_2_every_anchor_resolves_in_its_seed_text(real_report, seeds_dir: Path) -> None:
    assert real_report.anchors.seeds_available
    assert real_report.anchors.missing == ()
    assert real_report.anchors.checked > 1000


def test_issue_2_outline_date_conflict_is_recorded(real_report) -> None:
    outline = [c for c in real_report.conflicts if "outline-strong-education-country" in c.about]
    assert len(outline) == 1
    assert {c.value for c in outline[0].claims} == {"2025-04", "2025-01-19"}
    assert all(c.anchor and c.section for c in outline[0].claims)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_shapes_invalid_file_breaks_exactly_its_shape(path: Path, ks_graph, shapes, ks_settings) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# shape: "), f"{path.name} lacks a '# shape: NAME' header"
    expected = SHAPES_NS + header[len("# shape: "):].strip()
    assert (URIRef(expected), RDF.type, SH.NodeShape) in shapes, f"no shape {expected}"
    graph = Graph()
    for triple in ks_graph:
        graph.add(triple)
    graph.parse(path, format="turtle")
    report = validate_graph(graph, shapes, seeds_dir=ks_settings.seeds_dir)
    assert report.violations, f"{path.name} broke nothing"
    owners = {v.shape for v in report.violations}
    assert owners == {expected}, [(v.shape, v.message) for v in report.violations]
    assert all(v.message for v in report.violations)


def test_shapes_kitchen_sink_conforms(ks_built, shapes, ks_settings) -> None:
    report = validate_graph(ks_built.dataset, shapes, seeds_dir=ks_settings.seeds_dir)
    assert report.violations == ()
    assert report.anchors.missing == ()


def test_validate_finds_an_anchor_edited_in_the_rdf(ks_graph, ks_settings) -> None:
    from kg.model.vocab import SEIKG
    from rdflib import Literal
    graph = Graph()
    for triple in ks_graph:
        graph.add(triple)
    evidence = next(e for e, _, a in graph.triples((None, SEIKG.anchor, None)) if "Example Ministry" in str(a))
    graph.set((evidence, SEIKG.anchor, Literal("words that are not in the paper")))
    check = check_anchors(graph, ks_settings.seeds_dir)
    assert [m[0] for m in check.missing] == [str(evidence)]


def test_validate_without_seeds_reports_anchors_unchecked(ks_graph) -> None:
    check = check_anchors(ks_graph, None)
    assert not check.seeds_available and check.checked == 0 and check.skipped > 0


def test_validate_conflicts_list_both_claims(ks_graph) -> None:
    (conflict,) = list_conflicts(ks_graph)
    assert conflict.about.endswith("policy/example-notice")
    assert sorted(c.value for c in conflict.claims) == ["2020-03", "2020-05-01"]


def test_validate_reports_dangling_references(ks_graph, shapes, ks_settings) -> None:
    from kg.model.vocab import SEIKG
    graph = Graph()
    for triple in ks_graph:
        graph.add(triple)
    ghost = URIRef("https://w3id.org/seikg/id/policy/never-defined")
    graph.add((URIRef("https://w3id.org/seikg/id/mechanism/shared-fund"), SEIKG.guidedBy, ghost))
    report = validate_graph(graph, shapes, seeds_dir=ks_settings.seeds_dir)
    assert [d[2] for d in report.dangling] == [str(ghost)]
    assert not report.conforms


def test_validate_real_data_has_no_dangling_references(real_report) -> None:
    assert real_report.dangling == ()

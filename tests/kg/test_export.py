"""Tests of kg.build.export: every format round-trips to an isomorphic graph."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg import FORMATS, LoadError, parse_export, serialize_dataset, union_graph, write_atomically


@pytest.mark.parametrize("fmt", [f if f == "turtle" else pytest.param(f, marks=pytest.mark.slow) for f in sorted(FORMATS)])
def test_export_round_trip_is_isomorphic(fmt: str, built, tmp_path: Path) -> None:
    path = tmp_path / f"graph{FORMATS[fmt][1]}"
    path.write_bytes(serialize_dataset(built.dataset, fmt))
    back = parse_export(path)
    if FORMATS[fmt][2]:  # quad formats keep each named graph
        for graph in built.dataset.graphs():
            if len(graph):
                assert isomorphic(graph, back.graph(graph.identifier)), f"{fmt}: {graph.identifier} differs"
    assert isomorphic(union_graph(built.dataset), union_graph(back))


def test_export_nquads_are_sorted_and_stable(ks_built) -> None:
    first = serialize_dataset(ks_built.dataset, "nquads")
    lines = first.decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert first == serialize_dataset(ks_built.dataset, "nquads")


def test_export_unknown_format_is_an_error(ks_built) -> None:
    from kg import SeikgError
    with pytest.raises(SeikgError, match="unknown format"):
        serialize_dataset(ks_built.dataset, "rdfa")


def test_export_parse_reports_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(LoadError, match="broken.ttl"):
        parse_export(broken)
    with pytest.raises(LoadError, match="unknown file suffix"):
        parse_export(tmp_path / "graph.xyz")


def test_export_write_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.nq"
    write_atomically(target, b"first\n")
    write_atomically(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert [p.name for p in target.parent.iterdir()] == ["graph.nq"]


def test_issue_5_nquads_export_keeps_literals_with_unicode_line_separators(tmp_path) -> None:
    from rdflib import Dataset, Literal, URIRef
    from rdflib.compare import isomorphic

    from kg.build.export import parse_export, serialize_dataset
    dataset = Dataset()
    graph = dataset.graph(URIRef("https://w3id.org/seikg/graph/data"))
    for i, text in enumerate(["a\u2028b", "c\u2029d", "e\x85f", "g\x0bh\x0ci\x1cj"]):
        graph.add((URIRef(f"https://w3id.org/seikg/id/x/{i}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                   Literal(text)))
    (tmp_path / "x.nq").write_bytes(serialize_dataset(dataset, "nquads"))
    back = parse_export(tmp_path / "x.nq")
    assert isomorphic(back.graph(URIRef("https://w3id.org/seikg/graph/data")), graph)

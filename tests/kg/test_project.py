"""The RDF -> NetworkX bridge: allow-list, node attributes, parallel edges, evidence, named projections."""
from __future__ import annotations

import networkx as nx
import pytest
from rdflib import RDF, Graph, URIRef

from kg.errors import InvalidArgument, StoreUnavailable
from kg.projection import EDGE_PREDICATES, PROJECTIONS, SEIKG, Lit, project_file, project_graph, project_triples

from tests.kg.analyses.conftest import TOY, iri


def test_project_nodes_carry_iri_kind_class_label_and_date(toy) -> None:
    node = toy.entity.nodes[iri("policy", "pol1")]
    assert node["iri"] == iri("policy", "pol1")
    assert node["kind"] == "policy" and node["class"] == SEIKG + "PolicyDocument"
    assert node["types"] == (SEIKG + "Notice",)
    assert node["label"] == "pol1" and node["date"] == "2019-04"
    assert toy.entity.nodes[iri("policy", "pol4")]["date"] is None


def test_project_literals_and_type_objects_never_become_nodes(toy) -> None:
    for node in toy.entity:
        assert node.startswith("https://w3id.org/seikg/id/"), node
    assert SEIKG + "PolicyDocument" not in toy.entity
    assert "p1" not in toy.entity  # a label


def test_project_uses_only_the_allow_list(toy) -> None:
    assert {key for _, _, key in toy.entity.edges(keys=True)} <= set(EDGE_PREDICATES.values())
    assert not any(key == "inSource" for _, _, key in toy.entity.edges(keys=True))


def test_project_keeps_parallel_links_with_different_predicates() -> None:
    a, b = iri("mechanism", "a"), iri("mechanism", "b")
    triples = [(a, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", SEIKG + "Mechanism"),
               (b, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", SEIKG + "Mechanism"),
               (a, "http://www.w3.org/2004/02/skos/core#broader", b),
               (a, SEIKG + "hasCause", b)]  # not a sensible link, but two predicates between one pair
    graph = project_triples(triples).entity
    assert isinstance(graph, nx.MultiDiGraph)
    assert sorted(k for _, _, k in graph.edges(a, keys=True)) == ["broader", "hasCause"]


def test_project_keeps_unlinked_entities(toy) -> None:
    assert iri("problem", "p6") in toy.entity
    assert iri("region", "z") in toy.region_hierarchy


def test_project_attaches_evidence_to_edges(toy) -> None:
    evidence = toy.evidence(iri("region", "y"), "facesProblem", iri("problem", "p4"))
    assert [(e.source_label, e.section, e.anchor, e.support) for e in evidence] == [
        ("s1", "2.2", "Y faces p4", "implied"), ("s2", "1", "p4 in Y", "stated")]
    assert toy.evidence(iri("region", "x"), "facesProblem", iri("problem", "p3")) == ()


def test_project_named_projections(toy) -> None:
    assert set(PROJECTIONS) == {"entity", "co-issuance", "policy-mechanism", "mechanism-problem", "region-hierarchy"}
    co = toy.get("co-issuance")
    assert co[iri("actor", "a1")][iri("actor", "a2")]["weight"] == 2
    assert co[iri("actor", "a2")][iri("actor", "a3")]["weight"] == 1
    assert co.number_of_edges() == 2 and co.number_of_nodes() == 4
    pm = toy.get("policy-mechanism")
    assert nx.is_bipartite(pm) and pm.has_edge(iri("policy", "pol4"), iri("mechanism", "m4"))
    mp = toy.get("mechanism-problem")
    assert sorted(mp[iri("mechanism", "m3")]) == [iri("problem", "p3"), iri("problem", "p4")]
    hierarchy = toy.get("region-hierarchy")
    assert isinstance(hierarchy, nx.DiGraph) and hierarchy.has_edge(iri("region", "d"), iri("region", "x"))
    with pytest.raises(InvalidArgument, match="projection"):
        toy.get("nonsense")


def test_project_rdflib_and_file_paths_agree(toy) -> None:
    graph = Graph().parse(TOY)
    via_rdflib = project_graph(graph, version="toy")
    assert nx.utils.graphs_equal(via_rdflib.entity, toy.entity)
    assert nx.utils.graphs_equal(via_rdflib.co_issuance, toy.co_issuance)


def test_project_earliest_of_two_dates() -> None:
    policy = iri("policy", "twice")
    graph = project_triples([(policy, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", SEIKG + "PolicyDocument"),
                             (policy, "http://purl.org/dc/terms/issued", Lit("2025-04")),
                             (policy, "http://purl.org/dc/terms/issued", Lit("2025-01-19"))]).entity
    assert graph.nodes[policy]["date"] == "2025-01-19"
    assert graph.nodes[policy]["dates"] == ("2025-01-19", "2025-04")


def test_project_bad_file_names_the_file(tmp_path) -> None:
    bad = tmp_path / "broken.nq"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(StoreUnavailable, match="broken.nq"):
        project_file(bad)
    with pytest.raises(InvalidArgument, match="unknown RDF format"):
        project_file(tmp_path / "graph.xyz")


def test_project_real_data_every_entity_is_a_node(real_graph) -> None:
    projections = project_graph(real_graph)
    kinds = nx.get_node_attributes(projections.entity, "kind")
    for kind, cls in (("mechanism", URIRef(SEIKG + "Mechanism")), ("region", URIRef(SEIKG + "Region"))):
        typed = set(real_graph.subjects(RDF.type, cls))
        assert sum(1 for k in kinds.values() if k == kind) == len(typed) > 30
    assert all(k is not None for k in kinds.values())  # no link points outside the typed entities

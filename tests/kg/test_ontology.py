"""Meta-tests of the ontology: the public contract, labels and comments, alignments, vocab sync."""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SH, SKOS

from kg.build.ontology import ONTOLOGY_NS, load_ontology, ontology_terms, render_vocab_module
from kg.model.kinds import KINDS
from kg.model.vocab import ELI, SEIKG

from tests.conftest import ROOT

CONTRACT_CLASSES = ["PolicyDocument", "Actor", "Mechanism", "Problem", "Region", "Source"]
CONTRACT_PROPERTIES = ["issuedBy", "establishesMechanism", "appliesToRegion", "proposesMechanism",
                       "identifiesProblem", "addressesProblem", "involvesActor", "implementsMechanism",
                       "locatedIn", "partOfRegion", "facesProblem"]
CONTRACT_EXTERNAL = [RDFS.label, DCTERMS.issued, DCTERMS.identifier, SKOS.broader, ORG.subOrganizationOf]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology")


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_ontology_declares_contract_class(ontology: Graph, name: str) -> None:
    term = URIRef(ONTOLOGY_NS + name)
    assert (term, RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", CONTRACT_PROPERTIES)
def test_ontology_declares_contract_property_with_domain_and_range(ontology: Graph, name: str) -> None:
    term = URIRef(ONTOLOGY_NS + name)
    assert (term, RDF.type, OWL.ObjectProperty) in ontology
    assert ontology.value(term, RDFS.domain) is not None, f"{name} has no rdfs:domain"
    assert ontology.value(term, RDFS.range) is not None, f"{name} has no rdfs:range"


def test_ontology_part_of_region_is_transitive(ontology: Graph) -> None:
    assert (SEIKG.partOfRegion, RDF.type, OWL.TransitiveProperty) in ontology


@pytest.mark.parametrize("plural", [plural for plural, kind in KINDS.items() if kind.types])
def test_ontology_declares_exactly_the_types_the_registry_gives_a_kind(ontology: Graph, plural: str) -> None:
    """The registry's ``types`` of a kind (genres, actor kinds, region levels) are the direct subclasses the
    ontology declares for its class, no more and no fewer: the build, ingest and pages read them from there."""
    kind = KINDS[plural]
    declared = {str(c).removeprefix(ONTOLOGY_NS) for c in ontology.subjects(RDFS.subClassOf, URIRef(kind.rdf_class))
                if str(c).startswith(ONTOLOGY_NS)}
    assert declared == set(kind.types)


def test_ontology_aligns_with_standard_vocabularies(ontology: Graph) -> None:
    assert (SEIKG.PolicyDocument, RDFS.subClassOf, ELI.LegalResource) in ontology
    assert (SEIKG.issuedBy, RDFS.subPropertyOf, ELI.passed_by) in ontology
    assert (SEIKG.appliesToRegion, RDFS.subPropertyOf, ELI.relevant_for) in ontology
    assert (SEIKG.Mechanism, RDFS.subClassOf, SKOS.Concept) in ontology
    assert (SEIKG.partOfRegion, RDFS.subPropertyOf, DCTERMS.isPartOf) in ontology
    assert any(o for o in ontology.objects(SEIKG.Actor, RDFS.subClassOf) if "prov" in str(o))


def test_ontology_every_term_has_label_and_comment(ontology: Graph) -> None:
    for name in ontology_terms(ontology):
        term = URIRef(ONTOLOGY_NS + name)
        labels = [l for l in ontology.objects(term, RDFS.label) if getattr(l, "language", None) == "en"]
        assert len(labels) == 1, f"{name}: needs exactly one English rdfs:label"
        assert ontology.value(term, RDFS.comment) is not None, f"{name}: needs an rdfs:comment"


def test_ontology_object_properties_have_ranges(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        assert ontology.value(prop, RDFS.range) is not None or ontology.value(prop, RDFS.domain) is not None, prop


def test_issue_2_every_contract_term_is_used_by_the_data(real_graph) -> None:
    for name in CONTRACT_PROPERTIES:
        assert next(real_graph.triples((None, URIRef(ONTOLOGY_NS + name), None)), None), f"{name} unused"
    for term in CONTRACT_EXTERNAL:
        assert next(real_graph.triples((None, term, None)), None), f"{term} unused"
    for name in CONTRACT_CLASSES:
        assert next(real_graph.subjects(RDF.type, URIRef(ONTOLOGY_NS + name)), None), f"no {name}"


def test_ontology_vocab_module_is_in_sync(ontology: Graph) -> None:
    assert (ROOT / "kg" / "model" / "vocab.py").read_text(encoding="utf-8") == render_vocab_module(ontology), \
        "kg/model/vocab.py is out of date: run `seikg generate`"


def test_ontology_every_shape_constraint_has_a_message(shapes: Graph) -> None:
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        constraints = list(shapes.objects(shape, SH.property)) + list(shapes.objects(shape, SH.sparql))
        if shapes.value(shape, SH.message) is not None:
            continue
        assert constraints, f"{shape} has no constraint and no sh:message"
        for constraint in constraints:
            assert shapes.value(constraint, SH.message) is not None, f"a constraint of {shape} lacks sh:message"


def test_ontology_every_entity_has_one_english_label(real_graph) -> None:
    for cls in CONTRACT_CLASSES:
        for entity in set(real_graph.subjects(RDF.type, URIRef(ONTOLOGY_NS + cls))):
            english = [l for l in real_graph.objects(entity, RDFS.label) if l.language == "en"]
            assert len(english) == 1, entity

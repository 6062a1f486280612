"""Cross-source links: a mechanism of one paper linked to a problem that only other papers identify.

Such a link joins claims of different papers (the citing paper does not itself name the problem), so its
evidence is marked ``seikg:crossSource true``; a query can keep or drop these links, e.g.
``FILTER NOT EXISTS { ?e rdf:subject ?m ; rdf:object ?p ; seikg:crossSource true }``.
"""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from kg.model.vocab import SEIKG

__all__ = ["mark_cross_source_links"]


def mark_cross_source_links(graph: Graph) -> int:
    """Mark the evidence of each ``addressesProblem`` link whose source does not identify the problem;
    returns how many were marked."""
    marked = 0
    for evidence in list(graph.subjects(RDF.predicate, SEIKG.addressesProblem)):
        problem, source = graph.value(evidence, RDF.object), graph.value(evidence, SEIKG.inSource)
        if problem is None or source is None:
            continue
        if (source, SEIKG.identifiesProblem, problem) not in graph:
            graph.add((evidence, SEIKG.crossSource, Literal(True)))
            marked += 1
    return marked

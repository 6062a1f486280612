"""The ontology and shapes files: loading them, listing their terms, generating ``kg/model/vocab.py``."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import LoadError

__all__ = ["ONTOLOGY_NS", "load_ontology", "load_shapes", "ontology_terms", "render_data_model",
           "render_vocab_module"]

ONTOLOGY_NS = "https://w3id.org/seikg/ontology#"
_DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


def _parse_turtle(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise LoadError.single(path, "file not found") from exc
    except Exception as exc:  # rdflib raises many parser types; report them all as bad input
        raise LoadError.single(path, f"invalid Turtle: {exc}") from exc
    return graph


def load_ontology(ontology_dir: Path) -> Graph:
    """Parse ``ontology_dir/seikg.ttl``.

    Raises
    ------
    kg.errors.LoadError
        If the file is missing or is not valid Turtle.
    """
    return _parse_turtle(ontology_dir / "seikg.ttl")


def load_shapes(ontology_dir: Path) -> Graph:
    """Parse ``ontology_dir/shapes.ttl``.

    Raises
    ------
    kg.errors.LoadError
        If the file is missing or is not valid Turtle.
    """
    return _parse_turtle(ontology_dir / "shapes.ttl")


def ontology_terms(graph: Graph) -> list[str]:
    """Local names of every term the ontology declares in the seikg namespace, sorted.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... <https://w3id.org/seikg/ontology#Mechanism> a owl:Class .''', format="turtle")
    >>> ontology_terms(g)
    ['Mechanism']
    """
    names: set[str] = set()
    for subject in graph.subjects(RDF.type, None):
        if isinstance(subject, URIRef) and str(subject).startswith(ONTOLOGY_NS):
            types = set(graph.objects(subject, RDF.type))
            if types & set(_DECLARATIONS) or any(
                    str(t).startswith(ONTOLOGY_NS) for t in types):
                names.add(str(subject)[len(ONTOLOGY_NS):])
    return sorted(names)


def render_vocab_module(graph: Graph) -> str:
    """The text of ``kg/model/vocab.py`` for this ontology (``seikg generate`` writes it)."""
    terms = ontology_terms(graph)
    lines = [
        '"""Namespaces and the closed seikg vocabulary. Generated from ontology/seikg.ttl by',
        '``seikg generate``; do not edit by hand (a test keeps the two in sync)."""',
        "from rdflib import Namespace, URIRef",
        "from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace",
        "",
        '__all__ = ["DCTERMS", "ELI", "ORG", "OWL", "PROV", "RDF", "RDFS", "SEIKG", "SKOS", "XSD"]',
        "",
        'ELI = Namespace("http://data.europa.eu/eli/ontology#")',
        "",
        "",
        "class SEIKG(DefinedNamespace):",
        '    """Every term of the seikg ontology; an unknown name raises AttributeError."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{ONTOLOGY_NS}")',
        "",
    ]
    lines += [f"    {term}: URIRef" for term in terms]
    return "\n".join(lines) + "\n"


def _english(graph: Graph, term: URIRef, predicate: URIRef) -> str:
    for value in graph.objects(term, predicate):
        if getattr(value, "language", None) in ("en", None):
            return " ".join(str(value).split())
    return ""


def _short(graph: Graph, term: object) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)  # type: ignore[arg-type]
    except Exception:  # an IRI with no known prefix
        return f"<{term}>"


def render_data_model(graph: Graph) -> str:
    """The text of ``docs/data-model.md``: every class and property with its label and comment.

    Generated from the ontology by ``seikg generate``; a test keeps the file in sync.
    """
    lines = ["# Data model", "",
             "Generated from `ontology/seikg.ttl` by `seikg generate`; do not edit by hand.", "",
             f"Namespace: `seikg: <{ONTOLOGY_NS}>`", ""]
    sections = (("Classes", (OWL.Class,)), ("Object properties", (OWL.ObjectProperty,)),
                ("Datatype properties", (OWL.DatatypeProperty,)))
    for title, types in sections:
        lines += [f"## {title}", "", "| term | label | meaning | domain | range | aligned with |",
                  "|---|---|---|---|---|---|"]
        terms = sorted(t for kind in types for t in graph.subjects(RDF.type, kind)
                       if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY_NS))
        for term in terms:
            aligned = sorted(_short(graph, o) for p in (RDFS.subClassOf, RDFS.subPropertyOf)
                             for o in graph.objects(term, p))
            cells = [f"`{_short(graph, term)}`", _english(graph, term, RDFS.label),
                     _english(graph, term, RDFS.comment),
                     ", ".join(f"`{_short(graph, d)}`" for d in sorted(graph.objects(term, RDFS.domain))),
                     ", ".join(f"`{_short(graph, r)}`" for r in sorted(graph.objects(term, RDFS.range))),
                     ", ".join(f"`{a}`" for a in aligned)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)

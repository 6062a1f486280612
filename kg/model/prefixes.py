"""The prefixes every query may use without declaring them, as Wikidata's and Fuseki's services predeclare theirs.

The ontology's own namespaces (a test keeps them in step with ``ontology/seikg.ttl``) and the vocabularies of
the service's own descriptions (SHACL, VoID, SPARQL service description, DCAT). ``/sparql``, ``/views/query``
and ``seikg query`` read them from here; the service description and the editor list them. A query's own
``PREFIX`` line for the same name wins.
"""
from __future__ import annotations

__all__ = ["PREDECLARED_PREFIXES"]

#: name -> namespace IRI, in the order the service description and the editor list them
PREDECLARED_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "seikg": "https://w3id.org/seikg/ontology#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "dcat": "http://www.w3.org/ns/dcat#",
}

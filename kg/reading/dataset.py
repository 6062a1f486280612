"""The dataset described for machines: the SPARQL service description and the VoID description.

The service description (``GET /sparql`` without a query) names the endpoint, its languages, result formats
and features, the predeclared prefixes (as SHACL prefix declarations, ``sh:declare``), and its default
dataset: the default graph (the union of the named graphs) and every named graph with its size. The VoID
description (``/void``, linked from it) says what the graph is: its title, licence, version, statistics,
class and property partitions, its named graphs as subsets, example resources, the SPARQL endpoint and the
dumps of ``/downloads``. Both are computed once per graph version.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, VOID, XSD

from kg.model.formats import formats_holding
from kg.errors import NotFoundError
from kg.model.iris import entity_iri, graph_iri
from kg.model.kinds import KINDS
from kg.model.prefixes import PREDECLARED_PREFIXES
from kg.runtime import QueryService

__all__ = ["LICENCE", "TITLE", "describe_dataset", "describe_service", "graph_rdf", "graph_sizes"]

SD = "http://www.w3.org/ns/sparql-service-description#"
#: the licence of the curated data (data/README.md)
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "seikg: a knowledge graph of China's science-education-industry integration policies"
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
                "rdfxml": "RDF_XML"}


def graph_sizes(service: QueryService) -> dict[str, int]:
    """Triples per named graph of the store, read once per graph version.

    Raises
    ------
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    return service.remember("dataset:graph-sizes", lambda: {
        row["graph"]["value"]: int(row["triples"]["value"]) for row in service.select("graph_sizes", _graphs(service))})


def _graphs(service: QueryService) -> list[dict[str, tuple[str, str] | None]]:
    """The store's own graphs as bindings of ``?graph`` (a remote store's system graphs are not ours)."""
    return [{"graph": ("iri", iri)} for iri in service.status()["store"]["graphs"]]


def describe_service(service: QueryService, endpoint: str, *, void_url: str) -> Graph:
    """The SPARQL 1.1 service description of the endpoint at ``endpoint``.

    Raises
    ------
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them (the graph sizes are read from the store).
    """
    sd = lambda name: URIRef(SD + name)  # noqa: E731 - a namespace in one line
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("sh", SH)
    me = URIRef(endpoint + "#service")
    graph.add((me, RDF.type, sd("Service")))
    graph.add((me, sd("endpoint"), URIRef(endpoint)))
    graph.add((me, sd("supportedLanguage"), sd("SPARQL11Query")))
    for fmt in formats_holding("results", "graph"):
        if fmt.name in _FORMAT_IRIS:
            graph.add((me, sd("resultFormat"), URIRef(f"http://www.w3.org/ns/formats/{_FORMAT_IRIS[fmt.name]}")))
    graph.add((me, sd("feature"), sd("UnionDefaultGraph")))
    graph.add((me, RDFS.comment, Literal(
        "Read-only. The default graph is the union of the named graphs. No SERVICE and no updates; FROM and "
        "the protocol's dataset IRIs name the store's graphs, and any other http(s) IRI is an empty graph "
        "(nothing is fetched). The prefixes declared here need no PREFIX line.", lang="en")))
    for name, namespace in PREDECLARED_PREFIXES.items():
        declaration = BNode(f"prefix-{name}")
        graph.add((me, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(name)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    sizes = graph_sizes(service)
    dataset, default = BNode("default-dataset"), BNode("default-graph")
    graph.add((me, sd("defaultDataset"), dataset))
    graph.add((dataset, RDF.type, sd("Dataset")))
    graph.add((dataset, RDFS.seeAlso, URIRef(void_url)))
    graph.add((dataset, sd("defaultGraph"), default))
    graph.add((default, RDF.type, sd("Graph")))
    graph.add((default, RDFS.comment, Literal("the union of the named graphs", lang="en")))
    graph.add((default, VOID.triples, Literal(_statistics(service)["triples"])))
    for index, (iri, triples) in enumerate(sorted(sizes.items())):
        named, inner = BNode(f"named-{index}"), BNode(f"graph-{index}")
        graph.add((dataset, sd("namedGraph"), named))
        graph.add((named, RDF.type, sd("NamedGraph")))
        graph.add((named, sd("name"), URIRef(iri)))
        graph.add((named, sd("graph"), inner))
        graph.add((inner, RDF.type, sd("Graph")))
        graph.add((inner, VOID.triples, Literal(triples)))
    return graph


def _statistics(service: QueryService) -> dict[str, int]:
    def read() -> dict[str, int]:
        row = service.select("dataset_statistics", _graphs(service))[0]
        return {name: int(row[name]["value"]) for name in ("triples", "subjects", "objects", "properties")}
    return service.remember("dataset:statistics", read)


def describe_dataset(service: QueryService, *, void_url: str, endpoint: str, dumps: Iterable[str],
                     version: str) -> Graph:
    """The VoID description of the graph being served, at ``void_url``; ``dumps`` are the download URLs.

    Raises
    ------
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    def read() -> list[tuple[str, list[dict]]]:
        return [(name, service.select(name, _graphs(service))) for name in ("class_partition", "property_partition")]
    classes, properties = (rows for _, rows in service.remember("dataset:partitions", read))
    base = service.settings.base_iri
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    graph.bind("sd", SD)
    me = URIRef(void_url + "#dataset")
    graph.add((me, RDF.type, VOID.Dataset))
    graph.add((me, DCTERMS.title, Literal(TITLE, lang="en")))
    graph.add((me, DCTERMS.description, Literal(
        "Policy documents, their issuers and dates, actors, mechanisms, problems, regions, cases and national "
        "strategies, curated from the papers among its sources; every link cites its source, section and a verbatim anchor.",
        lang="en")))
    graph.add((me, DCTERMS.license, URIRef(LICENCE)))
    graph.add((me, DCTERMS.hasVersion, Literal(version)))
    graph.add((me, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((me, VOID.uriSpace, Literal(base + "id/")))
    graph.add((me, VOID.vocabulary, URIRef(PREDECLARED_PREFIXES["seikg"])))
    for url in dumps:
        graph.add((me, VOID.dataDump, URIRef(url)))
    for plural, kind in KINDS.items():
        graph.add((me, VOID.exampleResource, URIRef(entity_iri(base, kind.slug, kind.example_id))))
    statistics = _statistics(service)
    for name, term in (("triples", VOID.triples), ("subjects", VOID.distinctSubjects),
                       ("objects", VOID.distinctObjects), ("properties", VOID.properties)):
        graph.add((me, term, Literal(statistics[name])))
    graph.add((me, VOID.classes, Literal(len(classes))))
    for index, row in enumerate(classes):
        part = BNode(f"class-{index}")
        graph.add((me, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(row["class"]["value"])))
        graph.add((part, VOID.entities, Literal(int(row["entities"]["value"]))))
    for index, row in enumerate(properties):
        part = BNode(f"property-{index}")
        graph.add((me, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(row["property"]["value"])))
        graph.add((part, VOID.triples, Literal(int(row["triples"]["value"]))))
    for index, (iri, triples) in enumerate(sorted(graph_sizes(service).items())):
        subset = URIRef(f"{void_url}#graph-{index}")
        graph.add((me, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, URIRef(SD + "name"), URIRef(iri)))
        graph.add((subset, VOID.triples, Literal(triples)))
    return graph


def graph_rdf(service: QueryService, name: str, fmt: str) -> tuple[str, bytes]:
    """The named graph ``<base>graph/<name>`` (``data``, ``ontology``, ``analysis``) of the store as RDF in ``fmt``:
    what the graph's IRI (and, for ``ontology``, every ontology term's) resolves to.

    Raises
    ------
    kg.errors.NotFoundError
        If the store has no graph of that name.
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    iri, sizes = graph_iri(service.settings.base_iri, name), graph_sizes(service)
    if iri not in sizes:
        known = ", ".join(sorted(g.rsplit("/", 1)[-1] for g in sizes))
        raise NotFoundError(f"no graph {name!r}; the store's graphs: {known}")
    answer = service.construct("graph_triples", {"graph": ("iri", iri)}, fmt)
    return answer.media_type, answer.body

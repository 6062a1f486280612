"""/downloads, its files and checksums, the VoID description and the service description (issue 17)."""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, VOID

from kg.build.export import parse_export

SD = "http://www.w3.org/ns/sparql-service-description#"


def test_issue_17_every_download_is_served_with_a_checksum_that_matches(client) -> None:
    listing = client.get("/api/downloads").json()
    names = {f["name"] for f in listing["files"]}
    assert {"seikg.nq", "seikg.trig", "seikg.ttl", "seikg.jsonld", "policies.csv", "policies.json"} <= names
    assert listing["version"] == client.get("/status").json()["store"]["version"] and "by/4.0" in listing["licence"]
    for entry in listing["files"]:
        body = client.get(f"/downloads/{entry['name']}").content
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] and len(body) == entry["bytes"], entry["name"]
    again = client.get("/downloads/seikg.nq", headers={"if-none-match": f'"{listing["files"][0]["sha256"]}"'})
    assert again.status_code == 304
    assert client.get("/downloads/nothing.nq").status_code == 404
    assert client.get("/downloads", headers={"accept": "text/html"}).status_code == 200


def _graphs(path: Path) -> dict[str, Graph]:
    """The named graphs of an N-Quads file, each as a Graph (read by the export reader the CLI uses)."""
    graphs: dict[str, Graph] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's quad plugins call its deprecated API
        for s, p, o, g in parse_export(path, "nquads").quads((None, None, None, None)):
            graphs.setdefault(str(getattr(g, "identifier", g)), Graph()).add((s, p, o))
    return graphs


def test_issue_17_the_nquads_dump_reloads_into_the_same_graphs(client, ks_service, tmp_path: Path) -> None:
    dump = tmp_path / "seikg.nq"
    dump.write_bytes(client.get("/downloads/seikg.nq").content)
    with ks_service.graph_file() as path:
        served = _graphs(path)
    dumped = _graphs(dump)
    assert set(dumped) == set(served) and len(served) >= 2
    for name, graph in served.items():
        assert isomorphic(dumped[name], graph), name


def test_issue_17_void_describes_the_dataset_its_dumps_and_its_endpoint(client) -> None:
    void = Graph().parse(data=client.get("/void", headers={"accept": "text/turtle"}).text, format="turtle")
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    assert int(void.value(dataset, VOID.triples)) > 0 and void.value(dataset, DCTERMS.license) is not None
    dumps = {str(o) for o in void.objects(dataset, VOID.dataDump)}
    assert any(d.endswith("/downloads/seikg.nq") for d in dumps)
    assert str(void.value(dataset, VOID.sparqlEndpoint)).endswith("/sparql")
    assert set(void.objects(dataset, VOID.exampleResource)) and set(void.objects(dataset, VOID.classPartition))
    assert client.get("/.well-known/void", headers={"accept": "text/turtle"}).text == \
        client.get("/void", headers={"accept": "text/turtle"}).text


def test_issue_17_the_service_description_lists_its_graphs_sizes_prefixes_and_void(client) -> None:
    sd = Graph().parse(data=client.get("/sparql", headers={"accept": "text/turtle"}).text, format="turtle")
    dataset = next(sd.objects(None, URIRef(SD + "defaultDataset")))
    named = {str(sd.value(n, URIRef(SD + "name"))): int(sd.value(sd.value(n, URIRef(SD + "graph")), VOID.triples))
             for n in sd.objects(dataset, URIRef(SD + "namedGraph"))}
    assert set(named) == set(client.get("/status").json()["store"]["graphs"]) and all(named.values())
    assert sd.value(dataset, URIRef(SD + "defaultGraph")) is not None
    assert str(next(sd.objects(dataset, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")))).endswith("/void")
    prefixes = {str(p) for p in sd.objects(None, URIRef("http://www.w3.org/ns/shacl#prefix"))}
    assert {"rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "prov", "org", "eli", "seikg"} <= prefixes


def test_issue_17_the_dump_holds_every_literal_as_the_endpoint_answers_it(client, ks_service, tmp_path: Path) -> None:
    """The endpoint's Oxigraph writes decimals canonically ("0", not "0.0"): the dump is the same graph."""
    from kg.runtime import CANNED_ROW_CAP
    from kg.sparql.screen import own_query
    answer = ks_service.execute(own_query("CONSTRUCT WHERE { ?s ?p ?o }"), "ntriples", row_cap=CANNED_ROW_CAP,
                                canned=True)
    served = Graph().parse(data=answer.body, format="nt")
    dump = tmp_path / "seikg.nq"
    dump.write_bytes(client.get("/downloads/seikg.nq").content)
    union = Graph()
    for graph in _graphs(dump).values():
        union += graph
    assert isomorphic(union, served)


def test_issue_17_graph_names_and_ontology_terms_resolve(client) -> None:
    for path in ("/graph/data", "/graph/ontology", "/ontology"):
        answer = client.get(path, headers={"accept": "text/turtle"})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle"), path
        assert len(Graph().parse(data=answer.text, format="turtle")) > 10, path
    ontology = Graph().parse(data=client.get("/ontology", headers={"accept": "text/turtle"}).text, format="turtle")
    assert (URIRef("https://w3id.org/seikg/ontology#PolicyDocument"), RDF.type, None) in ontology
    missing = client.get("/graph/nothing")
    assert missing.status_code == 404 and "data" in missing.json()["error"]["message"]

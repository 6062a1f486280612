"""Linked Data and HTML pages: every minted IRI resolves; a page and its JSON twin agree."""
from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("path", [
    "/id/policy/example-notice", "/id/actor/example-ministry", "/id/mechanism/shared-fund",
    "/id/problem/low-enthusiasm", "/id/region/example-city", "/id/source/ks-paper",
    "/id/case/example-university-platform", "/id/framework/ks-framework", "/id/unit/percent",
    "/id/conflict/example-notice-date", "/id/quantity/shared-fund-1",
])
def test_pages_every_minted_iri_resolves_as_html_and_rdf(client, path: str) -> None:
    html = client.get(path, headers={"accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    turtle = client.get(path, headers={"accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert "https://w3id.org/seikg/id" in turtle.text


def test_pages_every_evidence_iri_resolves(client, ks_graph) -> None:
    from kg.model.vocab import SEIKG
    from rdflib.namespace import RDF
    evidence = sorted(str(e) for e in ks_graph.subjects(RDF.type, SEIKG.Evidence))[:5]
    for iri in evidence:
        path = iri.replace("https://w3id.org/seikg/", "/")
        assert client.get(path, headers={"accept": "application/ld+json"}).status_code == 200


def test_pages_entity_page_shows_links_with_evidence_and_twins(client) -> None:
    page = client.get("/policies/example-notice").text
    assert "Example Notice on Joint Platforms" in page and "示例通知" in page
    assert "In March of the same year" in page and "resolved" in page
    assert 'href="/api/policies/example-notice"' in page
    assert 'href="/id/actor/example-ministry"' in page
    assert "?format=turtle" in page and "/sparql?query=" in page


def test_pages_page_and_json_twin_agree(client) -> None:
    page = client.get("/policies/example-notice").text
    twin = client.get("/api/policies/example-notice").json()
    for links in twin["links"].values():
        for link in links:
            assert link["label"] in page
            for evidence in link["evidence"]:
                assert evidence["anchor"].replace('"', "&#34;") in page or evidence["anchor"] in page


def test_pages_json_by_accept_matches_the_api(client) -> None:
    by_accept = client.get("/id/policy/example-notice", headers={"accept": "application/json"}).json()
    assert by_accept == client.get("/api/policies/example-notice").json()


def test_pages_ready_sparql_query_runs(client) -> None:
    page = client.get("/policies/example-notice").text
    href = re.search(r'href="(/sparql\?query=[^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(href, headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) >= 5


def test_pages_home_and_its_json_twin(client) -> None:
    counts = client.get("/api").json()
    assert counts["policies"] == 2
    home = client.get("/").text
    assert "/api/policies" in home and "<td>2</td>" in home


def test_pages_unknown_entity_is_404_json(client) -> None:
    response = client.get("/id/region/nowhere", headers={"accept": "text/html"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"

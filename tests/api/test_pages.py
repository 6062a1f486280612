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
    assert "?format=turtle" in page and "/sparql#query=" in page  # opens the editor; the server runs nothing


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
    from urllib.parse import unquote

    query = unquote(re.search(r'href="/sparql#query=([^"]+)"', page).group(1))  # the editor's fragment
    response = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) >= 5


def test_pages_home_and_its_json_twin(client) -> None:
    counts = client.get("/api").json()
    assert counts["policies"] == 2
    home = client.get("/").text
    assert "/api/policies" in home and "<td>2</td>" in home


_BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/id/region/nowhere", "/regions/nowhere", "/no/such/page"])
def test_issue_16_an_unknown_id_is_an_html_404_with_search_for_browsers(client, path: str) -> None:
    page = client.get(path, headers=_BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'action="/search"' in page.text and 'value="nowhere"' in page.text or "/no/such" in path
    for accept in ("application/json", "*/*", None):  # API clients keep the one JSON shape
        response = client.get(path, headers={"accept": accept} if accept else {})
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_issue_16_a_bad_filter_value_in_a_browser_names_it_and_offers_the_valid_ones(client) -> None:
    page = client.get("/policies", params={"sort": "sideways"}, headers=_BROWSER)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "sort" in page.text and "sideways" in page.text
    assert {"label", "date", "-date"} <= set(re.findall(r'sort=([-a-z]+)"', page.text))
    named = client.get("/views/overview", params={"issuer": "Ministry of Education"}, headers=_BROWSER)
    assert named.status_code == 422 and "/search?q=Ministry%20of%20Education" in named.text
    assert client.get("/api/policies", params={"sort": "sideways"}, headers=_BROWSER).json()["error"]["parameters"][0][
        "expected"] == ["label", "date", "-date"]


def test_issue_16_search_ranks_an_exact_name_first_and_matches_stems_and_chinese(client) -> None:
    hits = client.get("/api/search", params={"q": "example ministry"}).json()
    assert hits[0]["id"] == "example-ministry" and hits[0]["match"] == "exact"
    assert "example-general-office" in [h["id"] for h in hits]
    assert [h["id"] for h in client.get("/api/search", params={"q": "pilot plans"}).json()] == ["example-pilot-plan"]
    zh = client.get("/api/search", params={"q": "示例"}).json()
    assert zh[0]["id"] == "example-notice" and zh[0]["matched_name"] == "示例通知"
    alt = client.get("/api/search", params={"q": "the notice"}).json()
    assert alt[0]["id"] == "example-notice" and alt[0]["matched_name"] == "the notice"
    assert client.get("/api/search", params={"q": "ministry", "kind": "policies"}).json() == []
    page = client.get("/search", params={"q": "example ministry"}, headers=_BROWSER)
    assert page.status_code == 200 and page.text.index("/actors/example-ministry") < page.text.index(
        "/actors/example-general-office")


def test_issue_16_a_kind_is_browsed_with_facets_and_exactly_that_view_as_csv(client) -> None:
    listing = client.get("/api/policies").json()
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in listing["facets"]}
    # as the filter does, a value counts what is linked to anything below it (the General Office is the Ministry's)
    assert facets["issuer"] == {"example-general-office": 2, "example-ministry": 2}
    assert facets["year"] == {"2020": 1} and facets["type"] == {"Notice": 1, "Plan": 1}
    linked = {i["id"]: sorted(link["id"] for link in i["linked"]["issuer"]) for i in listing["items"]}
    assert linked == {"example-notice": ["example-general-office", "example-ministry"],
                      "example-pilot-plan": ["example-general-office"]}  # a row shows its direct links
    page = client.get("/policies", params={"type": "Notice", "issuer": "example-ministry"}, headers=_BROWSER)
    assert page.status_code == 200 and "issuer: Example Ministry" in page.text and "type: Notice" in page.text
    assert "/policies/example-notice" in page.text and "/policies/example-pilot-plan" not in page.text
    csv = client.get("/api/policies.csv", params={"type": "Notice", "issuer": "example-ministry"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("id,label,label_zh,type,dates,issuer")
    assert [line.split(",")[0] for line in csv.text.splitlines()[1:]] == ["example-notice"]


def test_issue_16_responses_are_compressed_when_the_client_accepts_gzip(client) -> None:
    plain = client.get("/policies", headers={**_BROWSER, "accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for path in ("/policies", "/static/vendor/yasgui/yasgui.min.js", "/api/policies"):
        packed = client.get(path, headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip" and "accept-encoding" in packed.headers["vary"].lower()
        assert packed.num_bytes_downloaded < len(packed.content) / 2  # what crossed the wire is the gzip body
    body = client.get("/policies", headers={**_BROWSER, "accept-encoding": "gzip"})
    assert body.text == plain.text  # decoded, the same page


def test_issue_16_concurrent_searches_do_not_share_a_stemmer(client) -> None:
    from concurrent.futures import ThreadPoolExecutor

    words = ["pilot plans", "example ministries", "joint platforms", "shared funds"] * 4
    with ThreadPoolExecutor(8) as pool:  # the type-ahead and the results page run searches at once
        statuses = list(pool.map(lambda q: client.get("/api/search", params={"q": q}).status_code, words))
    assert statuses == [200] * len(words)


def test_issue_16_what_a_newcomer_tripped_on_in_the_site(client) -> None:
    # the search form's "every kind" sends kind= (empty): all kinds, not a 422
    assert client.get("/search", params={"q": "example", "kind": ""}, headers=_BROWSER).status_code == 200
    # a bad date is named as such, with no advice to look a name up, and a way back to the list
    page = client.get("/policies", params={"from": "abc"}, headers=_BROWSER).text
    assert "should be a date: YYYY, YYYY-MM or YYYY-MM-DD" in page and "look-up" not in page
    assert 'href="/policies">Back, without the parameters' in page
    # a source's authors in the order it gives them; its seed file name is folded away with the record
    source = client.get("/sources/ks-paper").text.split('class="summary"', 1)[1].split("</dl>", 1)[0]
    assert source.index("Bea Zeta") < source.index("A. Author") and "ks-0001" not in source
    assert 'href="https://doi.org/10.0000/ks.1"' in source
    # the most specific type, in words
    assert '<div class="types">notice ·' in client.get("/policies/example-notice").text


def test_issue_17_an_entity_names_its_rdf_alternates_in_the_page_and_the_headers(client) -> None:
    page = client.get("/id/region/example-city", headers={"accept": "text/html"})
    for media in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"):
        assert f'type="{media}"' in page.text and f'type="{media}"' in page.headers["link"], media
    turtle = client.get("/id/region/example-city", headers={"accept": "text/turtle"})
    assert turtle.headers["content-location"] == "/id/region/example-city?format=turtle"
    assert "rel=\"alternate\"" in turtle.headers["link"] and turtle.headers["vary"].startswith("Accept")


@pytest.mark.parametrize("headers,params", [({"accept": "image/png"}, {}), ({"accept": "application/n-quads"}, {}),
                                            ({}, {"format": "bogus"})])
def test_issue_17_an_entity_answers_406_for_what_it_cannot_be(client, headers: dict, params: dict) -> None:
    answer = client.get("/id/region/example-city", headers=headers, params=params)
    assert answer.status_code == 406 and "Accept" in answer.headers["vary"], answer.text


def test_issue_17_q_zero_refuses_a_type_that_star_would_match(client) -> None:
    answer = client.get("/id/region/example-city", headers={"accept": "text/html;q=0, */*"})
    assert answer.status_code == 200 and not answer.headers["content-type"].startswith("text/html")


def test_issue_17_the_editor_page_varies_by_accept(client) -> None:
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Accept" in page.headers["vary"]


def test_issue_17_a_json_ld_clients_accept_gets_json_ld_and_ties_follow_the_clients_order(client) -> None:
    ld = client.get("/id/region/example-city", headers={"accept": "application/ld+json, application/json"})
    assert ld.headers["content-type"].startswith("application/ld+json") and "link" not in ld.headers
    xml = client.get("/id/region/example-city", headers={"accept": "application/rdf+xml, text/html"})
    assert xml.headers["content-type"].startswith("application/rdf+xml")
    page = client.get("/id/region/example-city",
                      headers={"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")

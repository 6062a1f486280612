"""The timeline and analysis pages, and their JSON twins from the same functions."""
from __future__ import annotations

import pytest


def test_timeline_page_and_twin(client) -> None:
    twin = client.get("/api/timeline").json()
    assert [(e["label"], e["date"], e["precision"]) for e in twin["entries"]] == [
        ("Example Notice on Joint Platforms", "2020-03", "month"), ("Example Pilot Plan", None, None)]
    assert twin["entries"][0]["dates"] == ["2020-03", "2020-05-01"]  # a recorded conflict: both shown
    page = client.get("/timeline")
    assert page.status_code == 200 and 'href="/api/timeline"' in page.text
    assert "2020-03 / 2020-05-01" in page.text and "2020-03-01" not in page.text
    assert "sources disagree" in page.text
    only = client.get("/api/timeline", params={"genre": "Plan"}).json()
    assert [e["label"] for e in only["entries"]] == ["Example Pilot Plan"]
    assert client.get("/timeline", params={"issuer": "example-ministry"}).status_code == 200


@pytest.mark.parametrize(("url", "status"), [("/api/timeline?genre=Poem", 422), ("/timeline?issuer=Bad_Id", 422),
                                             ("/analysis/centrality?projection=galaxy", 422)])
def test_timeline_and_analysis_pages_reject_bad_parameters(client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status and "error" in response.json()


def test_analysis_pages_show_their_twins(client) -> None:
    page = client.get("/analysis/centrality", params={"projection": "entity"})
    twin = client.get("/api/analysis/centrality", params={"projection": "entity"}).json()
    assert page.status_code == 200
    for ranking in twin["rankings"]:
        assert f"{ranking['measure']} among {ranking['kind']}" in page.text
    embedded = page.text.split('<iframe src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert embedded == "/views/overview?size=pagerank&cap=150&embed=true"
    assert client.get(embedded).status_code == 200  # the page's graph view
    communities = client.get("/analysis/communities").text
    assert "modularity" in communities and "/views/ego/" in communities


def test_region_page_embeds_gaps(client) -> None:
    page = client.get("/regions/example-city").text
    assert "/views/region-gaps/example-city?embed=true" in page and "/api/regions/example-city/gaps" in page
    assert "/views/ego/region/example-city?embed=true" in page


def test_query_view_draws_a_construct_and_refuses_what_sparql_refuses(client) -> None:
    construct = ("PREFIX seikg: <https://w3id.org/seikg/ontology#> "
                 "CONSTRUCT WHERE { ?m seikg:addressesProblem ?p }")
    view = client.get("/api/views/query", params={"query": construct}).json()
    assert {n["kind"] for n in view["nodes"]} == {"mechanism", "problem"} and view["edges"]
    page = client.get("/views/query", params={"query": construct})
    assert page.status_code == 200 and "vis.Network" in page.text
    select = client.get("/api/views/query", params={"query": "SELECT ?s WHERE { ?s a "
                                                   "<https://w3id.org/seikg/ontology#Mechanism> }"}).json()
    assert select["shown"] >= 2
    assert client.get("/api/views/query", params={"query": "ASK {}"}).status_code == 400
    assert client.get("/api/views/query", params={"query": "INSERT DATA { <a:b> <a:b> <a:b> }"}).status_code == 400
    assert client.get("/api/views/query", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> "
                                                            "{ ?s ?p ?o } }"}).status_code == 400


def test_overview_sizes_by_the_chosen_measure(client) -> None:
    for measure in ("degree", "betweenness", "closeness", "pagerank"):
        view = client.get("/api/views/overview", params={"size": measure, "cap": 3}).json()
        assert view["state"]["size"] == measure and view["shown"] == 3
    ranking = client.get("/api/analysis/centrality", params={"measure": "betweenness", "kind": "all", "top": 3}).json()
    best = {s["iri"] for s in ranking["rankings"][0]["top"] if s["rank"] == 1}
    view = client.get("/api/views/overview", params={"size": "betweenness", "cap": 1}).json()
    assert {n["id"] for n in view["nodes"]} <= best
    assert client.get("/api/views/overview", params={"size": "fame"}).status_code == 422


def test_communities_view_and_twin(client) -> None:
    twin = client.get("/api/views/communities", params={"projection": "entity"}).json()
    assert twin["nodes"] and all(n["role"].startswith("community-") for n in twin["nodes"])
    assert client.get("/views/communities").status_code == 200
    assert client.get("/views/communities", params={"projection": "region-hierarchy"}).status_code == 422
    assert "/views/communities?projection=entity&embed=true" in client.get("/analysis/communities").text


def test_expand_a_hub_counts_then_draws_one_predicate(client) -> None:
    counts = client.get("/api/views/expand/region/example-city").json()
    links = counts["view"]["hubs"][0]["links"]
    assert counts["view"]["nodes"] == [] and counts["elements"]["nodes"] == [] and links
    predicate, count = max(links.items(), key=lambda item: item[1])
    step = client.get(f"/api/views/expand/region/example-city?predicate={predicate}&cap=2").json()
    assert step["view"]["total"] <= count and step["view"]["shown"] == min(2, step["view"]["total"])
    # the elements are the view's nodes, styled as the page draws them
    assert [n["id"] for n in step["elements"]["nodes"]] == [n["id"] for n in step["view"]["nodes"]]
    assert all(e["label"] == predicate for e in step["elements"]["edges"])
    missing = client.get("/api/views/expand/region/example-city?predicate=nothingHere")
    assert missing.status_code == 422 and "predicate" in missing.json()["error"]["message"]
    assert client.get("/api/views/expand/region/example-city?predicate=%3Cscript%3E").status_code == 422


def test_ego_view_takes_every_filter_of_the_overview(client) -> None:
    everything = client.get("/api/views/ego/actor/example-general-office?depth=2").json()
    assert {n["id"].rsplit("/", 1)[-1] for n in everything["nodes"]} >= {"example-notice", "example-pilot-plan"}
    issued = client.get("/api/views/ego/actor/example-general-office?depth=2&kind=policy&from=2020").json()
    assert {n["id"].rsplit("/", 1)[-1] for n in issued["nodes"]} == {"example-general-office", "example-notice"}
    assert issued["state"]["date_from"] == "2020" and issued["state"]["kinds"] == ["policy"]
    page = client.get("/views/ego/actor/example-general-office?depth=2&from=2020&issuer=example-general-office")
    assert page.status_code == 200 and 'name="issuer"' in page.text and 'value="example-general-office"' in page.text
    assert client.get("/api/views/ego/actor/example-general-office?from=20x").status_code == 422


def test_issue_16_a_view_takes_a_kinds_plural_as_the_pages_write_it(client) -> None:
    singular = client.get("/api/views/ego/actor/example-general-office").json()
    assert client.get("/api/views/ego/actors/example-general-office").json() == singular
    assert client.get("/api/views/ego/nonsense/example-general-office").status_code == 422


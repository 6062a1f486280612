"""The analysis API: every route answers from the precomputed suite, matches kg's functions, and fails clearly."""
from __future__ import annotations

import json

import httpx2 as httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.analyses import find_region_gaps, to_plain
from kg.projection import project_file

REGION = "https://w3id.org/seikg/id/region/"


def test_analysis_index_says_what_was_computed(client) -> None:
    body = client.get("/api/analysis").json()
    assert body["version"] and body["started_at"] <= body["ended_at"]
    assert {"pagerank", "region-gaps", "timeline"} <= set(body["seconds"])
    assert body["graph"] == "https://w3id.org/seikg/graph/analysis"


def test_analysis_region_gaps_equal_the_kg_function(client, ks_snapshot) -> None:
    projections = project_file(ks_snapshot.path, version=ks_snapshot.version)
    for region in ("example-city", "example-country"):
        expected = to_plain(find_region_gaps(projections, REGION + region, candidates=10))
        response = client.get(f"/api/regions/{region}/gaps")
        assert response.status_code == 200
        assert response.json() == expected


def test_analysis_region_gaps_present_mechanism_through_actor_policy_and_case(client) -> None:
    body = client.get("/api/regions/example-city/gaps").json()
    (present,) = body["present"]
    assert present["label"] == "Joint platform mechanism"
    assert sorted(v["kind"] for v in present["via"]) == ["actor", "case", "policy"]  # issue 15: a case there counts
    assert body["covered"][0]["problem"]["label"] == "Low enthusiasm of enterprises for joint training"
    (gap,) = body["gaps"]  # the one present mechanism addresses only the broader problem
    assert gap["problem"]["label"] == "Weak incentives for enterprises"
    assert [c["label"] for c in gap["candidates"]] == ["Shared fund"]
    assert [(n["mechanism"]["label"], n["relation"]) for n in gap["near_misses"]] == [
        ("Joint platform mechanism", "broader")]
    assert "partOfRegion*" in body["method"]["sparql"]


@pytest.mark.parametrize(("url", "status", "text"), [
    ("/api/regions/nowhere/gaps", 404, "no region 'nowhere'"),
    ("/api/regions/Bad_Id/gaps", 422, "id"),
    ("/api/analysis/compare?region=example-city", 422, "region"),
    ("/api/analysis/compare?region=example-city&region=nowhere", 404, "no region 'nowhere'"),
    ("/api/analysis/centrality?projection=galaxy", 422, "projection"),
    ("/api/analysis/centrality?kind=dragon", 422, "no 'dragon' entities"),
    ("/api/analysis/communities?projection=region-hierarchy", 422, "projection"),
    ("/api/analysis/rdf?format=rdfxml", 422, "format"),
])
def test_analysis_bad_parameters_get_one_error_shape(client, url: str, status: int, text: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    error = response.json()["error"]
    assert set(error) >= {"code", "message"} and text in json.dumps(error)


def test_analysis_routes_answer_with_their_results(client) -> None:
    centrality = client.get("/api/analysis/centrality", params={"kind": "mechanism", "measure": "degree",
                                                                "top": 2}).json()
    (ranking,) = centrality["rankings"]
    assert ranking["kind"] == "mechanism" and len(ranking["top"]) == 2 and ranking["explanation"]
    assert [s["label"] for s in ranking["top"]] == ["Joint platform mechanism", "Shared fund"]
    communities = client.get("/api/analysis/communities").json()
    assert communities["communities"] and "louvain" in communities["method"]["algorithm"]
    assert client.get("/api/analysis/structural-holes").json()["projection"] == "co-issuance"
    timeline = client.get("/api/analysis/timeline").json()
    assert [(y["year"], y["policies"]) for y in timeline["years"]] == [("2020", 1)]
    coverage = client.get("/api/analysis/coverage").json()
    assert coverage["problems"] == 2 and [p["label"] for p in coverage["fragile"]] == [
        "Low enthusiasm of enterprises for joint training", "Weak incentives for enterprises"]
    (framework,) = client.get("/api/analysis/frameworks").json()
    assert framework["uncovered"] == [{"iri": "https://w3id.org/seikg/id/mechanism/shared-fund",
                                       "label": "Shared fund"}]
    matrix = client.get("/api/analysis/compare?region=example-city&region=example-country").json()
    assert [c["region"]["label"] for c in matrix["regions"]] == ["Example City", "Example Country"]


def test_analysis_rdf_parses_with_prov(client) -> None:
    response = client.get("/api/analysis/rdf")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert graph.query("ASK { ?run a <https://w3id.org/seikg/ontology#AnalysisRun> ; "
                       "<http://www.w3.org/ns/prov#endedAtTime> ?t }").askAnswer
    assert client.get("/api/analysis/rdf?format=json-ld").headers["content-type"].startswith("application/ld+json")


@pytest.mark.slow
def test_live_region_gaps_and_analysis_graph_over_sparql(live_server: str) -> None:
    body = httpx.get(f"{live_server}/api/regions/western-region/gaps", timeout=30).json()
    gaps = {g["problem"]["iri"].rsplit("/", 1)[-1]: g for g in body["gaps"]}
    assert {"resource-endowment-limitations", "uneven-regional-development",
            "regional-imbalance-of-vocational-education-resources"} <= set(gaps)
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setTimeout(30)
    client.setReturnFormat(JSON)
    client.setQuery("""PREFIX seikg: <https://w3id.org/seikg/ontology#>
        SELECT ?problem WHERE { GRAPH <https://w3id.org/seikg/graph/analysis> {
          ?gap a seikg:RegionGap ; seikg:gapRegion <https://w3id.org/seikg/id/region/western-region> ;
               seikg:gapProblem ?problem } }""")
    in_graph = {r["problem"]["value"] for r in client.query().convert()["results"]["bindings"]}
    assert in_graph == {g["problem"]["iri"] for g in body["gaps"]}
    client.setQuery(body["method"]["sparql"])  # the proof, re-run by a scholar
    proved = {r["problem"]["value"] for r in client.query().convert()["results"]["bindings"]}
    assert proved == in_graph


def test_issue_13_comparing_a_region_with_itself_is_a_bad_argument(client) -> None:
    response = client.get("/api/analysis/compare?region=example-city&region=example-city")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_parameter"
    assert response.json()["error"]["message"].startswith("region:")


@pytest.mark.parametrize("name", ["jsonld", "json-ld"])
def test_issue_13_jsonld_has_one_name_and_one_alias_everywhere(client, name: str) -> None:
    analysis = client.get(f"/api/analysis/rdf?format={name}")
    assert analysis.status_code == 200 and analysis.headers["content-type"].startswith("application/ld+json")
    sparql = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "format": name})
    assert sparql.status_code == 200 and sparql.headers["content-type"].startswith("application/ld+json")


def test_issue_13_a_toy_analysis_registered_in_a_fixture_is_served_tabulated_and_on_the_cli(
        monkeypatch, ks_settings, ks_snapshot, capsys) -> None:
    """One module's function and one registry entry give the suite's result, its JSON route, the index entry
    and `seikg analyze NAME` with tables; nothing else is touched."""
    from dataclasses import dataclass

    from fastapi.testclient import TestClient

    from api import create_app
    from kg.analyses import registry
    from kg.analyses.tables import Table
    from kg.cli import main
    from kg.runtime import QueryService

    @dataclass(frozen=True)
    class PolicyCount:
        policies: int

    def count_policies(projections, run) -> PolicyCount:  # noqa: ANN001 - the registry's signature
        return PolicyCount(len(projections.nodes_of("policy")))

    toy = registry.AnalysisDef("policy-count", "How many policy documents the graph holds", count_policies,
                               result_type=PolicyCount,
                               tables=lambda r: [Table("policies", ("count",), ((str(r.policies),),))])
    monkeypatch.setattr(registry, "ANALYSES", (*registry.ANALYSES, toy))
    service = QueryService.from_snapshot(ks_settings, ks_snapshot)
    try:
        expected = len(service.analyses().projections.nodes_of("policy"))
        assert expected > 0 and service.analyses().results["policy-count"] == PolicyCount(expected)
        with TestClient(create_app(service=service)) as client:
            assert client.get("/api/analysis/policy-count").json() == {"policies": expected}
            assert client.get("/api/analysis").json()["analyses"]["policy-count"] == "/api/analysis/policy-count"
            assert "policy-count" in client.get("/openapi.json").json()["paths"]["/api/analysis/policy-count"][
                "get"]["operationId"].replace("_", "-")
    finally:
        service.close()
    assert main(["--data", str(ks_settings.data_dir), "--seeds", str(ks_settings.seeds_dir), "analyze",
                 "policy-count", "--format", "csv"]) == 0
    assert f"policies,{expected}" in capsys.readouterr().out


def test_issue_14_the_api_counts_cross_paper_links_or_leaves_them_out(real_client) -> None:
    included = real_client.get("/api/analysis/coverage").json()
    excluded = real_client.get("/api/analysis/coverage", params={"cross_source": "exclude"}).json()
    assert included["method"]["parameters"]["cross_source"] == "include"
    assert excluded["method"]["parameters"]["cross_source"] == "exclude"
    assert len(excluded["orphans"]) > len(included["orphans"])
    assert "leaves out the addressesProblem links" in excluded["method"]["description"]
    gaps = real_client.get("/api/regions/western-region/gaps", params={"cross_source": "exclude"}).json()
    assert gaps["method"]["parameters"]["cross_source"] == "exclude" and '"false"^^' in gaps["method"]["sparql"]
    compared = real_client.get("/api/analysis/compare", params=[("region", "zhejiang"), ("region", "hebei"),
                                                                ("cross_source", "exclude")])
    assert compared.status_code == 200
    bad = real_client.get("/api/analysis/coverage", params={"cross_source": "maybe"})
    assert bad.status_code == 422 and "cross_source" in json.dumps(bad.json()["error"])
    assert "cross_source" not in json.dumps(real_client.get("/openapi.json").json()["paths"]["/api/analysis/timeline"])


def test_issue_15_the_region_page_leads_with_its_gap_table_and_offers_csv(real_client) -> None:
    import csv
    import io
    page = real_client.get("/regions/western-region")
    assert page.status_code == 200
    html = page.text
    assert html.index('id="gap-table"') < html.index("<iframe src=\"/views/region-gaps/")
    assert "/static/vendor/simple-datatables/simple-datatables.js" in html and "cdn" not in html.lower()
    assert "Resource endowment limitations in the central and western regions" in html
    assert real_client.get("/static/vendor/simple-datatables/simple-datatables.js").status_code == 200
    response = real_client.get("/api/regions/western-region/gaps.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    gaps = real_client.get("/api/regions/western-region/gaps").json()
    assert [r["problem id"] for r in rows] == [g["problem"]["iri"].rsplit("/", 1)[-1] for g in gaps["gaps"]]
    own = [r for r in rows if r["layer"] == "own"]
    assert len(own) == gaps["own_gaps"] > 0 and rows[:len(own)] == own  # its own first
    assert all(r["evidence"] for r in own)
    assert real_client.get("/api/regions/nowhere/gaps.csv").status_code == 404


def test_issue_15_the_map_shades_every_province_and_each_tile_opens_its_page(real_client) -> None:
    data = real_client.get("/api/map", params={"measure": "pilot-cities"}).json()
    provinces = {p["region"]["iri"].rsplit("/", 1)[-1]: p for p in data["places"] if p["level"] == "province"}
    assert len(provinces) == 31 and all(p["within"] for p in provinces.values())
    assert provinces["zhejiang"]["value"] == 1 and provinces["hunan"]["value"] == 0
    assert (data["low"], data["high"]) == (0, max(p["value"] for p in provinces.values()))
    page = real_client.get("/map", params={"measure": "pilot-cities"})
    assert page.status_code == 200 and 'href="/api/map?measure=pilot-cities"' in page.text
    assert page.text.count('class="tile"') == 31 and 'href="/regions/zhejiang"' in page.text and "浙江" in page.text
    macro = real_client.get("/map", params={"measure": "own-problems", "level": "macro-region"}).text
    assert 'data-region="hunan"' in macro and 'href="/regions/central-region" data-region="hunan"' in macro
    for bad in ({"measure": "beauty"}, {"level": "county"}):
        for url in ("/map", "/api/map"):
            response = real_client.get(url, params=bad)
            assert response.status_code == 422 and next(iter(bad)) in response.text
    assert "/api/map" in real_client.get("/openapi.json").json()["paths"]
    whole = real_client.get("/api/analysis/region-measures").json()
    assert [m["name"] for m in whole["measures"]] == ["gaps", "own-problems", "present-mechanisms", "pilot-cities",
                                                      "cases"]


def test_issue_15_siblings_are_one_click_away_and_the_comparison_has_its_page(real_client) -> None:
    page = real_client.get("/regions/eastern-region").text
    siblings = page[page.index('<nav class="siblings"'):page.index("</nav>", page.index('<nav class="siblings"'))]
    for other in ("central-region", "western-region", "northeastern-region"):
        assert f'href="/regions/{other}"' in siblings
    assert page.index('id="gap-table"') < page.index('<section class="view">')  # the table first, the graph after
    assert "compare-statistics" in page and "compare-problems" in page
    compared = real_client.get("/analysis/compare", params=[("region", "eastern-region"), ("region", "western-region")])
    assert compared.status_code == 200
    text = compared.text
    assert text.index("Statistics") < text.index("Problems in which they differ") < text.index("Mechanisms present")
    assert "52.4" in text and 'href="/api/analysis/compare?region=eastern-region&amp;region=western-region"' in text
    province = real_client.get("/regions/hunan").text
    assert 'href="/regions/henan"' in province and 'href="/regions/zhejiang"' not in province.split("Gaps</h2>")[0]
    assert real_client.get("/analysis/compare", params={"region": "hunan"}).status_code == 422


def test_issue_15_an_own_row_says_in_words_where_it_is_stated_and_cites_both_region_and_problem(real_client) -> None:
    west = real_client.get("/api/regions/western-region/gaps").json()
    own = [g for g in west["gaps"] if g["layer"] == "own"]
    assert own and all(g["why"].startswith("stated for Western region of China (") for g in own)
    for gap in own:  # one passage names the region, another the problem: each row can be checked from its anchors
        anchors = [e["anchor"] for f in gap["faced_in"] for e in f["evidence"]]
        assert len(anchors) >= 2 and any("western" in a for a in anchors), gap["problem"]["label"]
    ningbo = real_client.get("/regions/ningbo").text
    assert "the others are inherited from China." in " ".join(ningbo.split())


def test_issue_15_the_comparison_shows_figures_under_their_measure_and_names_absent_cells(real_client) -> None:
    data = real_client.get("/api/analysis/compare", params={"region": ["eastern-region", "western-region"]}).json()
    shares = {row["measure"]: row["cells"] for row in data["statistics"]}
    pilot = next(cells for measure, cells in shares.items() if measure.startswith("share of the first batch"))
    assert pilot == ["52.4%", "19%"]
    page = real_client.get("/analysis/compare", params={"region": ["eastern-region", "western-region"]}).text
    assert '<td class="absent">absent</td>' in page


def test_issue_15_a_singular_kind_path_redirects_and_an_empty_map_says_so(real_client) -> None:
    response = real_client.get("/region/western-region", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == "/regions/western-region"
    empty = real_client.get("/map", params={"measure": "own-problems"}).text
    assert "No province has any" in empty

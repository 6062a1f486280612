"""The JSON API: lists with filters, details with evidence, search, errors naming the parameter."""
from __future__ import annotations

import json

import pytest


def test_entities_policy_list_items_carry_evidence(client) -> None:
    page = client.get("/api/policies").json()
    assert page["total"] == 2 and page["page"] == 1
    for item in page["items"]:
        assert item["evidence"], item
        assert {"source", "section", "anchor", "support"} <= set(item["evidence"][0])


@pytest.mark.parametrize("params,labels", [
    ({"issuer": "example-general-office"}, {"Example Notice on Joint Platforms", "Example Pilot Plan"}),
    ({"issuer": "example-ministry"}, {"Example Notice on Joint Platforms", "Example Pilot Plan"}),
    ({"region": "example-city"}, {"Example Notice on Joint Platforms"}),
    ({"region": "example-country"}, {"Example Notice on Joint Platforms"}),
    ({"region": "example-notice"}, set()),
    ({"mechanism": "joint-platform-mechanism"}, {"Example Notice on Joint Platforms"}),
    ({"q": "pilot"}, {"Example Pilot Plan"}),
    ({"q": "示例"}, {"Example Notice on Joint Platforms"}),
    ({"from": "2020-04"}, {"Example Notice on Joint Platforms"}),
    ({"to": "2020-02"}, set()),
    ({"type": "Plan"}, {"Example Pilot Plan"}),
], ids=["issuer", "issuer-parent", "region", "region-parent", "not-a-region", "mechanism", "q", "q-zh", "from",
        "to", "type"])
def test_entities_policy_filters(client, params: dict, labels: set) -> None:
    response = client.get("/api/policies", params=params)
    assert response.status_code == 200, response.text
    assert {i["label"] for i in response.json()["items"]} == labels


def test_entities_mechanism_filters_follow_the_hierarchy(client) -> None:
    narrower = client.get("/api/mechanisms", params={"parent": "joint-platform-mechanism"}).json()
    assert [i["id"] for i in narrower["items"]] == ["shared-fund"]
    proposed = client.get("/api/mechanisms", params={"proposed_by": "ks-paper"}).json()
    assert proposed["total"] == 2
    by_problem = client.get("/api/mechanisms", params={"problem": "low-enthusiasm"}).json()
    assert {i["id"] for i in by_problem["items"]} == {"joint-platform-mechanism", "shared-fund"}


def test_entities_paging_and_sorting(client) -> None:
    first = client.get("/api/policies", params={"per_page": 1, "sort": "label"}).json()
    second = client.get("/api/policies", params={"per_page": 1, "page": 2, "sort": "label"}).json()
    assert first["total"] == second["total"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    dated = client.get("/api/policies", params={"sort": "-date"}).json()["items"]
    assert dated[0]["dates"] == ["2020-03", "2020-05-01"]


def test_entities_policy_detail_groups_links_with_evidence(client) -> None:
    detail = client.get("/api/policies/example-notice").json()
    assert detail["label"] == "Example Notice on Joint Platforms" and detail["label_zh"] == "示例通知"
    assert {link["id"] for link in detail["links"]["issuers"]} == {"example-ministry", "example-general-office"}
    assert [link["id"] for link in detail["links"]["mechanisms"]] == ["joint-platform-mechanism"]
    assert [link["id"] for link in detail["links"]["regions"]] == ["example-city"]
    assert [link["id"] for link in detail["links"]["promulgates"]] == ["example-pilot-plan"]
    assert sorted(v["value"] for v in detail["values"]["issued"]) == ["2020-03", "2020-05-01"]
    for name, links in detail["links"].items():
        for link in links:  # a source issue's evidence is on each of its sides (tests/kg/test_content.py)
            assert link["evidence"] or name == "source_issues", link
    resolved = next(v for v in detail["values"]["issued"] if v["value"] == "2020-03")
    assert resolved["evidence"][0]["support"] == "resolved"


def test_entities_actor_detail_shows_sub_organisations(client) -> None:
    detail = client.get("/api/actors/example-ministry").json()
    assert [link["id"] for link in detail["links"]["sub_organisations"]] == ["example-general-office"]


def test_entities_region_detail_shows_hierarchy_and_problems(client) -> None:
    detail = client.get("/api/regions/example-city").json()
    assert [link["id"] for link in detail["links"]["part_of"]] == ["example-country"]
    assert {link["id"] for link in detail["links"]["faces"]} == {"low-enthusiasm", "weak-incentives"}


def test_entities_search_over_english_and_chinese_labels(client) -> None:
    assert [r["id"] for r in client.get("/api/search", params={"q": "Example City"}).json()] == ["example-city"]
    assert "example-notice" in [r["id"] for r in client.get("/api/search", params={"q": "示例"}).json()]


def test_issue_14_search_finds_a_hyphenated_label_typed_with_a_space_and_back(client) -> None:
    for q in ("kitchen sink", "Kitchen-sink", "kitchen – sink"):
        found = {r["id"] for r in client.get("/api/search", params={"q": q}).json()}
        assert {"ks-paper", "ks-framework"} <= found, q


def test_issue_16_search_reads_a_sources_authors_doi_and_venue(client) -> None:
    for q in ("Bea Zeta", "10.0000/ks.1", "Journal of Examples"):
        hits = client.get("/api/search", params={"q": q}).json()
        assert hits[0]["id"] == "ks-paper", q
        assert hits[0]["matched_name"], q  # the page says which name matched


def test_issue_16_search_finds_english_text_only_from_the_start_of_a_word(client) -> None:
    assert client.get("/api/search", params={"q": "terprises"}).json() == []  # inside "enterprises"
    assert "low-enthusiasm" in {r["id"] for r in client.get("/api/search", params={"q": "enterpris"}).json()}
    # short words must be whole words, but the last (being typed) may be a word's start
    assert client.get("/api/search", params={"q": "Ex Ci"}).json() == []
    assert [r["id"] for r in client.get("/api/search", params={"q": "Example Ci"}).json()][:1] == ["example-city"]


def test_issue_16_search_finds_a_description_after_every_name_with_a_snippet(client) -> None:
    hits = client.get("/api/search", params={"q": "costs"}).json()
    text = [h for h in hits if h["id"] == "joint-platform-mechanism"]
    assert text and text[0]["match"] == "text" and "30% of the costs" in text[0]["snippet"]
    assert all(h["match"] != "text" for h in hits[:hits.index(text[0])])


@pytest.mark.parametrize("path,params,parameter", [
    ("/api/policies", {"from": "2020-13"}, "from"),
    ("/api/policies", {"issuer": "Not An Id"}, "issuer"),
    ("/api/policies", {"per_page": 0}, "per_page"),
    ("/api/policies", {"sort": "sideways"}, "sort"),
    ("/api/search", {"kind": "policy"}, "kind"),
])
def test_entities_bad_parameters_are_named(client, path: str, params: dict, parameter: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and parameter in error["message"]


def test_entities_unknown_ids_are_404(client) -> None:
    for path in ("/api/policies/no-such-policy", "/api/regions/nowhere", "/api/policies/missing?x=1"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_entities_filter_naming_a_missing_entity_gives_an_empty_page(client) -> None:
    assert client.get("/api/policies", params={"issuer": "no-such-actor"}).json()["total"] == 0


@pytest.mark.parametrize("bounds,expected", [
    (("2019", "2019"), {"2019-02-13", "2019-04", "2019-10"}),
    (("2023", "2023"), {"2023", "2023-04", "2023-07"}),
    (("2019-04", "2019-04"), {"2019-04"}),
    (("2025-01", "2025-01"), {"2025-01-19"}),
])
def test_issue_14_a_date_bound_covers_its_whole_year_or_month(bounds, expected, real_client) -> None:
    date_from, date_to = bounds
    items = real_client.get("/api/policies", params={"from": date_from, "to": date_to, "per_page": 200}).json()["items"]
    dates = {date for item in items for date in item["dates"]}
    assert expected <= dates, f"from={date_from}&to={date_to} gave {sorted(dates)}"
    assert all(d[:len(date_from)] >= date_from[:len(d)] and d[:len(date_to)] <= date_to[:len(d)] for d in dates)


def test_issue_14_a_mechanism_relayed_from_the_literature_is_listed_on_its_source(client) -> None:
    found = client.get("/api/mechanisms", params={"reviewed_by": "ks-paper"}).json()
    assert [m["id"] for m in found["items"]] == ["mentor-exchange"]
    proposed = client.get("/api/mechanisms", params={"proposed_by": "ks-paper"}).json()
    assert "mentor-exchange" not in [m["id"] for m in proposed["items"]]


def test_issue_18_filtered_lists_equal_the_hierarchy_path(real_client) -> None:
    """A list filtered by a link joins from the target and what is below it (read from the hierarchy in Python),
    not from the path ``(partOfRegion|broader|subOrganizationOf)*`` in the query: on the shipped graph, for
    every outgoing filter of every kind and every target that anything links to, the list holds exactly what
    the path query matches."""
    from kg.model.kinds import KINDS

    service = real_client.app.state.service

    def select(text: str) -> list[dict]:
        return json.loads(service.query(text, row_cap=100_000).body)["results"]["bindings"]

    prefixes = "PREFIX seikg: <https://w3id.org/seikg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" \
               "PREFIX org: <http://www.w3.org/ns/org#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    compared = 0
    for kind in KINDS.values():
        for name, (predicate, slug, direction) in kind.filter_map.items():
            if direction != "out":
                continue
            targets = select(
                prefixes + f"SELECT DISTINCT ?o WHERE {{ ?e a/rdfs:subClassOf* <{kind.rdf_class}> ; <{predicate}> ?x . "
                           "?x (seikg:partOfRegion|skos:broader|org:subOrganizationOf)* ?o . "
                           f"FILTER (STRSTARTS(STR(?o), '{service.settings.base_iri}id/{slug}/')) }}")
            for target in targets:
                iri = target["o"]["value"]
                expected = {row["e"]["value"].rsplit("/", 1)[-1] for row in select(
                    prefixes + f"SELECT DISTINCT ?e WHERE {{ ?e a <{kind.rdf_class}> ; rdfs:label ?l ; <{predicate}> ?x . "
                               f"?x (seikg:partOfRegion|skos:broader|org:subOrganizationOf)* <{iri}> }}")}
                listed = real_client.get(f"/api/{kind.plural}", params={name: iri.rsplit("/", 1)[-1], "per_page": 200})
                assert listed.status_code == 200, listed.text
                assert listed.json()["total"] == len(expected), (kind.plural, name, iri)
                if len(expected) <= 200:
                    assert {item["id"] for item in listed.json()["items"]} == expected, (kind.plural, name, iri)
                compared += 1
    assert compared > 50  # the shipped graph has many linked targets: the comparison is not vacuous

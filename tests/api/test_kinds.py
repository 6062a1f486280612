"""Issue 13: every kind the graph holds is first-class, from the registry alone."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kg.model.kinds import KINDS, Filter, KindDef

SEIKG = "https://w3id.org/seikg/ontology#"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_issue_13_every_kind_has_a_list_a_detail_and_a_page(kind, real_client: TestClient) -> None:
    ids, page_number = [], 1
    while True:  # every page, so that the example is found however many entities the kind has
        listed = real_client.get(f"/api/{kind.plural}", params={"per_page": 200, "page": page_number})
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        ids += [item["id"] for item in items]
        if len(items) < 200:
            break
        page_number += 1
    assert kind.example_id in ids, f"{kind.example_id} is not listed among {kind.plural}"
    detail = real_client.get(f"/api/{kind.plural}/{kind.example_id}")
    assert detail.status_code == 200 and detail.json()["kind"] == kind.plural
    page = real_client.get(f"/{kind.plural}/{kind.example_id}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for flt in kind.filters:  # every filter is a documented parameter that answers
        assert real_client.get(f"/api/{kind.plural}", params={flt.name: "no-such-id"}).status_code == 200


def test_issue_13_cases_frameworks_quantities_and_conflicts_answer_with_filters(real_client: TestClient) -> None:
    cases = real_client.get("/api/cases", params={"region": "tangshan"}).json()
    assert cases["total"] >= 1 and all(item["kind"] == "cases" for item in cases["items"])
    frameworks = real_client.get("/api/frameworks", params={"source": "fu-huang-sun-2025"}).json()
    assert frameworks["total"] >= 1 and all(item["evidence"] or True for item in frameworks["items"])
    quantity = real_client.get("/api/quantities/changzhou-new-energy-industry-education-consortium-1").json()
    assert quantity["values"] and "quantity_of" in quantity["links"]
    conflicts = real_client.get("/api/conflicts", params={"policy": "outline-strong-education-country-2024-2035"})
    assert conflicts.json()["total"] == 1


def test_issue_13_a_toy_kind_registered_in_a_fixture_is_first_class(monkeypatch, ks_copy, tmp_path) -> None:
    """One registry entry and its data give a list with a filter, a detail, a page, search and a node in the
    views: no other file is touched (its YAML fields are the common ones; its style reuses one by key)."""
    from api import create_app
    from kg import build_dataset, serialize_dataset
    from kg.build import schema
    from kg.runtime import QueryService
    from kg.store.snapshot import write_snapshot

    toy = KindDef("toys", "toy", SEIKG + "Toy", "toys", "teddy", (Filter("region", SEIKG + "locatedIn", "region"),),
                  style="case")
    monkeypatch.setitem(KINDS, "toys", toy)
    monkeypatch.setattr(schema, "KINDS", schema.curated_kinds())
    (ks_copy.data_dir / "toys.yaml").write_text(
        "toys:\n  - {id: teddy, label: Teddy, label_zh: \u6cf0\u8fea\u718a}\n", encoding="utf-8")
    built = build_dataset(ks_copy)
    base = "https://w3id.org/seikg/id/"
    located = f'<{base}toy/teddy> <{SEIKG}locatedIn> <{base}region/example-city> <https://w3id.org/seikg/graph/data> .\n'
    snapshot = write_snapshot(serialize_dataset(built.dataset, "nquads") + located.encode(), tmp_path)
    service = QueryService.from_snapshot(ks_copy, snapshot)
    try:
        with TestClient(create_app(service=service)) as client:
            listed = client.get("/api/toys", params={"region": "example-city"}).json()
            assert [item["id"] for item in listed["items"]] == ["teddy"]
            detail = client.get("/api/toys/teddy").json()
            assert detail["label"] == "Teddy" and detail["label_zh"] == "\u6cf0\u8fea\u718a"
            assert "located_in" in detail["links"]
            assert client.get("/toys/teddy").status_code == 200
            assert client.get("/api").json()["toys"] == 1
            view = client.get("/api/views/ego/toy/teddy").json()
            assert any(node["kind"] == "toy" for node in view["nodes"])
            assert "case" in {entry["key"] for entry in view["legend"]}
            assert any(item["id"] == "teddy" for item in client.get("/api/search", params={"q": "tedd"}).json())
    finally:
        service.close()

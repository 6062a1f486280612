"""Issue 13: every kind the graph holds is first-class, from the registry alone."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kg.model.kinds import KINDS, Filter, KindDef

SEIKG = "https://w3id.org/seikg/ontology#"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_issue_13_every_kind_has_a_list_a_detail_and_a_page(kind, real_client: TestClient) -> None:
    listed = real_client.get(f"/api/{kind.plural}", params={"per_page": 200})
    assert listed.status_code == 200, listed.text
    ids = [item["id"] for item in listed.json()["items"]]
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


def test_issue_13_a_toy_kind_registered_in_a_fixture_is_first_class(monkeypatch, ks_settings, ks_built,
                                                                     tmp_path) -> None:
    """One registry entry (and its data) gives a list, a detail, a page and a node in the views."""
    from api import create_app
    from kg import serialize_dataset
    from kg.service import QueryService
    from kg.store import write_snapshot

    toy = KindDef("toys", "toy", SEIKG + "Toy", "toys", "teddy", (Filter("region", SEIKG + "locatedIn", "region"),))
    monkeypatch.setitem(KINDS, "toys", toy)
    base = "https://w3id.org/seikg/id/"
    extra = (f'<{base}toy/teddy> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SEIKG}Toy> '
             f'<https://w3id.org/seikg/graph/data> .\n'
             f'<{base}toy/teddy> <http://www.w3.org/2000/01/rdf-schema#label> "Teddy"@en '
             f'<https://w3id.org/seikg/graph/data> .\n'
             f'<{base}toy/teddy> <{SEIKG}locatedIn> <{base}region/example-city> <https://w3id.org/seikg/graph/data> .\n')
    snapshot = write_snapshot(serialize_dataset(ks_built.dataset, "nquads") + extra.encode(), tmp_path)
    service = QueryService.from_snapshot(ks_settings, snapshot)
    try:
        with TestClient(create_app(service=service)) as client:
            listed = client.get("/api/toys", params={"region": "example-city"}).json()
            assert [item["id"] for item in listed["items"]] == ["teddy"]
            detail = client.get("/api/toys/teddy").json()
            assert detail["label"] == "Teddy" and "located_in" in detail["links"]
            assert client.get("/toys/teddy").status_code == 200
            view = client.get("/api/views/ego/toy/teddy").json()
            assert "nodes" in view, view
            assert any(node["kind"] == "toy" for node in view["nodes"])
            assert any(item["id"] == "teddy" for item in client.get("/api/search", params={"q": "tedd"}).json())
    finally:
        service.close()

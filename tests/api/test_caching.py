"""Issue 18: answers validated and kept per graph version (ETag, 304, a bounded cache; a reload starts anew)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api import create_app
from kg.runtime import QueryService

ASK = "ASK { ?s ?p ?o }"


def test_issue_18_an_answer_has_an_etag_and_a_conditional_request_gets_304(client) -> None:
    first = client.get("/api/policies")
    tag = first.headers["etag"]
    assert first.status_code == 200 and tag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = client.get("/api/policies", headers={"if-none-match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    assert client.get("/api/policies", headers={"if-none-match": f'"x", {tag}'}).status_code == 304
    assert client.get("/api/policies", headers={"if-none-match": '"another"'}).status_code == 200
    head = client.head("/api/policies", headers={"if-none-match": tag})
    assert head.status_code == 304


def test_issue_18_the_tag_follows_the_request(client) -> None:
    tags = {client.get(path, headers={"accept": accept}).headers["etag"] for path, accept in [
        ("/sparql?query=" + ASK, "application/sparql-results+json"),
        ("/sparql?query=" + ASK, "application/sparql-results+xml"),
        ("/policies", "text/html"), ("/policies?lang=zh", "text/html"), ("/api/policies", "application/json")]}
    assert len(tags) == 5
    negotiated = client.get("/sparql", params={"query": ASK}, headers={"accept": "text/csv"})
    conditional = client.get("/sparql", params={"query": ASK},
                             headers={"accept": "text/csv", "if-none-match": negotiated.headers["etag"]})
    assert conditional.status_code == 304 and conditional.headers["vary"].startswith("Accept")


def test_issue_18_what_changes_without_the_graph_is_never_tagged(client) -> None:
    for path in ("/health", "/status"):
        assert "etag" not in client.get(path).headers
    for function in ("RAND()", "NOW()", "STRUUID()"):
        response = client.get("/sparql", params={"query": f"SELECT (({function}) AS ?x) {{}}"})
        assert response.status_code == 200
        assert "etag" not in response.headers and response.headers["cache-control"] == "no-store"
    assert client.get("/id/none/none").status_code == 404
    assert "etag" not in client.get("/id/none/none").headers


def test_issue_18_a_kept_answer_is_given_without_asking_the_store(client, ks_service, monkeypatch) -> None:
    url = "/api/policies?limit=3"
    first = client.get(url)

    def refuse(*args, **kwargs):
        raise AssertionError("the store was asked again")

    monkeypatch.setattr(ks_service, "execute", refuse)
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]


def test_issue_18_the_service_keeps_query_answers_per_version(ks_service, monkeypatch) -> None:
    calls = []
    executor = ks_service._current().executor
    run = executor.run
    monkeypatch.setattr(executor, "run", lambda job, lane="users": calls.append(job.text) or run(job, lane))
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t } # issue 18"
    first = ks_service.query(text)
    assert ks_service.query(text) == first and len(calls) == 1
    clock = "SELECT (NOW() AS ?t) WHERE {} # issue 18"
    ks_service.query(clock), ks_service.query(clock)
    assert len(calls) == 3  # a query calling NOW() is evaluated every time
    assert ks_service.status()["answer_cache"]["hits"] >= 1


@pytest.fixture
def reloadable(ks_copy, tmp_path):
    service = QueryService(replace(ks_copy, store_dir=tmp_path / "stores", query_workers=1))
    service.load()
    yield service, ks_copy.data_dir
    service.close()


def test_issue_18_a_reload_invalidates_the_tags_and_the_kept_answers(reloadable) -> None:
    service, data = reloadable
    with TestClient(create_app(service=service)) as client:
        before = client.get("/api/units")
        tag = before.headers["etag"]
        assert client.get("/api/units", headers={"if-none-match": tag}).status_code == 304
        (data / "more.yaml").write_text("units:\n  - {id: furlong, label: furlong}\n", encoding="utf-8")
        service.load()
        after = client.get("/api/units", headers={"if-none-match": tag})
        assert after.status_code == 200 and after.headers["etag"] != tag
        assert b"furlong" in after.content and b"furlong" not in before.content
        assert service.status()["answer_cache"]["entries"] >= 0

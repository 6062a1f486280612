"""Citations (issue 16): a source's and the graph's, in GB/T 7714-2015, APA, BibTeX, RIS and CSL-JSON, from the
API and on every entity page; the authors in the order the source gives them."""
from __future__ import annotations

import json
import re

import pytest

from kg.reading.citations import CITATION_FORMATS


def test_issue_16_a_source_is_cited_in_every_format_with_its_authors_in_order(client) -> None:
    cited = client.get("/api/sources/ks-paper/cite").json()
    assert set(cited["texts"]) == set(CITATION_FORMATS)
    texts = cited["texts"]
    assert texts["gb7714"].startswith("ZETA B, AUTHOR A. A Kitchen-Sink Paper on Integration[J")
    assert "2020" in texts["gb7714"] and "Journal of Examples" in texts["gb7714"]
    assert texts["apa"].startswith("Zeta, B., & Author, A. (2020). A Kitchen-Sink Paper on Integration.")
    assert texts["bibtex"].lstrip().startswith("@article{") and "author={Zeta, Bea and Author, A.}" in texts["bibtex"]
    assert texts["ris"].splitlines()[:4] == ["TY  - JOUR", "TI  - A Kitchen-Sink Paper on Integration",
                                             "AU  - Zeta, Bea", "AU  - Author, A."]
    item = json.loads(texts["csl-json"])[0]
    assert [a["family"] for a in item["author"]] == ["Zeta", "Author"] and item["DOI"] == "10.0000/ks.1"


@pytest.mark.parametrize("fmt,media", [(key, spec.media_type) for key, spec in CITATION_FORMATS.items()])
def test_issue_16_one_citation_format_comes_in_its_own_media_type(client, fmt: str, media: str) -> None:
    response = client.get("/api/sources/ks-paper/cite", params={"format": fmt})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.text == client.get("/api/sources/ks-paper/cite").json()["texts"][fmt]


def test_issue_16_an_official_document_is_cited_as_a_web_page_and_the_graph_with_its_version(client) -> None:
    official = client.get("/api/sources/ks-official/cite").json()["texts"]
    assert "https://example.org/notice" in official["apa"] and "TY  - ELEC" in official["ris"]
    graph = client.get("/api/cite").json()
    version = client.get("/status").json()["store"]["version"]
    assert version in graph["texts"]["apa"] and version in graph["texts"]["bibtex"]
    assert "TY  - DATA" in graph["texts"]["ris"]


def test_issue_16_every_entity_page_offers_its_sources_and_the_graph_to_cite(client) -> None:
    page = client.get("/policies/example-notice").text
    cite = page.split('id="cite"', 1)[1]
    assert 'data-id="ks-paper"' in cite and 'data-id="ks-official"' in cite and 'data-id="seikg"' in cite
    assert "ZETA B, AUTHOR A." in cite and 'class="copy-citation"' in cite
    assert page.count('class="cite-link"') >= 5 and 'href="/sources/ks-paper#cite"' in page  # on every passage


@pytest.mark.parametrize("path,params,parameter", [("/api/sources/ks-paper/cite", {"format": "mla"}, "format"),
                                                   ("/api/sources/Not%20An%20Id/cite", {}, "id")])
def test_issue_16_a_bad_citation_request_names_its_parameter(client, path: str, params: dict, parameter: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422 and parameter in response.json()["error"]["message"]
    assert client.get("/api/sources/no-such-source/cite").status_code == 404


def test_issue_16_a_work_without_authors_gets_a_bibtex_key_and_its_title_once_in_apa(client) -> None:
    texts = client.get("/api/sources/ks-official/cite").json()["texts"]
    assert re.match(r"@\w+\{[\w:.-]+,", texts["bibtex"]), texts["bibtex"]
    assert texts["apa"].count("Official text of the Example Notice") == 1, texts["apa"]

"""The query editor page at /sparql: vendored YASGUI, every example, nothing loaded from elsewhere."""
from __future__ import annotations

import re

from kg.sparql.examples import list_examples

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_editor_page_for_browsers(client) -> None:
    response = client.get("/sparql", headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '/static/vendor/yasgui/yasgui.min.js' in page and '/static/vendor/yasgui/yasgui.min.css' in page
    for example in list_examples():
        assert example.title.replace("'", "&#39;").replace('"', "&#34;") in page or example.title in page


def test_editor_page_loads_no_outside_asset(client) -> None:
    page = client.get("/sparql", headers={"accept": BROWSER_ACCEPT}).text
    for attribute in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not re.match(r"^(https?:)?//", attribute), attribute


def test_editor_vendored_assets_are_served(client) -> None:
    for path in ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css"):
        response = client.get(path)
        assert response.status_code == 200 and len(response.content) > 10_000


def test_editor_rdf_clients_still_get_the_service_description(client) -> None:
    for accept in ("text/turtle", "*/*", None):
        headers = {} if accept is None else {"accept": accept}
        response = client.get("/sparql", headers=headers)
        assert response.headers["content-type"].startswith("text/turtle"), accept


def test_issue_17_the_editor_lists_the_predeclared_prefixes(client) -> None:
    from kg.model.prefixes import PREDECLARED_PREFIXES
    page = client.get("/sparql", headers={"accept": "text/html"}).text
    for name, iri in PREDECLARED_PREFIXES.items():
        assert f"<code>{name}: &lt;{iri}&gt;</code>" in page, name

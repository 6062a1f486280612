"""HEAD, OPTIONS, 405 and CORS preflight on every route (api.methods), as HTTP clients expect (issue 17)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/regions/example-city", "/id/region/example-city", "/sparql", "/api/policies"])
def test_issue_17_head_answers_as_get_without_a_body(client, path: str) -> None:
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_issue_17_options_and_a_405_name_every_method_of_the_path(client) -> None:
    options = client.options("/sparql")
    assert options.status_code == 204 and options.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    refused = client.put("/sparql", content=b"x")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert client.options("/no-such-page").status_code == 404


def test_issue_17_a_browsers_preflight_for_a_post_to_sparql_is_allowed(client) -> None:
    preflight = client.options("/sparql", headers={"origin": "http://example.org", "access-control-request-method": "POST",
                                                  "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-origin"] == "*"

"""The OpenAPI document is complete, and schemathesis finds no 5xx and no response off its schema."""
from __future__ import annotations

import pytest

import schemathesis
from schemathesis import checks
from hypothesis import HealthCheck, given, settings

from api import create_app

#: no 5xx; status codes, media types, headers and bodies as documented. (Positive-data acceptance is
#: not asked of /sparql: a string the schema allows is rarely valid SPARQL.)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance]


@pytest.mark.slow  # quick loop: see README
def test_openapi_schemathesis_finds_no_server_error_and_no_schema_mismatch(ks_service) -> None:
    """Every operation, up to 25 generated requests each, through schemathesis's conformance checks.

    (Driven directly: the pytest plugin of schemathesis 4 does not run under pytest 9.)
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(service=ks_service))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # noqa: ANN001
            case.call_and_validate(checks=CHECKS)

        check()


def test_openapi_documents_every_route_with_examples(client) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path in ("/sparql", "/health", "/status", "/api/search", "/api/policies", "/api/policies/{id}",
                 "/api/mechanisms", "/api/problems", "/api/actors", "/api/regions", "/api/sources",
                 "/id/{slug}/{ident}"):
        assert path in paths, path
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert "422" in operation["responses"] or not operation.get("parameters"), path
    detail = paths["/api/policies/{id}"]["get"]["parameters"][0]
    assert detail["name"] == "id" and detail["schema"].get("examples")
    for kind in ("policies", "mechanisms", "problems", "actors", "regions"):
        for parameter in paths[f"/api/{kind}"]["get"]["parameters"]:
            if parameter["name"] not in ("sort", "page", "per_page", "type"):
                assert parameter.get("examples") or parameter["schema"].get("examples"), (kind, parameter["name"])

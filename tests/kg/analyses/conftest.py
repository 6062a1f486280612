"""The hand-built toy world (tests/data/analyses/toy.ttl) and helpers for the analysis tests."""
from __future__ import annotations

import pytest

from kg.project import Projections, project_file

from ...conftest import TESTS

TOY = TESTS / "data" / "analyses" / "toy.ttl"
ID = "https://w3id.org/seikg/id/"


def iri(kind: str, name: str) -> str:
    """The toy entity ``kind/name``."""
    return f"{ID}{kind}/{name}"


@pytest.fixture(scope="session")
def toy() -> Projections:
    return project_file(TOY, version="toy")

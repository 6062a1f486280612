"""Helpers for the analysis tests; the ``toy`` fixture (tests/data/analyses/toy.ttl) is in tests/conftest.py."""
from __future__ import annotations

from tests.conftest import TOY

__all__ = ["ID", "TOY", "iri"]

ID = "https://w3id.org/seikg/id/"


def iri(kind: str, name: str) -> str:
    """The toy entity ``kind/name``."""
    return f"{ID}{kind}/{name}"

"""The predeclared prefixes agree with the ontology's own namespace declarations (issue 17)."""
from __future__ import annotations

import re

from kg.model.prefixes import PREDECLARED_PREFIXES
from tests.conftest import ROOT


def test_issue_17_every_namespace_the_ontology_declares_is_predeclared_with_the_same_iri() -> None:
    text = (ROOT / "ontology" / "seikg.ttl").read_text(encoding="utf-8")
    declared = dict(re.findall(r"^@prefix (\w+): <([^>]+)> \.", text, re.M))
    assert declared and {name: PREDECLARED_PREFIXES.get(name) for name in declared} == declared

"""The kinds registry: every kind declared once, and everything that should follow from it does."""
from __future__ import annotations

import re

import pytest

from kg.model.kinds import KINDS, LINKS, counted_classes, edge_predicates, kind_by_slug, view_kinds
from visualizations.styles import STYLES

from tests.conftest import ROOT


def test_kinds_slugs_plurals_and_classes_are_unique() -> None:
    for attribute in ("slug", "plural", "rdf_class"):
        values = [getattr(kind, attribute) for kind in KINDS.values()]
        assert len(values) == len(set(values)), attribute
    assert all(kind_by_slug(kind.slug) is kind for kind in KINDS.values())


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_issue_13_every_kind_is_counted_filtered_and_styled(kind) -> None:
    assert {"class": ("iri", kind.rdf_class)} in counted_classes(), "the graph's counts must count it"
    for flt in kind.filters:
        assert kind_by_slug(flt.target) is not None, f"filter {flt.name} targets an unknown kind"
        assert re.fullmatch(r"[a-z_]+", flt.name)
    if kind.in_views:
        assert kind.style_key in STYLES, f"no view style {kind.style_key!r} for {kind.slug}"
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", kind.example_id)


def test_kinds_link_names_do_not_collide_with_values() -> None:
    assert set(edge_predicates()) <= set(LINKS)
    assert set(view_kinds()) <= {kind.slug for kind in KINDS.values()}


def test_issue_13_docs_architecture_lists_every_kind() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"`/api/{kind.plural}`" in text, kind.plural

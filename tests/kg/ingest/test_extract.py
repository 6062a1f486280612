"""Proposals from a small text, checked by hand against what it says."""
from __future__ import annotations

import pytest

from kg.ingest.extract import extract
from kg.ingest.gazetteer import Gazetteer
from kg.ingest.text import read_document

from tests.kg.ingest.conftest import EXAMPLE


@pytest.fixture(scope="module")
def proposals(built, settings):
    return extract(read_document(EXAMPLE), "example-note", Gazetteer.from_graph(built.dataset, settings.base_iri))


def _by_label(proposals, kind: str) -> dict:
    return {p.label: p for p in proposals.of_kind(kind)}


def test_policies_with_genre_date_precision_issuer_and_number(proposals) -> None:
    policies = _by_label(proposals, "policies")
    plan = policies["Implementation Plan for Building Municipal Industry-Education Consortia in Ningbo (2024-2026)"]
    assert plan.type == "Plan" and plan.match is None
    assert [(v, s) for v, _, s in plan.values["issued"]] == [("2024-03", "stated")]
    assert [(l.target, l.known) for l in plan.links if l.field == "issued_by"] == [
        ("ningbo-municipal-bureau-education", False)]
    notice = policies["Notice on Strengthening Teacher Training for Vocational Colleges"]
    assert notice.type == "Notice"
    assert [(v, s) for v, _, s in notice.values["issued"]] == [("2024-06", "resolved")]  # "June of the same year"
    assert [v for v, _, _ in notice.values["number"]] == ["Jiao Shi Han [2024] No. 7"]
    assert [(l.target, l.known) for l in notice.links if l.field == "issued_by"] == [("ministry-of-education", True)]


def test_known_entities_are_proposed_as_matches_never_merged(proposals) -> None:
    opinions = next(p for p in proposals.of_kind("policies") if p.match)
    assert opinions.match.known.id == "several-opinions-deepening-industry-education-integration-2017"
    assert opinions.match.score == 100.0
    assert [(v, s) for v, _, s in opinions.values["issued"]] == [("2017-12", "stated")]
    assert {p.match.known.id for p in proposals.of_kind("regions")} == {"ningbo"}


def test_actors_typed_and_placed(proposals) -> None:
    bureau = _by_label(proposals, "actors")["Ningbo Municipal Bureau of Education"]
    assert bureau.type == "GovernmentBody" and bureau.match is None
    assert [(l.field, l.target) for l in bureau.links] == [("located_in", "ningbo")]


def test_mechanisms_from_headings_and_phrases_with_their_problem(proposals) -> None:
    mechanisms = _by_label(proposals, "mechanisms")
    assert mechanisms["Incentive mechanism"].anchors[0].phrase == "Construction of the Incentive Mechanism"
    fund = mechanisms["Risk compensation fund for school-enterprise cooperation"]
    links = {(l.field, l.target) for l in fund.links}
    assert ("broader", "incentive-mechanism") in links  # named under the heading's mechanism
    assert any(f == "addresses" and "lack-enterprise-participation" in t for f, t in links)


def test_problems_with_causes_and_where_they_are_faced(proposals) -> None:
    problems = _by_label(proposals, "problems")
    assert {"Lack of enterprise participation", "Insufficient teacher training",
            "Insufficient incentive policies"} <= set(problems)
    heading = problems["Lack of enterprise participation"]
    assert any(a.section == "2.1" for a in heading.anchors)


def test_every_anchor_is_verbatim_and_short(proposals) -> None:
    from kg.build.anchors import normalise_space
    text = normalise_space(EXAMPLE.read_text(encoding="utf-8"))
    anchors = [a for p in proposals.items.values() for a in p.anchors]
    anchors += [l.anchor for p in proposals.items.values() for l in p.links]
    assert anchors and all(normalise_space(a.phrase) in text and len(a.phrase.split()) <= 12 for a in anchors)


def test_a_section_of_mechanism_headings_is_a_framework(proposals) -> None:
    [(label, anchor, tops)] = proposals.frameworks
    assert label == "2-mechanism framework of incentive and evaluation"
    assert [t.label for t in tops] == ["Incentive mechanism", "Evaluation mechanism"]
    assert (anchor.section, anchor.phrase) == ("3", "Mechanism Construction")

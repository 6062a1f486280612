"""Issue 14: descriptions, translated and official Chinese labels, strategies, source issues and cross-source
links, on the kitchen sink (exact) and on the real data (present, cited, and honest)."""
from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.checks.issues import list_source_issues
from kg.errors import LoadError
from kg.model.vocab import SEIKG

from tests.conftest import ROOT

BASE = "https://w3id.org/seikg/id/"


def test_issue_14_a_description_is_traced_to_its_source_and_sections(ks_graph) -> None:
    mechanism = URIRef(BASE + "mechanism/joint-platform-mechanism")
    texts = {t.language for t in ks_graph.objects(mechanism, DCTERMS.description)}
    assert texts == {"en", "zh"}
    (node,) = ks_graph.subjects(SEIKG.describes, mechanism)
    assert (node, RDF.type, SEIKG.Description) in ks_graph
    assert set(ks_graph.objects(node, SEIKG.inSource)) == {URIRef(BASE + "source/ks-paper")}
    assert set(ks_graph.objects(node, SEIKG.section)) == {Literal("3")}


def test_issue_14_a_translated_chinese_label_is_marked_and_an_official_one_cites_its_source(ks_graph) -> None:
    strategy = URIRef(BASE + "strategy/talent-strategy")
    assert (strategy, SEIKG.translatedLabel, Literal("人才强国战略", lang="zh")) in ks_graph
    source = URIRef(BASE + "source/ks-paper")
    assert not list(ks_graph.objects(source, SEIKG.translatedLabel))  # a source's own title


def test_issue_14_the_json_detail_shows_descriptions_and_source_issues(client) -> None:
    detail = client.get("/api/mechanisms/joint-platform-mechanism").json()
    (description,) = detail["descriptions"]
    assert description["sections"] == ["3"] and description["zh"]
    notice = client.get("/api/policies/example-notice").json()
    assert {link["id"] for link in notice["links"]["source_issues"]} == {"ks-notice-dated-twice",
                                                                        "example-notice-date"}
    issue = client.get("/api/issues/ks-notice-dated-twice").json()
    assert all(side["evidence"] for side in issue["values"]["claim"])  # both sides carry their evidence
    page = client.get("/policies/example-notice").text
    assert "ks-notice-dated-twice" in page or "dated March in the text" in page


def test_issue_14_a_source_issue_side_must_cite_a_verbatim_anchor(ks_copy) -> None:
    from kg import build_dataset
    bad = ks_copy.data_dir / "bad.yaml"
    bad.write_text("source_issues:\n  - id: bad-issue\n    kind: date\n    label: dated twice\n"
                   "    about: [example-notice]\n    note: the sides disagree\n    sides:\n"
                   "      - {claim: March, src: ks-paper, sec: \"1\", anchor: \"words the paper never wrote\"}\n",
                   encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        build_dataset(ks_copy)
    assert any(i.path.endswith("bad.yaml") and i.line == 8 and "anchor" in i.message for i in caught.value.issues)
    bad.write_text("source_issues:\n  - {id: bad-kind, kind: typo, label: x, about: [example-notice], note: y,"
                   " sides: []}\n", encoding="utf-8")
    with pytest.raises(LoadError, match="unknown kind 'typo'"):
        build_dataset(ks_copy)


def test_issue_14_an_issue_concerns_every_text_its_sides_quote(ks_copy) -> None:
    from kg import build_dataset, union_graph
    path = ks_copy.data_dir / "kitchen_sink.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("about: [example-notice, ks-paper]", "about: [example-notice]"), encoding="utf-8")
    graph = union_graph(build_dataset(ks_copy).dataset)
    issue, paper = URIRef(BASE + "issue/ks-notice-dated-twice"), URIRef(BASE + "source/ks-paper")
    assert (issue, SEIKG.issueAbout, paper) in graph  # quoted by both sides, so it concerns the paper
    anchors = {str(a) for ev in graph.subjects(RDF.subject, issue)
               if (ev, RDF.predicate, SEIKG.issueAbout) in graph and (ev, RDF.object, paper) in graph
               for a in graph.objects(ev, SEIKG.anchor)}
    assert anchors == {"In March of the same year", "Its reference list dates it (2020-05-01)."}


def test_issue_14_a_papers_issues_are_listed_on_its_page_and_by_the_source_filter(real_client) -> None:
    listed = real_client.get("/api/issues", params={"source": "fu-huang-sun-2025", "per_page": 200}).json()
    ids = {item["id"] for item in listed["items"]}
    assert len([i for i in ids if i.startswith("fu-")]) >= 30  # every issue its sides quote, not the 4 about it
    detail = real_client.get("/api/sources/fu-huang-sun-2025").json()
    assert ids <= {link["id"] for link in detail["links"]["source_issues"]}


def test_issue_14_every_source_issue_of_the_real_data_has_two_cited_sides_or_more(real_graph) -> None:
    issues = list_source_issues(real_graph)
    assert len(issues) > 100
    kinds = {issue.kind for issue in issues}
    assert {"date", "name-variant", "naming", "garbled", "overreach", "count", "conflict"} <= kinds
    for issue in issues:
        assert issue.label and issue.note and issue.about, issue.iri
        assert issue.kind == "conflict" or len(issue.sides) >= 1, issue.iri
    by_source = list_source_issues(real_graph, source=BASE + "source/xu-lingling", kind="naming")
    assert by_source and all(i.kind == "naming" for i in by_source)


def test_issue_14_chinese_labels_are_searchable_and_translations_are_marked(real_graph) -> None:
    zh = {str(o) for o in real_graph.objects(None, RDFS.label) if getattr(o, "language", None) == "zh"}
    for term in ("教育部", "产教融合", "试点"):
        assert any(term in label for label in zh), term
    moe = URIRef(BASE + "actor/ministry-of-education")
    assert not list(real_graph.objects(moe, SEIKG.translatedLabel))  # official, cited to the ministry's site
    translated = set(real_graph.subjects(SEIKG.translatedLabel, None))
    mechanisms = set(real_graph.subjects(RDF.type, SEIKG.Mechanism))
    assert len(translated & mechanisms) > 0.8 * len(mechanisms)


def test_issue_14_cross_source_links_are_marked(real_graph) -> None:
    marked = list(real_graph.subjects(SEIKG.crossSource, Literal(True)))
    assert marked
    for evidence in marked:
        source, problem = real_graph.value(evidence, SEIKG.inSource), real_graph.value(evidence, RDF.object)
        assert (source, SEIKG.identifiesProblem, problem) not in real_graph


def test_issue_14_docs_give_the_papers_share_of_colleges_without_legal_personality() -> None:
    text = re.sub(r"\s+", " ", (ROOT / "docs" / "analyses.md").read_text(encoding="utf-8"))
    assert "77.24% of the industrial colleges" in text and " 24% of industrial colleges" not in text


def test_issue_14_an_official_chinese_name_shows_where_it_comes_from(real_client) -> None:
    detail = real_client.get("/api/mechanisms/industry-education-integration-enterprises").json()
    assert detail["label_zh"] == "产教融合型企业" and not detail["label_zh_translated"]
    assert [ev["anchor"] for ev in detail["label_zh_evidence"]] == ["建设产教融合型企业实施办法（试行）"]
    page = real_client.get("/mechanisms/industry-education-integration-enterprises").text
    assert "official name:" in page and "建设产教融合型企业实施办法（试行）" in page
    policy = real_client.get("/policies/implementation-measures-industry-education-integration-enterprises-2019").text
    assert "official name:" in policy and "curators' translation" not in policy.split("<nav class=\"twins\"", 1)[0]
    translated = real_client.get("/mechanisms/municipal-industry-education-consortium").text
    assert "curators' translation" in translated.split("<nav class=\"twins\"", 1)[0]


def test_issue_14_a_paper_reports_what_policies_set_up_and_proposes_its_own(real_graph) -> None:
    fu = URIRef(BASE + "source/fu-huang-sun-2025")
    reported = {str(m).rsplit("/", 1)[-1] for m in real_graph.objects(fu, SEIKG.reportsMechanism)}
    proposed = {str(m).rsplit("/", 1)[-1] for m in real_graph.objects(fu, SEIKG.proposesMechanism)}
    assert {"second-batch-of-integration-pilots", "finance-land-credit-combined-incentives",
            "all-round-support-for-park-and-talent-families"} <= reported  # set up by the 2019 plan, Hefei
    assert {"red-light-warning-and-rectification-deadline", "performance-oriented-assessment-of-local-governments",
            "pairing-assistance-between-developed-and-underdeveloped-areas"} <= proposed  # the paper's own
    assert not (reported - {"modern-vocational-education-system"}) & proposed

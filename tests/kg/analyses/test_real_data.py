"""The analyses on the real data: the SPARQL proofs agree for every region, and docs/analyses.md stays true."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.analyses import AnalysisSuite, run_analyses
from kg.analyses.tables import tabulate
from kg.build.export import serialize_dataset
from kg.projection import project_graph
from kg.sparql.queries import bind_values, load_query

from tests.conftest import ROOT

DOC = (ROOT / "docs" / "analyses.md").read_text(encoding="utf-8")
REGION = "https://w3id.org/seikg/id/region/"


@pytest.fixture(scope="module")
def suite(built) -> AnalysisSuite:
    return run_analyses(project_graph(built.dataset, version="real"))


@pytest.fixture(scope="module")
def store(built) -> ox.Store:
    store = ox.Store()
    store.load(serialize_dataset(built.dataset, "nquads"), format=ox.RdfFormat.N_QUADS)
    return store


def _select(store: ox.Store, text: str) -> list:
    return list(store.query(text, use_default_graph_as_union=True))


def test_real_every_region_gap_set_equals_its_sparql_proof(suite, store) -> None:
    assert len(suite.region_gaps) == len(suite.projections.nodes_of("region")) > 30
    for region, result in suite.region_gaps.items():
        proved = {row["problem"].value for row in _select(store, result.method.sparql)}
        assert proved == {g.problem.iri for g in result.gaps}, region
        present = _select(store, bind_values(load_query("region_present"), {"region": ("iri", region)}))
        assert {row["mechanism"].value for row in present} == {m.iri for m in result.present}, region


def test_real_coverage_equals_its_sparql(suite, store) -> None:
    rows = {r["problem"].value: (int(r["mechanisms"].value), int(r["establishedMechanisms"].value))
            for r in _select(store, suite.problems.method.sparql)}
    assert {p for p, (n, _) in rows.items() if n == 0} == {s.iri for s in suite.problems.orphans}
    assert {p for p, (n, _) in rows.items() if n == 1} == {s.iri for s in suite.problems.fragile}
    assert {p for p, (n, e) in rows.items() if n and not e} == {s.iri for s in suite.problems.proposals_only}
    for framework in suite.frameworks:
        rows = _select(store, framework.method.sparql)
        uncovered = {r["component"].value for r in rows if r["framework"].value == framework.iri
                     and int(r["policies"].value) == 0 and int(r["actors"].value) == 0}
        assert uncovered == {c.iri for c in framework.uncovered}, framework.label


@pytest.mark.parametrize("region", ["western-region", "zhejiang", "tangshan"])
def test_real_worked_example_titles_in_the_doc_are_current(suite, region: str) -> None:
    title = tabulate(suite.gaps(REGION + region))[0].title
    assert f"seikg analyze gaps --region {region}" in DOC
    assert title in DOC, f"docs/analyses.md quotes an outdated result for {region}: {title}"


def test_real_western_region_gaps_as_the_papers_say(suite) -> None:
    result = suite.gaps(REGION + "western-region")
    own = {g.problem.iri.rsplit("/", 1)[-1]: g for g in result.gaps
           if any(f.region.iri == REGION + "western-region" for f in g.faced_in)}
    # Xu §2.2 and Fu et al. §3.1 (the causes of superficial cooperation in underdeveloped areas)
    assert set(own) == {"regional-imbalance-of-vocational-education-resources", "resource-endowment-limitations",
                        "uneven-regional-development", "shortage-and-ageing-of-training-equipment",
                        "insufficient-and-under-qualified-teachers", "lack-of-enterprise-resources-in-underdeveloped-areas",
                        "superficial-cooperation-in-underdeveloped-areas"}
    endowment = own["resource-endowment-limitations"]
    assert [(e.source.rsplit("/", 1)[-1], e.section) for f in endowment.faced_in for e in f.evidence] == [
        ("xu-lingling", "2.2")] * 2  # one passage names the regions, the other the problem
    assert [c.iri.rsplit("/", 1)[-1] for c in endowment.candidates] == [
        "differentiated-regional-implementation-rules", "resources-directed-to-central-and-western-regions"]
    via_actor = [m.label for m in result.present if any(v.kind == "actor" for v in m.via)]
    assert via_actor == ['"1121" deep integration model: one center, one incubation, two focuses, one sharing']


def test_real_zhejiang_covers_what_hebei_lacks(suite) -> None:
    matrix = suite.compare([REGION + "zhejiang", REGION + "hebei"])
    row = next(r for r in matrix.rows if r.mechanism.iri.endswith("/quasi-corporatisation-of-integration-organisations"))
    assert [c.status for c in row.cells] == ["present", "candidate"]
    zhejiang = {g.problem.iri for g in suite.gaps(REGION + "zhejiang").gaps}
    hebei = {g.problem.iri for g in suite.gaps(REGION + "hebei").gaps}
    assert hebei - zhejiang == {"https://w3id.org/seikg/id/problem/" + p for p in (
        "industrial-colleges-without-legal-personality", "industrial-colleges-attached-to-school-administration",
        "loose-school-led-organisational-model")}
    assert zhejiang <= hebei


def test_real_tangshan_pilot_city_mechanisms_apply_directly(suite) -> None:
    result = suite.gaps(REGION + "tangshan")
    direct = sorted(m.iri.rsplit("/", 1)[-1] for m in result.present
                    if any(v.region.iri == REGION + "tangshan" for v in m.via))
    assert direct == ["combined-incentive-policy-system", "industry-education-integration-enterprises",
                      "industry-education-integration-industries", "industry-education-integration-pilot-cities",
                      "integration-pilot-promotion", "pilot-cities-inclined-to-key-industries",
                      "second-batch-of-integration-pilots"]
    assert len(result.covered) == 11  # docs/analyses.md: "Eleven problems are covered"
    gap = next(g for g in result.gaps if g.problem.iri.endswith("/policy-implementation-last-mile"))
    assert all(c.established_by == 0 for c in gap.candidates) and len(gap.candidates) == 3


def test_real_doc_counts_are_current(suite) -> None:
    coverage = suite.problems
    problems = len(suite.projections.nodes_of("problem"))
    assert f"{len(coverage.proposals_only)} of the {problems} problems are proposal-only, {len(coverage.orphans)} are " \
           f"orphans" in re.sub(r"\s+", " ", DOC)


def test_real_doc_sparql_runs_next_to_the_data(suite, built) -> None:
    from rdflib import Dataset

    from kg.analyses.rdf import analysis_graph_iri, suite_to_rdf
    dataset = Dataset()
    named = dataset.graph(analysis_graph_iri("https://w3id.org/seikg/"))
    named += suite_to_rdf(suite, "https://w3id.org/seikg/")
    store = ox.Store()
    store.load(serialize_dataset(built.dataset, "nquads") + serialize_dataset(dataset, "nquads"),
               format=ox.RdfFormat.N_QUADS)
    (query,) = re.findall(r"```sparql\n(.*?)```", DOC, re.S)
    rows = _select(store, query)
    counts = [int(row["regions"].value) for row in rows]
    assert len(rows) == 5 and counts == sorted(counts, reverse=True) and counts[-1] > 0
    widest = max(sum(1 for r in suite.region_gaps.values() for g in r.gaps if g.problem.iri == p)
                 for p in {g.problem.iri for r in suite.region_gaps.values() for g in r.gaps})
    assert counts[0] == widest


def test_issue_14_coverage_and_gaps_say_whether_cross_paper_links_count(suite, store) -> None:
    links = suite.projections.cross_source_links()
    assert links, "the real data has cross-paper addressesProblem links"
    reduced = suite.projections.without_cross_source()
    assert not reduced.cross_source and reduced.cross_source_links() == []
    assert all(not reduced.entity.has_edge(m, p, key="addressesProblem") for m, p in links)
    included, excluded = suite.result("coverage"), suite.result("coverage", cross_source=False)
    assert included.method.parameters["cross_source"] == "include" and f"counts the {len(links)}" in \
        included.method.description
    assert excluded.method.parameters["cross_source"] == "exclude" and "leaves out" in excluded.method.description
    # leaving the links out can only add orphans, and each proof in SPARQL agrees with its result
    assert {s.iri for s in included.orphans} <= {s.iri for s in excluded.orphans}
    assert {s.iri for s in included.orphans} != {s.iri for s in excluded.orphans}
    rows = {r["problem"].value: int(r["mechanisms"].value) for r in _select(store, excluded.method.sparql)}
    assert {p for p, n in rows.items() if n == 0} == {s.iri for s in excluded.orphans}
    changed = 0
    for region, result in suite.result("region-gaps", cross_source=False).items():
        proved = {row["problem"].value for row in _select(store, result.method.sparql)}
        assert proved == {g.problem.iri for g in result.gaps}, region
        changed += {g.problem.iri for g in result.gaps} != {g.problem.iri for g in suite.gaps(region).gaps}
    assert changed, "some region has a gap that only a cross-paper link covers"


def test_issue_14_cross_source_exclude_is_refused_where_it_means_nothing(suite) -> None:
    from kg.errors import InvalidArgument
    with pytest.raises(InvalidArgument, match="cross_source"):
        suite.result("timeline", cross_source=False)


def test_issue_15_east_and_west_compared_statistics_and_differences_first(suite) -> None:
    result = suite.compare([REGION + "eastern-region", REGION + "western-region"])
    pilot = next(r for r in result.statistics if r.measure.startswith("share of the first batch"))
    assert pilot.cells == ("52.4%", "19%")  # the measure and its period head the row
    first = result.problems[0]
    assert first.differs and first.cells == ("not faced", "own gap")
    assert all(not row.differs for row in result.problems[[r.differs for r in result.problems].index(False):])
    west = suite.gaps(REGION + "western-region")
    assert west.own_gaps == 7 and all(g.layer == "own" for g in west.gaps[:7])
    assert all(any(f.layer == "own" and f.evidence for f in g.faced_in) for g in west.gaps[:7])


def test_issue_15_region_measures_count_from_the_gap_analyses_and_the_places_inside(suite: AnalysisSuite) -> None:
    measures = {p.region.iri.rsplit("/", 1)[-1]: p for p in suite.region_measures.places}
    assert "brics-countries" not in measures  # a macro-region, but not one of China's
    assert {p.level for p in measures.values()} == {"province", "macro-region"}
    for ident, place in measures.items():
        gaps = suite.gaps(REGION + ident)
        assert place.values["gaps"] == len(gaps.gaps) and place.values["own-problems"] == gaps.own_problems
        assert place.values["present-mechanisms"] == len(gaps.present)
    # the papers name Jinnan District (Tianjin), Tangshan (Hebei), Ningbo (Zhejiang), Qingdao (Shandong), Hefei
    # (Anhui) among the first pilot cities: four in the east, one in the centre
    assert measures["eastern-region"].values["pilot-cities"] == 4
    assert measures["central-region"].values["pilot-cities"] == 1 == measures["anhui"].values["pilot-cities"]
    assert measures["western-region"].values["pilot-cities"] == 0
    assert measures["hunan"].within.label == "Central region of China"

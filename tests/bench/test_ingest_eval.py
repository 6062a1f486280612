"""The leave-one-out evaluation never lets ingest see the held-out paper's curated entries, and scores
what it proposes."""
from __future__ import annotations

import pytest

from bench import ingest_eval
from bench.ingest_eval import evidence_by_entity, heldout_graph, kind_of, truth_for
from kg.checks.validate import union_graph

pytestmark = [pytest.mark.bench, pytest.mark.slow]


@pytest.fixture(scope="module")
def graph(built):
    return union_graph(built.dataset)


def _only_from(graph, evidence, source: str) -> set[str]:
    return {str(e).rsplit("/", 1)[-1] for e, rows in evidence.items()
            if kind_of(graph, e) and rows and all(r[0] == source for r in rows)}


def test_heldout_gazetteer_has_nothing_only_the_paper_names(graph, settings, seeds_dir) -> None:
    from kg.ingest.gazetteer import Gazetteer
    evidence = evidence_by_entity(graph)
    for source in ("fu-huang-sun-2025", "zhang-qu-2025", "xu-lingling", "li-peng-fan-wang", "ijnde-2025"):
        exclusive = _only_from(graph, evidence, source)
        assert exclusive, source  # every paper names something no other source does
        held_out = heldout_graph(graph, evidence, source)
        known = {str(s).rsplit("/", 1)[-1] for s in held_out.subjects()}
        assert not known & exclusive, source
        labels = {str(o) for e, rows in evidence.items() if str(e).rsplit("/", 1)[-1] in exclusive
                  for o in graph.objects(e, __import__("rdflib").RDFS.label)}
        assert not labels & {str(o) for o in held_out.objects()}, source
        # what the gazetteer holds comes from the held-out graph (and the shipped lists), nothing else
        gazetteer = Gazetteer.from_graph(held_out, settings.base_iri)
        assert not {e.id for e in gazetteer.entities if e.kind in ("policies", "mechanisms", "problems")} & exclusive


def test_evaluation_ingests_each_paper_with_its_heldout_gazetteer_only(graph, monkeypatch, seeds_dir) -> None:
    import kg.ingest.extract as extract_module
    evidence = evidence_by_entity(graph)
    seen: list[tuple[str, set[str]]] = []
    real = extract_module.extract

    def spy(document, source_id, gazetteer):  # noqa: ANN001, ANN202
        seen.append((source_id, {(e.kind, e.id) for e in gazetteer.entities}))
        return real(document, source_id, gazetteer)

    monkeypatch.setattr(extract_module, "extract", spy)
    results = ingest_eval.evaluate()
    assert sorted(s for s, _ in seen) == sorted(results["papers"]) and len(seen) == 5
    for source, known in seen:
        exclusive = _only_from(graph, evidence, source)
        leaked = {i for k, i in known if i in exclusive and k in ("policies", "mechanisms", "problems")}
        assert not leaked, (source, sorted(leaked)[:5])
    total = results["total"]
    assert set(total) == {"policies", "actors", "regions", "mechanisms", "problems", "links", "issuers", "dates"}
    assert all(0 <= (r["recall"] or 0) <= 1 and r["truth"] > 0 for r in total.values())
    assert "**Total**" in ingest_eval.markdown(results)


def test_truth_is_what_the_paper_supports(graph) -> None:
    evidence = evidence_by_entity(graph)
    truth = truth_for(graph, evidence, "fu-huang-sun-2025")
    assert "outline-strong-education-country-2024-2035" in truth.entities["policies"]
    assert ("outline-strong-education-country-2024-2035", "2025-01-19") in truth.dates  # both dates it gives
    assert ("outline-strong-education-country-2024-2035", "2025-04") in truth.dates
    assert ("several-opinions-deepening-industry-education-integration-2017",
            "general-office-of-the-state-council") in truth.issuers

"""Tests of kg.build.loader: the real data, the kitchen sink, and one invalid file per loader error."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from kg import LoadError, Settings, build_dataset, graph_iris, serialize_dataset
from kg.model.vocab import SEIKG

from tests.conftest import KITCHEN_SINK, ROOT, TESTS

INVALID = sorted((TESTS / "data" / "invalid" / "load").glob("*.yaml"))
BASE = "https://w3id.org/seikg/id/"


def _expectation(path: Path) -> tuple[str, str, int]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    header = text.splitlines()[0]
    assert header.startswith("# expect:"), f"{path.name} lacks an '# expect: FIELD :: MESSAGE' header"
    fld, message = (part.strip() for part in header[len("# expect:"):].split("::", 1))
    marked = [n for n, line in enumerate(text.splitlines(), start=1) if "# <- error" in line]
    return fld, message, marked[0] if marked else 0


def test_load_real_data_meets_the_floors(built) -> None:
    counts = built.entity_counts
    assert counts["policies"] >= 15
    assert counts["actors"] >= 60
    assert counts["mechanisms"] >= 90
    assert counts["problems"] >= 45
    assert counts["regions"] >= 25


def test_load_every_seed_paper_is_a_source_with_its_identifier(real_graph, seeds_dir: Path) -> None:
    identifiers = {str(o) for s in real_graph.subjects(RDF.type, SEIKG.Source)
                   for o in real_graph.objects(s, DCTERMS.identifier)}
    for seed in seeds_dir.glob("*.txt"):
        assert seed.stem in identifiers, f"no Source carries dcterms:identifier {seed.stem!r}"


def test_load_checks_every_seed_anchor(built, seeds_dir: Path) -> None:
    assert built.anchors_checked > 1000
    assert 0 < built.anchors_skipped < built.anchors_checked / 20  # only the few outside-seed sources


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_load_rejects_invalid_file(path: Path, ks_copy: Settings) -> None:
    fld, message, line = _expectation(path)
    shutil.copy(path, ks_copy.data_dir / path.name)
    with pytest.raises(LoadError) as caught:
        build_dataset(ks_copy)
    # an issue names the file as its location, or (for a duplicate id) as the first definition
    mine = [i for i in caught.value.issues if Path(i.path).name == path.name or path.name in i.message]
    assert mine, f"no issue names {path.name}: {caught.value}"
    matching = [i for i in mine if i.field == fld and message in i.message]
    assert matching, f"expected field {fld!r} with {message!r}, got: {[str(i) for i in mine]}"
    if line:
        located = [i for i in matching if (Path(i.path).name == path.name and i.line == line)
                   or f"{path.name}:{line}" in i.message]
        assert located, f"expected line {line}: {[str(i) for i in matching]}"


def test_load_reports_every_error_not_just_the_first(ks_copy: Settings) -> None:
    for name in ("unknown_field.yaml", "dangling_reference.yaml", "wrong_date_format.yaml"):
        shutil.copy(TESTS / "data" / "invalid" / "load" / name, ks_copy.data_dir / name)
    with pytest.raises(LoadError) as caught:
        build_dataset(ks_copy)
    files = {Path(i.path).name for i in caught.value.issues}
    assert {"unknown_field.yaml", "dangling_reference.yaml", "wrong_date_format.yaml"} <= files


def test_load_skips_anchor_checks_without_seeds(ks_copy: Settings) -> None:
    shutil.copy(TESTS / "data" / "invalid" / "load" / "anchor_not_in_source.yaml", ks_copy.data_dir)
    built = build_dataset(replace(ks_copy, seeds_dir=None))
    assert built.anchors_checked == 0
    assert built.anchors_skipped > 0


def test_load_empty_data_folder_is_an_error(tmp_path: Path, ks_settings: Settings) -> None:
    with pytest.raises(LoadError, match="no \\*.yaml files"):
        build_dataset(replace(ks_settings, data_dir=tmp_path))


def test_load_kitchen_sink_matches_golden(ks_built, request: pytest.FixtureRequest) -> None:
    _, data_iri = graph_iris(Settings().base_iri)
    data = Graph()
    data.bind("seikg", str(SEIKG._NS))
    for triple in ks_built.dataset.graph(data_iri):
        data.add(triple)
    golden_path = TESTS / "data" / "kitchen_sink.ttl"
    if request.config.getoption("--update-golden"):
        data.serialize(golden_path, format="turtle")
    golden = Graph().parse(golden_path, format="turtle")
    if not isomorphic(data, golden):
        _, only_built, only_golden = graph_diff(to_isomorphic(data), to_isomorphic(golden))
        pytest.fail("kitchen-sink graph differs from tests/data/kitchen_sink.ttl\n"
                    f"only in the build:\n{only_built.serialize(format='nt')}\n"
                    f"only in the golden file:\n{only_golden.serialize(format='nt')}")


def test_load_dates_keep_their_precision(ks_graph) -> None:
    notice = URIRef(BASE + "policy/example-notice")
    dates = set(ks_graph.objects(notice, DCTERMS.issued))
    assert Literal("2020-03", datatype=XSD.gYearMonth) in dates
    assert Literal("2020-05-01", datatype=XSD.date) in dates


def test_load_resolved_dates_say_so(real_graph) -> None:
    measures = URIRef(BASE + "policy/implementation-measures-industry-education-integration-enterprises-2019")
    assert (measures, DCTERMS.issued, Literal("2019-04", datatype=XSD.gYearMonth)) in real_graph
    evidence = [e for e in real_graph.subjects(RDF.subject, measures)
                if (e, RDF.predicate, DCTERMS.issued) in real_graph]
    assert [real_graph.value(e, SEIKG.support) for e in evidence] == [SEIKG.ResolvedFromContext]


def test_load_inverse_fields_write_the_source_side(ks_graph) -> None:
    paper = URIRef(BASE + "source/ks-paper")
    assert (paper, SEIKG.proposesMechanism, URIRef(BASE + "mechanism/shared-fund")) in ks_graph
    assert (paper, SEIKG.identifiesProblem, URIRef(BASE + "problem/low-enthusiasm")) in ks_graph
    assert (URIRef(BASE + "region/example-city"), SEIKG.facesProblem,
            URIRef(BASE + "problem/low-enthusiasm")) in ks_graph


def test_load_framework_membership_is_derived(ks_graph) -> None:
    from rdflib.namespace import SKOS
    framework = URIRef(BASE + "framework/ks-framework")
    members = set(ks_graph.subjects(SKOS.inScheme, framework))
    assert members == {URIRef(BASE + "mechanism/joint-platform-mechanism"), URIRef(BASE + "mechanism/shared-fund")}


@pytest.mark.slow  # quick loop: see README
def test_issue_2_build_is_byte_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        target = tmp_path / f"build-{seed}.nq"
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "-o", str(target)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    lines = outputs[0].decode("utf-8").splitlines()
    assert lines == sorted(lines)


def test_load_build_twice_in_process_is_identical(ks_settings: Settings) -> None:
    first = serialize_dataset(build_dataset(ks_settings).dataset, "nquads")
    second = serialize_dataset(build_dataset(ks_settings).dataset, "nquads")
    assert first == second


def test_load_kitchen_sink_exercises_every_field() -> None:
    from kg.build import schema
    text = (KITCHEN_SINK / "data" / "kitchen_sink.yaml").read_text(encoding="utf-8")
    for kind in schema.KINDS.values():
        if not kind.fields and not kind.types:  # a kind of the registry alone has only the common fields
            continue
        assert f"\n{kind.key}:" in text, f"kitchen sink lacks {kind.key}"
        for name in kind.fields:
            assert f" {name}:" in text, f"kitchen sink never uses {kind.key}.{name}"

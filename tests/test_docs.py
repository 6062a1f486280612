"""Docs stay true: README queries run, every command, field and contract term is documented, CI runs the README's tests."""
from __future__ import annotations

import re

import pytest

from kg import run_query

from kg.build import schema
from kg.cli.main import _parser

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CURATION = (ROOT / "docs" / "curation.md").read_text(encoding="utf-8")
SPARQL_BLOCKS = re.findall(r"```sparql\n(.*?)```", README, re.S)
CONTRACT = ["seikg:PolicyDocument", "seikg:Actor", "seikg:Mechanism", "seikg:Problem", "seikg:Region",
            "seikg:Source", "rdfs:label", "seikg:issuedBy", "dcterms:issued", "dcterms:identifier",
            "seikg:establishesMechanism", "seikg:appliesToRegion", "seikg:proposesMechanism",
            "seikg:identifiesProblem", "seikg:addressesProblem", "seikg:involvesActor",
            "seikg:implementsMechanism", "seikg:locatedIn", "seikg:partOfRegion", "seikg:facesProblem",
            "skos:broader", "org:subOrganizationOf"]


def _commands_in(markdown: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown, re.S)


@pytest.mark.parametrize("query", SPARQL_BLOCKS, ids=[f"readme-query-{i}" for i in range(len(SPARQL_BLOCKS))])
def test_docs_readme_queries_return_rows(query: str, real_graph) -> None:
    result = run_query(real_graph, query)
    assert len(list(result)) > 0


def test_docs_readme_has_an_example_query_per_contract_term() -> None:
    assert len(SPARQL_BLOCKS) >= 15
    queries = "\n".join(SPARQL_BLOCKS)
    for term in CONTRACT:
        assert term in README, f"{term} missing from the README's contract table"
        local = term.split(":")[1]
        if term.startswith("seikg:") and term[6].islower():
            assert local in queries, f"no README example query uses {term}"


def test_docs_readme_documents_every_cli_command_and_exit_code() -> None:
    parser = _parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    for name in subcommands:
        assert f"`seikg {name}" in README, f"seikg {name} is not documented in the README"
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in README


def test_docs_readme_documents_every_setting() -> None:
    from kg.cli.main import EPILOG
    for variable in re.findall(r"SEIKG_[A-Z_]+", EPILOG):
        assert variable in README, variable


def test_docs_ci_runs_the_readme_test_command() -> None:
    test_command = _commands_in(README)[1].strip()
    assert test_command.startswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


def test_docs_curation_guide_documents_every_field() -> None:
    fields = set(schema.COMMON_FIELDS) | set(schema.SOURCE_FIELDS) | set(schema.EVIDENCE_FIELDS) \
        | set(schema.QUANTITY_FIELDS) | set(schema.CONFLICT_FIELDS) | set(schema.STANDALONE_LINK_FIELDS)
    for kind in schema.KINDS.values():
        fields |= set(kind.fields)
        assert f"`{kind.key}`" in CURATION, kind.key
        for type_name in kind.types:
            assert f"`{type_name}`" in CURATION, type_name
    for name in sorted(fields):
        assert f"`{name}`" in CURATION, f"field {name!r} is not documented in docs/curation.md"
    for bound in schema.BOUNDS:
        assert f"`{bound}`" in CURATION, bound


def test_docs_readme_counts_match_the_graph(real_report) -> None:
    section = README[README.index("## What the graph holds"):README.index("## Evidence model")]
    for name, count in re.findall(r"\| `seikg:(\w+)` \| (\d+)", section):
        assert real_report.counts[name] == int(count), f"README says {count} {name}, graph has {real_report.counts[name]}"
    anchors = re.search(r"Every one of the ([\d,]+) anchors", section)
    assert anchors and int(anchors.group(1).replace(",", "")) == real_report.anchors.checked

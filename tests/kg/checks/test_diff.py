"""``seikg diff``: what changed per entity between two versions of the graph (issue 14)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from kg.build.export import serialize_dataset
from kg.build.loader import build_dataset
from kg.checks.diff import Change, diff_graphs
from kg.cli.main import main

BASE = "https://w3id.org/seikg/"
SKOS_BROADER = "http://www.w3.org/2004/02/skos/core#broader"


def _edit(settings, old: str, new: str) -> None:
    path = Path(settings.data_dir) / "kitchen_sink.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_issue_14_diff_of_a_graph_with_itself_is_empty(ks_built) -> None:
    assert diff_graphs(ks_built.dataset, ks_built.dataset, BASE).entities == ()


def test_issue_14_diff_lists_added_removed_and_changed_links_labels_and_evidence(ks_built, ks_copy) -> None:
    _edit(ks_copy, "label: Example Pilot Plan\n", "label: Example Pilot Plan (revised)\n")
    _edit(ks_copy, '    guided_by: [{to: example-notice, sec: "1", anchor: "The notice designates Example City as a '
                   'pilot area", support: implied}]\n', "")
    _edit(ks_copy, 'issued_by: [{to: example-general-office, sec: "1", anchor: "General Office issued the Example '
                   'Notice", support: implied}]',
          'issued_by: [{to: example-general-office, sec: "1", anchor: "General Office issued the Example Notice"}]')
    _edit(ks_copy, "actors:\n", "actors:\n  - id: new-body\n    type: GovernmentBody\n    label: New Body\n"
                                "    ev: [{src: ks-paper, sec: \"1\", anchor: \"the Example Ministry\"}]\n")
    result = diff_graphs(ks_built.dataset, build_dataset(ks_copy).dataset, BASE)
    by_iri = {e.iri.rsplit("/id/", 1)[-1]: e for e in result.entities}
    assert set(by_iri) == {"policy/example-pilot-plan", "actor/new-body"}
    assert by_iri["actor/new-body"].status == "added" and by_iri["actor/new-body"].label == "New Body"
    plan = by_iri["policy/example-pilot-plan"]
    assert plan.status == "changed" and plan.label == "Example Pilot Plan (revised)"
    assert Change("changed", "label", "http://www.w3.org/2000/01/rdf-schema#label@en", "Example Pilot Plan",
                  "Example Pilot Plan (revised)") in plan.changes
    assert Change("removed", "link", "https://w3id.org/seikg/ontology#guidedBy",
                  old=BASE + "id/policy/example-notice") in plan.changes
    evidence = [c for c in plan.changes if c.what == "evidence"]
    assert len(evidence) == 1 and "issuedBy" in evidence[0].predicate
    assert evidence[0].old.endswith("| implied") and evidence[0].new.endswith("| stated")
    assert result.counts() == {"added": 1, "removed": 0, "changed": 1, "changes": len(plan.changes)
                               + len(by_iri["actor/new-body"].changes)}


def test_issue_14_seikg_diff_reads_files_folders_and_git_revisions(ks_built, ks_copy, tmp_path, capsys) -> None:
    old_file = tmp_path / "old.nq"
    old_file.write_bytes(serialize_dataset(ks_built.dataset, "nquads"))
    repo = Path(ks_copy.data_dir).parent
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "data"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "commit", "-qm", "base"], check=True)
    _edit(ks_copy, "label: Example Pilot Plan\n", "label: Example Pilot Plan (revised)\n")
    seeds = ["--data", str(ks_copy.data_dir), "--seeds", str(ks_copy.seeds_dir)]
    for old in (str(old_file), "HEAD"):
        assert main([*seeds, "diff", old, str(ks_copy.data_dir), "--exit-code"]) == 1
        out = capsys.readouterr().out
        assert "0 entities added, 0 removed, 1 changed" in out
        assert '~ policy/example-pilot-plan  Example Pilot Plan (revised)' in out
        assert '~ label rdfs:label@en: "Example Pilot Plan" => "Example Pilot Plan (revised)"' in out
    assert main([*seeds, "diff", "HEAD", "HEAD", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["changes"] == 0
    assert main([*seeds, "diff", "no-such-thing", "HEAD"]) == 2
    assert "OLD: 'no-such-thing' is neither an RDF file, a data folder nor a git revision" in capsys.readouterr().err
    assert main([*seeds, "diff", str(old_file), str(old_file), "--draft", str(old_file)]) == 2
    assert "--draft" in capsys.readouterr().err

"""ingest -> draft -> validate --draft -> review -> data/, from the command line, on a copy of the real data.
Nothing in data/ changes except the one file review adds (and the text it copies)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from kg.cli.main import main
from kg.errors import LoadError
from kg.build.loader import build_dataset

from tests.kg.ingest.conftest import EXAMPLE


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cli(settings, *args: str) -> int:
    return main(["--data", str(settings.data_dir), *args])


@pytest.fixture
def draft(data_copy, tmp_path: Path) -> Path:
    target = tmp_path / "drafts" / "example.draft.yaml"
    assert _cli(data_copy, "ingest", str(EXAMPLE), "--source-id", "example-note", "-o", str(target)) == 0
    return target


@pytest.mark.slow  # quick loop: see README
def test_ingest_writes_a_draft_that_validates_and_never_touches_data(data_copy, draft: Path, capsys) -> None:
    before = _hashes(data_copy.data_dir)
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# seikg draft")
    document = yaml.safe_load(text)
    assert document["draft"]["source"] == "example-note"
    assert (draft.parent / document["draft"]["text"]).resolve() == EXAMPLE.resolve()
    assert {m["id"] for m in document["matches"]} >= {"ministry-of-education", "ningbo"}
    assert all("confidence" in e["review"] for e in document["policies"])
    assert _cli(data_copy, "validate", "--draft", str(draft)) == 0
    assert "conforms" in capsys.readouterr().out
    assert _hashes(data_copy.data_dir) == before


@pytest.mark.slow  # quick loop: see README
def test_review_writes_only_what_is_accepted_into_one_new_file(data_copy, draft: Path, monkeypatch) -> None:
    before = _hashes(data_copy.data_dir)
    answers = iter(["a", "e", "Notice on Teacher Training for Vocational Colleges", "a", "R"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert _cli(data_copy, "review", str(draft)) == 0
    after = _hashes(data_copy.data_dir)
    assert {k: v for k, v in after.items() if k in before} == before  # no other file changed
    assert set(after) - set(before) == {"ingested-example-note.yaml", "texts/example-note.txt"}
    written = yaml.safe_load((data_copy.data_dir / "ingested-example-note.yaml").read_text(encoding="utf-8"))
    labels = [p["label"] for p in written["policies"]]
    assert labels == ["Implementation Plan for Building Municipal Industry-Education Consortia in Ningbo (2024-2026)",
                      "Notice on Teacher Training for Vocational Colleges"]
    assert "review" not in yaml.safe_dump(written)
    plan = written["policies"][0]
    assert "issued_by" not in plan  # its issuer was rejected: the link went with it
    assert plan["issued"][0]["value"] == "2024-03"
    graph = build_dataset(data_copy).dataset
    assert any("notice-strengthening-teacher-training" in str(s) for s, _, _, _ in graph.quads((None, None, None, None)))


def test_review_quit_writes_nothing(data_copy, draft: Path, monkeypatch) -> None:
    before = _hashes(data_copy.data_dir)
    monkeypatch.setattr("builtins.input", lambda prompt="": "q")
    assert _cli(data_copy, "review", str(draft)) == 1
    assert _hashes(data_copy.data_dir) == before


def test_review_refuses_a_draft_that_collides_listing_every_collision(data_copy, draft: Path, capsys) -> None:
    text = draft.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    first, second = document["policies"][0]["id"], document["actors"][0]["id"]
    draft.write_text(text.replace(f"id: {first}\n", "id: state-council\n").replace(
        f"id: {second}\n", "id: ministry-of-education\n"), encoding="utf-8")
    before = _hashes(data_copy.data_dir)
    assert _cli(data_copy, "review", "--yes", str(draft)) == 2
    err = capsys.readouterr().err
    assert "2 problems" in err and "'state-council' field 'id': collides" in err
    assert "'ministry-of-education' field 'id': collides" in err and f"{draft}:" in err
    assert _hashes(data_copy.data_dir) == before


def test_ingest_bad_input_and_taken_id(data_copy, tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    assert _cli(data_copy, "ingest", str(empty), "--source-id", "x-2026") == 2
    assert f"{empty}: the file is empty" in capsys.readouterr().err
    assert _cli(data_copy, "ingest", str(EXAMPLE), "--source-id", "fu-huang-sun-2025") == 2
    assert "already an id" in capsys.readouterr().err


@pytest.mark.parametrize("item, message", [
    ({"from": "no-such-entry", "field": "faces", "to": "china", "src": "xu-lingling", "sec": "1", "anchor": "x"},
     "unknown entry 'no-such-entry'"),
    ({"from": "china", "field": "issued_by", "to": "state-council", "src": "xu-lingling", "sec": "1", "anchor": "x"},
     "'issued_by' is not a link of regions"),
    ({"from": "china", "field": "faces", "to": "china", "src": "xu-lingling", "sec": "1", "anchor": "x",
      "colour": "red"}, "unknown field for links"),
])
def test_standalone_links_errors_name_file_and_line(data_copy, item: dict, message: str) -> None:
    path = data_copy.data_dir / "extra.yaml"
    path.write_text(yaml.safe_dump({"links": [item]}), encoding="utf-8")
    with pytest.raises(LoadError, match=message) as caught:
        build_dataset(data_copy)
    assert any(issue.path == str(path) and issue.line >= 1 for issue in caught.value.issues)

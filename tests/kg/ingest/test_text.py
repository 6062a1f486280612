"""Reading a text to ingest: sections named as evidence cites them, sentences, and bad input named."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import LoadError
from kg.ingest.text import MAX_BYTES, find_sections, read_document

from tests.conftest import ROOT

EXAMPLE = ROOT / "tests" / "data" / "ingest" / "example-note.md"


def test_markdown_sections_are_named_by_number_or_title() -> None:
    names = [s.name for s in read_document(EXAMPLE).sections]
    assert names == ["Title", "Abstract", "1", "2", "2.1", "3", "3.1", "3.2"]


def test_plain_text_headings_and_inline_abstract() -> None:
    text = ("Some Paper Title\n\nAbstract: We study things.\n\n1. INTRODUCTION\n\nText here.\n\n"
            "2.1. Insufficient System Design, Lacking Depth\n\nMore text.\n\n"
            "3. This numbered line is a sentence in the body, not a heading at all, since it goes on and on "
            "and ends with a full stop.\n\nREFERENCES\n\n[1] A. B.\n")
    names = [(s.name, s.heading) for s in find_sections(text)]
    assert names == [("Title", ""), ("Abstract", "Abstract"), ("1", "1. INTRODUCTION"),
                     ("2.1", "2.1. Insufficient System Design, Lacking Depth"), ("References", "REFERENCES")]


def test_keywords_then_unheaded_introduction() -> None:
    sections = find_sections("# Title Of It\n\n#### Keywords\n\nk1; k2\n\nIn April 2025, something happened.\n\n"
                             "## 1. First\n\nx\n")
    assert [s.name for s in sections] == ["Title", "Keywords", "Introduction", "1"]
    assert "April 2025" in sections[2].text


def test_sentences_keep_their_section_and_line() -> None:
    sentences = read_document(EXAMPLE).sentences()
    first = next(s for s in sentences if s.text.startswith("In December 2017"))
    assert first.section == "1" and EXAMPLE.read_text().splitlines()[first.line - 1].startswith("In December 2017")


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"%PDF-1.7\n...", "the file is binary"),
    (b"text\0with a NUL", "the file is binary"),
])
def test_bad_input_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message) as caught:
        read_document(path)
    assert caught.value.issues[0].path == str(path)


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("line one\nline two caf\u00e9\n".encode("latin-1"))
    with pytest.raises(LoadError, match=r"not UTF-8: byte 0xe9") as caught:
        read_document(path)
    assert caught.value.issues[0].line == 2


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(MAX_BYTES + 1)
    with pytest.raises(LoadError, match="ingest reads at most 5 MiB"):
        read_document(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read the file"):
        read_document(tmp_path / "nope.txt")

"""A document to ingest: its text, read with clear errors, split into sections and sentences.

Sections are named as the curated data names them: by number ("2", "3.1") where
the heading is numbered, else by the heading's title word ("Abstract",
"Introduction", "References"). Headings are found in Markdown (``# 2.1 ...``)
and in plain text (``2.1. Title`` on a line of its own, or an upper-case line).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import LoadError

__all__ = ["MAX_BYTES", "Document", "Section", "Sentence", "read_document"]

#: The largest file ``seikg ingest`` reads (5 MiB): a paper or a policy text is far smaller.
MAX_BYTES = 5 * 2**20

#: Titles of unnumbered sections, as the curated data names them.
_TITLED = {"abstract": "Abstract", "introduction": "Introduction", "references": "References",
           "acknowledgements": "Acknowledgements", "acknowledgments": "Acknowledgements",
           "conclusion": "Conclusion", "conclusions": "Conclusion", "keywords": "Keywords",
           "funding": "Funding", "funds": "Funding", "highlights": "Highlights", "affiliation": "Affiliation",
           "affiliations": "Affiliations", "background": "Background", "methods": "Methods"}
_MARKDOWN = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^\s*(?:\*\*)?\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?:\*\*)?\s*([A-Z\u4e00-\u9fff].{1,200}?)\s*(?:\*\*)?\s*$")
_INLINE = re.compile(r"^\s*[*_]{0,2}([A-Za-z]{4,16})\s*:\s*[*_]{0,2}\s*(\S.*)$")
_ABBREVIATION = re.compile(r"(?:\b(?:No|Nos|Co|Ltd|Inc|vs|al|Fig|Vol|pp|e\.g|i\.e|Dr|Mr|Ms|Prof|St)\.|"
                           r"\b[A-Z]\.)$")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？;；])[\"'”’)]?\s+(?=[A-Z\"“(\u4e00-\u9fff0-9])")


@dataclass(frozen=True)
class Section:
    """One section: its name as evidence cites it, its heading, and its text with line numbers."""

    name: str
    heading: str
    first_line: int  # 1-based line of the heading (or of the text, for the front matter)
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of a section, whitespace collapsed."""

    section: str
    text: str
    line: int


@dataclass(frozen=True)
class Document:
    """A text to ingest."""

    path: str
    text: str
    sections: tuple[Section, ...]

    def sentences(self) -> list[Sentence]:
        """Every sentence, in order, with its section and approximate line."""
        out = []
        for section in self.sections:
            for paragraph, line in _paragraphs(section):
                parts: list[str] = []
                for part in _SENTENCE_END.split(paragraph):
                    part = part.strip()
                    if parts and _ABBREVIATION.search(parts[-1]):  # "No. 7", "Co., Ltd. in", "et al. 2020"
                        parts[-1] = f"{parts[-1]} {part}"
                    elif part:
                        parts.append(part)
                out += [Sentence(section.name, part, line) for part in parts if part]
        return out


def read_document(path: Path | str) -> Document:
    """Read a plain-text or Markdown file and split it into sections.

    Raises
    ------
    kg.errors.LoadError
        If the file is missing, empty, larger than 5 MiB, binary, or not UTF-8 (with the line of the
        first bad byte).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError.single(path, f"cannot read the file: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise LoadError.single(path, f"the file is {size / 2**20:.1f} MiB; ingest reads at most "
                                     f"{MAX_BYTES // 2**20} MiB (split it, or ingest its chapters one by one)")
    data = path.read_bytes()
    if b"\0" in data[:8192] or data[:5] == b"%PDF-":
        raise LoadError.single(path, "the file is binary, not text (ingest reads plain text or Markdown; "
                                     "convert a PDF or Word file to text first)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LoadError.single(path, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                                     "(convert the file to UTF-8)", line=line) from exc
    if not text.strip():
        raise LoadError.single(path, "the file is empty")
    return Document(str(path), text, tuple(find_sections(text)))


def find_sections(text: str) -> list[Section]:
    """Split ``text`` at its headings; text before the first heading is the front matter ("Title")."""
    lines = text.splitlines()
    starts: list[tuple[int, str, str, str]] = [(0, "Title", "", "")]
    numbered = False
    for index, line in enumerate(lines):
        inline = _INLINE.match(line)
        if inline and re.sub(r"[^a-z]", "", inline.group(1).lower()) in _TITLED:
            starts.append((index, _TITLED[re.sub(r"[^a-z]", "", inline.group(1).lower())], inline.group(1),
                           inline.group(2)))
            continue
        named = _heading(line)
        if named:
            name, heading = named
            numbered = numbered or name[0].isdigit()
            if not numbered and name == heading and name not in _TITLED.values():  # the title block
                name = "Title"
            starts.append((index, name, heading, ""))
    sections = []
    for position, (start, name, heading, rest) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        body_start = start + 1 if position else 0
        body = "\n".join(([rest] if rest else []) + lines[body_start:end])
        if name == "Keywords" and "\n\n" in body.strip():  # the keywords, then an unheaded introduction
            keywords, rest = body.strip().split("\n\n", 1)
            sections.append(Section(name, heading, start + 1, keywords))
            sections.append(Section("Introduction", "", start + 2 + keywords.count("\n"), rest))
        elif body.strip() or heading:
            sections.append(Section(name, heading, start + 1, body))
    return sections


def _heading(line: str) -> tuple[str, str] | None:
    """(section name, heading text) if ``line`` is a heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > 220:
        return None
    markdown = _MARKDOWN.match(line)
    candidate = _clean(markdown.group(1)) if markdown else _clean(stripped)
    numbered = _NUMBERED.match(candidate)
    if numbered and (markdown or _looks_like_title(numbered.group(2))):
        return numbered.group(1), candidate
    word = re.sub(r"[^a-z]", "", candidate.lower().split(":")[0])
    if word in _TITLED and (markdown or len(candidate.split()) <= 3):
        return _TITLED[word], candidate
    if markdown and candidate:
        return candidate, candidate
    return None


def _looks_like_title(text: str) -> bool:
    """A plain-text numbered line is a heading if it is short and does not read as a sentence."""
    words = text.split()
    return 1 <= len(words) <= 24 and not text.rstrip().endswith((".", ";", ",", ":")) or text.isupper()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("*", "")).strip()


def _paragraphs(section: Section) -> list[tuple[str, int]]:
    out, current, first = [], [], section.first_line
    for offset, line in enumerate(section.text.splitlines()):
        if line.strip():
            if not current:
                first = section.first_line + offset + (1 if section.heading else 0)
            current.append(line.strip())
        elif current:
            out.append((" ".join(current), first))
            current = []
    if current:
        out.append((" ".join(current), first))
    return out

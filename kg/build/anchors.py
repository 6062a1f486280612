"""Seed texts and the check that an evidence anchor occurs verbatim in its source."""
from __future__ import annotations

from pathlib import Path

__all__ = ["SeedTexts", "count_words", "normalise_space"]


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space, as anchors are compared.

    >>> normalise_space("hard-wrapped\\n  text")
    'hard-wrapped text'
    """
    return " ".join(text.split())


def count_words(text: str) -> int:
    """Words in an anchor, split on whitespace.

    >>> count_words("In April of the same year")
    6
    """
    return len(text.split())


class SeedTexts:
    """The seed folder, read lazily: one text per registered source."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._files: dict[str, Path] = {}
        self._texts: dict[str, str] = {}

    def register(self, source_id: str, seed: str) -> bool:
        """Note that ``source_id`` is the seed ``seed``; False if the folder lacks it."""
        if self.folder is None:
            return True
        path = self.folder / f"{seed}.txt"
        self._files[source_id] = path
        return path.is_file()

    def register_file(self, source_id: str, path: Path) -> bool:
        """Note that ``source_id``'s text is the file ``path`` (a text added by ``seikg review``); False if
        it does not exist."""
        self._files[source_id] = path
        return path.is_file()

    def contains(self, source_id: str, anchor: str) -> bool | None:
        """Whether ``anchor`` occurs in the source's text; None when it cannot be checked.

        None means the seeds are not available or the source is not a seed
        (an official document curated from outside the seeds).
        """
        path = self._files.get(source_id)
        if path is None or not path.is_file():
            return None
        if source_id not in self._texts:
            self._texts[source_id] = normalise_space(path.read_text(encoding="utf-8"))
        return normalise_space(anchor) in self._texts[source_id]

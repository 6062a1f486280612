"""Serialising a built dataset: sorted N-Quads (byte-identical for identical input), TriG, Turtle, JSON-LD."""
from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import LoadError, SeikgError
from kg.model.formats import format_named

__all__ = ["FORMATS", "parse_export", "serialize_dataset", "union_graph", "write_atomically"]

#: Export formats (from kg.formats): name -> (rdflib format, file suffix, keeps named graphs); Turtle holds the
#: union of the graphs, JSON-LD keeps them as named graphs
FORMATS: dict[str, tuple[str, str, bool]] = {
    fmt.name: (fmt.rdflib or fmt.name, fmt.suffix, fmt.name != "turtle")
    for fmt in (format_named(name) for name in ("nquads", "trig", "turtle", "jsonld"))}


@contextmanager
def _quiet_rdflib_internals() -> Iterator[None]:
    """rdflib's own quad plugins call its deprecated ``Dataset.contexts`` and
    ``Dataset.default_context`` and its ``ConjunctiveGraph``; hide only those messages,
    only around rdflib calls."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"(Dataset\.\w+|ConjunctiveGraph) is deprecated",
                                category=DeprecationWarning)
        yield


def serialize_dataset(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in ``fmt`` (a key of :data:`FORMATS`).

    N-Quads lines are sorted, so the same input gives byte-identical output.
    Turtle holds the union of all graphs (the ontology and the data).

    Raises
    ------
    kg.errors.SeikgError
        If ``fmt`` is unknown.
    """
    if fmt not in FORMATS:
        raise SeikgError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    rdflib_format, _, keeps_graphs = FORMATS[fmt]
    if fmt == "nquads":
        with _quiet_rdflib_internals():
            text = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
        # split on "\n" only: str.splitlines() would also split literals at U+2028, U+0085 and the like
        lines = sorted(line for line in text.split("\n") if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    source = dataset if keeps_graphs else union_graph(dataset)
    with _quiet_rdflib_internals():
        return source.serialize(format=rdflib_format, encoding="utf-8")


def parse_export(path: Path, fmt: str | None = None) -> Dataset:
    """Read a file written by :func:`serialize_dataset` (format from ``fmt`` or the suffix).

    Raises
    ------
    kg.errors.LoadError
        If the file cannot be read or parsed.
    """
    if fmt is None:
        by_suffix = {suffix: name for name, (_, suffix, _) in FORMATS.items()}
        fmt = by_suffix.get(path.suffix)
        if fmt is None:
            raise LoadError.single(path, f"unknown file suffix {path.suffix!r}; use one of "
                                   f"{', '.join(sorted(by_suffix))}")
    dataset = Dataset()
    try:
        with _quiet_rdflib_internals():
            _parse_into(dataset, path, fmt)
    except FileNotFoundError as exc:
        raise LoadError.single(path, "file not found") from exc
    except Exception as exc:  # rdflib parsers raise many types
        raise LoadError.single(path, f"cannot parse as {fmt}: {exc}") from exc
    return dataset


def _parse_into(dataset: Dataset, path: Path, fmt: str) -> None:
    rdflib_format, _, keeps_graphs = FORMATS[fmt]
    target = dataset if keeps_graphs else dataset.default_graph  # type: ignore[attr-defined]
    with Path(path).open("rb") as handle:  # rdflib leaves files it opens itself unclosed
        target.parse(source=handle, format=rdflib_format)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half-written.

    Raises
    ------
    OSError
        If the folder cannot be written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def union_graph(data: Dataset | Graph) -> Graph:
    """All triples of every named graph in one Graph (a Graph is returned as is)."""
    if not isinstance(data, Dataset):
        return data
    union = Graph()
    for prefix, namespace in data.namespaces():
        union.bind(prefix, namespace)
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return union

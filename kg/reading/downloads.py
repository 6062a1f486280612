"""The graph as files to download: the whole of it in four syntaxes and each kind as CSV and JSON.

Each file is written once per graph version into ``<store_dir>/downloads/<version>/`` (a graph version is
immutable, so a file never changes under its name) and described with its size and SHA-256 checksum. The
whole-graph files are the graphs being served (the data, the ontology and the analyses' results), read
through Oxigraph as the endpoint reads them, so that every literal is in the form the endpoint answers with
(``"0"^^xsd:decimal``, not ``"0.0"``): the N-Quads, sorted, reloads into the graph the endpoint serves.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.analyses.tables import tables_to_csv
from kg.build.export import FORMATS as EXPORT_FORMATS
from kg.build.export import parse_export, serialize_dataset, write_atomically
from kg.errors import NotFoundError
from kg.model.formats import format_named
from kg.model.kinds import KINDS
from kg.reading.entities import list_entities, list_table
from kg.runtime import QueryService

__all__ = ["Download", "Downloads", "download_file", "dump_names", "list_downloads"]

_STEM = "seikg"
_TITLES = {"nquads": "the whole graph, its named graphs kept (N-Quads, sorted)",
           "trig": "the whole graph, its named graphs kept (TriG)",
           "turtle": "the whole graph as one graph, the union of the named graphs (Turtle)",
           "jsonld": "the whole graph, its named graphs kept (JSON-LD)"}


@dataclass(frozen=True)
class Download:
    """One file: its name (its URL's last part), what it holds, its media type, size in bytes and SHA-256."""

    name: str
    title: str
    media_type: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Downloads:
    """Every file of one graph version, with the version and the licence they are released under."""

    version: str
    licence: str
    files: tuple[Download, ...]


def _folder(service: QueryService) -> tuple[Path, str]:
    version = str(service.status()["store"]["version"])
    return Path(service.settings.store_dir) / "downloads" / version, version


def dump_names() -> list[str]:
    """The names of the whole-graph files (the dumps a VoID description lists), without writing any.

    >>> dump_names()
    ['seikg.nq', 'seikg.trig', 'seikg.ttl', 'seikg.jsonld']
    """
    return [f"{_STEM}{suffix}" for _, suffix, _ in EXPORT_FORMATS.values()]


def _write(folder: Path, name: str, make: Callable[[], bytes], title: str, media_type: str) -> Download:
    """The file ``name`` described; ``make`` gives its bytes only when it is not written yet (a restart of the
    same graph version writes nothing)."""
    path = folder / name
    if not path.is_file():
        write_atomically(path, make())
    data = path.read_bytes()
    return Download(name, title, media_type, len(data), hashlib.sha256(data).hexdigest())


def _served_nquads(service: QueryService) -> bytes:
    """The graphs being served as sorted N-Quads, read through Oxigraph as the endpoint holds them."""
    with service.graph_file() as path:
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    lines = sorted(line for line in store.dump(format=ox.RdfFormat.N_QUADS).split(b"\n") if line.strip())
    return b"\n".join(lines) + b"\n"


def list_downloads(service: QueryService) -> Downloads:
    """Every download of the graph being served, written on first use and then read from disk.

    Raises
    ------
    kg.errors.StoreUnavailable
        If no graph is loaded yet, or the store cannot be read whole.
    kg.errors.LoadError
        If the snapshot's graphs cannot be parsed.
    """
    from kg.reading.dataset import LICENCE

    def build() -> Downloads:
        folder, version = _folder(service)
        folder.mkdir(parents=True, exist_ok=True)
        nquads = folder / dump_names()[0]
        files = [_write(folder, nquads.name, lambda: _served_nquads(service), _TITLES["nquads"],
                        format_named("nquads").media_type)]
        dataset = functools.cache(lambda: parse_export(nquads, "nquads"))  # read once, and only if a file is missing
        for name, file_name in list(zip(EXPORT_FORMATS, dump_names()))[1:]:
            files.append(_write(folder, file_name, lambda name=name: serialize_dataset(dataset(), name), _TITLES[name],
                                format_named(name).media_type))
        for plural, kind in KINDS.items():
            page = list_entities(service, plural, per_page=1_000_000)
            files.append(_write(folder, f"{plural}.csv", lambda: tables_to_csv([list_table(kind, page)], titled=False)
                                .encode("utf-8"), f"every entity of {kind.title} (CSV)", "text/csv"))
            files.append(_write(folder, f"{plural}.json", lambda: json.dumps(
                [dataclasses.asdict(item) for item in page.items], ensure_ascii=False, indent=1).encode("utf-8"),
                f"every entity of {kind.title}, with its evidence (JSON)", "application/json"))
        return Downloads(version, LICENCE, tuple(files))
    return service.remember("downloads", build)


def download_file(service: QueryService, name: str) -> tuple[Path, Download]:
    """The file called ``name`` and its description.

    Raises
    ------
    kg.errors.NotFoundError
        If no download has that name.
    kg.errors.StoreUnavailable
        As :func:`list_downloads` raises it.
    """
    downloads = list_downloads(service)
    found = next((d for d in downloads.files if d.name == name), None)
    if found is None:
        raise NotFoundError(f"no download {name!r}; one of: {', '.join(d.name for d in downloads.files)}")
    folder, _ = _folder(service)
    return folder / name, found
